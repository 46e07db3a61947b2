from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The ``demo`` management command and the orchestration behind it."""

    name = "evalplatform.demo"
    label = "demo"
    verbose_name = "Demo"
