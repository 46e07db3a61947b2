from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    """The researcher's admin. It composes the apps below it (campaigns, crowd, providers,
    reports) into the campaign's page, actions and views; none of them knows it exists."""

    name = "evalplatform.console"
    label = "console"
    verbose_name = "Researcher's console"
