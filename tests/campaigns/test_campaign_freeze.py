"""Issue 12, item 4: a published campaign keeps what workers see, are asked and are paid;
the service refuses it (direct call and API), nothing changes in the database, and the
explicit exceptions (more assignments, a later deadline, pause, resume, stop) go through."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from evalplatform.campaigns.models import Campaign, CampaignStatus
from evalplatform.campaigns.services import (
    campaign_pause,
    campaign_resume,
    campaign_stop,
    campaign_update,
)
from evalplatform.common.errors import InvalidTransition
from evalplatform.crowd.errors import LeaseRefused
from evalplatform.crowd.services import assignment_lease
from tests.factories import SystemFactory, WorkerFactory, make_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def api() -> APIClient:
    user = get_user_model().objects.create_user("researcher", password="pw", is_staff=True)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def row(campaign: Campaign) -> dict:
    return Campaign.objects.filter(pk=campaign.pk).values().get()


@pytest.mark.parametrize(
    "changes",
    [
        {"reward": Decimal("0.99")},
        {"items_per_hit": 2},
        {"gold_per_hit": 0},
        {"bonus": Decimal("1.00")},
        {"title": "Another task"},
        {"sample_size": 3},
        {"provider_settings": {"bonus_rule": "none"}},
        {"protocol": "ab"},
    ],
)
def test_campaign_update_refuses_frozen_fields_of_a_collecting_campaign(changes):
    campaign = make_campaign("good-okay-bad")
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.COLLECTING)
    campaign.refresh_from_db()
    before = row(campaign)
    with pytest.raises(ValidationError) as refused:
        campaign_update(campaign=campaign, changes=changes)
    assert set(refused.value.message_dict) == set(changes)
    assert "once published" in str(refused.value)
    assert row(campaign) == before


def test_campaign_update_refuses_new_systems_once_published():
    campaign = make_campaign("likert-fce")
    with pytest.raises(ValidationError, match="Systems cannot change"):
        campaign_update(campaign=campaign, changes={"systems": [SystemFactory()]})


def test_campaign_update_lets_the_explicit_exceptions_through():
    soon = timezone.now() + timedelta(days=1)
    campaign = make_campaign("likert-fce", overrides={"deadline": soon})
    later = soon + timedelta(days=1)
    campaign_update(
        campaign=campaign,
        changes={"assignments_per_hit": campaign.assignments_per_hit + 1, "deadline": later},
    )
    fresh = Campaign.objects.get(pk=campaign.pk)
    assert fresh.assignments_per_hit == campaign.assignments_per_hit and fresh.deadline == later
    for refused in ({"assignments_per_hit": 1}, {"deadline": soon}):
        with pytest.raises(ValidationError):
            campaign_update(campaign=campaign, changes=refused)
    # The same value again is no change, frozen or not.
    campaign_update(campaign=campaign, changes={"reward": campaign.reward})


def test_a_draft_changes_freely_and_still_validates():
    campaign = make_campaign("likert-fce", status=CampaignStatus.DRAFT)
    campaign_update(campaign=campaign, changes={"reward": Decimal("0.55"), "items_per_hit": 4})
    assert Campaign.objects.get(pk=campaign.pk).reward == Decimal("0.55")
    with pytest.raises(ValidationError):
        campaign_update(campaign=campaign, changes={"gold_per_hit": 9})  # past items per HIT


def test_the_api_refuses_a_frozen_field_and_stores_nothing(api):
    campaign = make_campaign("good-okay-bad")
    before = row(campaign)
    response = api.patch(
        f"/api/campaigns/{campaign.pk}/",
        {"reward": "0.99", "items_per_hit": 2, "assignments_per_hit": 9},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"reward", "items_per_hit"} and "once published" in body["reward"][0]
    assert row(campaign) == before


def test_the_api_adds_assignments_and_pauses_resumes_and_stops(api):
    campaign = make_campaign("likert-fce")
    more = campaign.assignments_per_hit + 1
    patched = api.patch(
        f"/api/campaigns/{campaign.pk}/", {"assignments_per_hit": more}, format="json"
    )
    assert patched.status_code == 200 and patched.json()["assignments_per_hit"] == more
    paused = api.post(f"/api/campaigns/{campaign.pk}/pause/")
    assert paused.status_code == 200 and paused.json()["paused_at"]
    with pytest.raises(LeaseRefused, match="paused"):
        assignment_lease(campaign=campaign, worker=WorkerFactory())
    assert api.post(f"/api/campaigns/{campaign.pk}/resume/").json()["paused_at"] is None
    assert api.post(f"/api/campaigns/{campaign.pk}/stop/").json()["status"] == "closed"
    draft = make_campaign("likert-fce", status=CampaignStatus.DRAFT)
    assert api.post(f"/api/campaigns/{draft.pk}/pause/").status_code == 400


def test_pause_lets_workers_mid_hit_finish_and_a_deadline_stops_new_work():
    campaign = make_campaign("likert-fce")
    mid_hit = assignment_lease(campaign=campaign, worker=WorkerFactory())
    campaign_pause(campaign=campaign)
    assert assignment_lease(campaign=campaign, worker=mid_hit.worker).pk == mid_hit.pk
    with pytest.raises(LeaseRefused, match="paused"):
        assignment_lease(campaign=campaign, worker=WorkerFactory())
    campaign_resume(campaign=campaign)
    Campaign.objects.filter(pk=campaign.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    with pytest.raises(LeaseRefused, match="deadline"):
        assignment_lease(campaign=campaign, worker=WorkerFactory())
    campaign_stop(campaign=campaign)
    with pytest.raises(InvalidTransition):
        campaign_pause(campaign=campaign)
