"""The console's index: the researcher's campaigns first."""

from __future__ import annotations

from typing import Any

from django import template

from evalplatform.campaigns.models import Campaign

register = template.Library()

# The index lists this many campaigns, newest first; the changelist has the rest.
RECENT_CAMPAIGNS = 10


@register.filter
def campaigns_first(app_list: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The admin's apps with the campaigns app first and, inside it, campaigns first."""
    ordered = sorted(app_list, key=lambda app: app["app_label"] != "campaigns")
    for app in ordered:
        if app["app_label"] == "campaigns":
            app["models"] = sorted(
                app["models"], key=lambda model: model["object_name"] != "Campaign"
            )
    return ordered


@register.simple_tag
def recent_campaigns() -> list[Campaign]:
    return list(
        Campaign.objects.select_related("dataset").order_by("-created_at")[:RECENT_CAMPAIGNS]
    )
