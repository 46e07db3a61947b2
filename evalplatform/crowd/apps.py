from django.apps import AppConfig


class CrowdConfig(AppConfig):
    name = "evalplatform.crowd"
    label = "crowd"
    verbose_name = "Crowd work"

    def ready(self) -> None:
        from evalplatform.campaigns import extensions
        from evalplatform.crowd.selectors import campaign_crowd_counts

        extensions.COUNTERS.append(campaign_crowd_counts)
