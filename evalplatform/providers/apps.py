from django.apps import AppConfig


class ProvidersConfig(AppConfig):
    name = "evalplatform.providers"
    label = "providers"
    verbose_name = "Crowd providers"

    def ready(self) -> None:
        from evalplatform.campaigns import extensions
        from evalplatform.providers.admin_actions import ACTIONS, STATE_VIEW, provider_state_view
        from evalplatform.providers.selectors import campaign_provider_counts

        # Appended once per process, whatever calls ready() again.
        names = {action.__name__ for action in extensions.ADMIN_ACTIONS}
        extensions.ADMIN_ACTIONS.extend(a for a in ACTIONS if a.__name__ not in names)
        if all(name != STATE_VIEW for _, _, name in extensions.ADMIN_VIEWS):
            extensions.ADMIN_VIEWS.append(("providers/", provider_state_view, STATE_VIEW))
            extensions.ADMIN_LINKS.append(("Provider state and review", STATE_VIEW))
        if campaign_provider_counts not in extensions.COUNTERS:
            extensions.COUNTERS.append(campaign_provider_counts)
