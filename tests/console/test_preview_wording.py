"""The HIT preview speaks of the campaign's own provider and questions."""

from __future__ import annotations

import pytest

from evalplatform.campaigns.models import CampaignStatus
from tests.factories import make_campaign

pytestmark = pytest.mark.django_db


def preview(client, campaign) -> str:
    return client.get(f"/admin/campaigns/campaign/{campaign.pk}/crowd/preview/").content.decode()


def test_a_local_preview_does_not_tell_workers_to_accept_a_hit(client_as):
    campaign = make_campaign("likert-efir", status=CampaignStatus.PUBLISHED)
    html = preview(client_as("viewer"), campaign)
    assert "Accept the HIT" not in html
    assert "invite link" in html


def test_the_preview_mentions_yes_no_questions_only_when_the_campaign_has_them(client_as):
    client = client_as("viewer")
    without = make_campaign("likert-efir", status=CampaignStatus.PUBLISHED)
    with_binary = make_campaign("likert-fce", status=CampaignStatus.PUBLISHED)
    assert "Yes or No" not in preview(client, without)
    assert "Yes or No" in preview(client, with_binary)
