"""Reads the console composes from the apps below it."""

from __future__ import annotations

from evalplatform.campaigns.models import Campaign
from evalplatform.campaigns.selectors import campaign_counts
from evalplatform.crowd.selectors import campaign_crowd_counts
from evalplatform.providers.selectors import campaign_provider_counts


def campaign_overview_counts(campaign: Campaign) -> dict[str, int]:
    """The sizes on a campaign's page: its sample and systems, its crowd work (HITs,
    assignments, judgments) and what its provider holds (remote campaigns only)."""
    return {
        **campaign_counts(campaign),
        **campaign_crowd_counts(campaign),
        **campaign_provider_counts(campaign),
    }
