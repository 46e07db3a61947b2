"""The researchers' REST API as the console composes it: the campaigns app's viewsets, with
the campaign status counting what the apps above campaigns hold (HITs, assignments,
judgments, the provider's side), which campaigns cannot import."""

from __future__ import annotations

from evalplatform.campaigns.apis import CampaignStatusSerializer, CampaignViewSet
from evalplatform.campaigns.models import Campaign
from evalplatform.console.selectors import campaign_overview_counts


# No docstring: drf-spectacular would publish it as the operations' description, and the
# schema stays as the campaigns app documents it (``counts`` maps names to integers either
# way).
class ConsoleCampaignViewSet(CampaignViewSet):
    def _status_body(self, campaign: Campaign) -> dict:
        body = dict(super()._status_body(campaign))
        body["counts"] = campaign_overview_counts(campaign)
        return CampaignStatusSerializer(body).data
