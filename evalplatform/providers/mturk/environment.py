"""Which MTurk environment a campaign uses: the sandbox unless both switches allow production."""

from __future__ import annotations

from django.conf import settings

from evalplatform.campaigns.models import Campaign


def mturk_environment(campaign: Campaign) -> str:
    """Production needs MTURK_SANDBOX off in settings AND provider_settings.mturk_production
    true on the campaign; either one alone keeps the campaign in the sandbox."""
    site_allows = not settings.MTURK_SANDBOX
    campaign_asks = (campaign.provider_settings or {}).get("mturk_production") is True
    return "production" if site_allows and campaign_asks else "sandbox"
