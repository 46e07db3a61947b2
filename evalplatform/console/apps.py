from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    """The researcher's admin. It composes the apps below it (campaigns, crowd, providers,
    reports) into the campaign's page, actions and views; none of them knows it exists."""

    name = "evalplatform.console"
    label = "console"
    verbose_name = "Researcher's console"

    def ready(self) -> None:
        from django.contrib import admin

        # The product's name on every page, not "Django administration".
        admin.site.site_header = "evalplatform"
        admin.site.site_title = "evalplatform"
        admin.site.index_title = "Your campaigns"
        # There is no public site behind the admin: no "View site" link leading to a 404.
        admin.site.site_url = None
