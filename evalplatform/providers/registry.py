"""``get_provider(name, campaign)``: the adapter behind a campaign's provider name."""

from __future__ import annotations

from typing import Any

from evalplatform.campaigns.models import Campaign
from evalplatform.common.errors import ApplicationError


def get_provider(name: str, campaign: Campaign) -> Any:
    """The CrowdProvider for ``name`` (local, mturk, prolific), bound to ``campaign`` where
    the adapter needs it (MTurk's environment, Prolific's study)."""
    if name == "mturk":
        from evalplatform.providers.mturk.provider import MTurkProvider

        return MTurkProvider(campaign)
    if name == "prolific":
        from evalplatform.providers.prolific.provider import ProlificProvider

        return ProlificProvider(campaign)
    if name == "local":
        from evalplatform.providers.local import LocalProvider

        return LocalProvider()
    raise ApplicationError(f"Unknown crowd provider {name!r}.")


def campaign_provider(campaign: Campaign) -> Any:
    return get_provider(campaign.provider, campaign)
