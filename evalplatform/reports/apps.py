from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Report assembly and exports, plus the ``analyze`` management command."""

    name = "evalplatform.reports"
    label = "reports"
    verbose_name = "Reports"
