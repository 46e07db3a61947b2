from django.apps import AppConfig


class CrowdConfig(AppConfig):
    name = "evalplatform.crowd"
    label = "crowd"
    verbose_name = "Crowd work"
