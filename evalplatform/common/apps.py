from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "evalplatform.common"
    label = "common"
