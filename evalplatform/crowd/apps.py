from django.apps import AppConfig


class CrowdConfig(AppConfig):
    name = "evalplatform.crowd"
    label = "crowd"
    verbose_name = "Crowd work"

    def ready(self) -> None:
        from evalplatform.campaigns import extensions
        from evalplatform.crowd import admin as crowd_admin
        from evalplatform.crowd.selectors import campaign_crowd_counts

        extensions.COUNTERS.append(campaign_crowd_counts)
        extensions.ADMIN_ACTIONS.append(crowd_admin.build_hits)
        extensions.ADMIN_VIEWS.extend(
            [
                ("crowd/preview/", crowd_admin.preview_view, "crowd_campaign_preview"),
                ("crowd/invites/", crowd_admin.invites_view, "crowd_campaign_invites"),
            ]
        )
        extensions.ADMIN_LINKS.extend(
            [
                ("Preview a HIT", "crowd_campaign_preview"),
                ("Invite links and codes", "crowd_campaign_invites"),
            ]
        )
