from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Report assembly and exports, plus the ``analyze`` management command."""

    name = "evalplatform.reports"
    label = "reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        from evalplatform.campaigns import extensions
        from evalplatform.reports.admin_views import campaign_report_view

        extensions.ADMIN_VIEWS.append(("report/", campaign_report_view, "reports_campaign_report"))
        extensions.ADMIN_LINKS.append(("Report", "reports_campaign_report"))
