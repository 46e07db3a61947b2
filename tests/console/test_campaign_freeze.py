"""Issue 12, item 4: a published campaign's change form keeps what workers see, are asked
and are paid read-only, refuses a post that changes it anyway (nothing stored), lets the
explicit exceptions through, and offers pause, resume and stop."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from evalplatform.campaigns.models import Campaign, CampaignStatus, Criterion
from evalplatform.crowd.errors import LeaseRefused
from evalplatform.crowd.services import assignment_lease
from tests.factories import WorkerFactory, make_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client() -> Client:
    """A superuser: the criteria and systems inlines need their own model permissions."""
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("root", "r@example.org", "pw"))
    return client


def change_url(campaign: Campaign) -> str:
    return reverse("admin:campaigns_campaign_change", args=[campaign.pk])


def draft_form(campaign: Campaign) -> dict[str, Any]:
    """Everything the change form posts for ``campaign`` while it is a draft: what a form
    opened before publishing sends when saved afterwards."""
    data: dict[str, Any] = {
        name: getattr(campaign, name)
        for name in (
            "name",
            "preset",
            "protocol",
            "title",
            "description",
            "instructions",
            "minutes_per_hit",
            "sample_size",
            "sample_seed",
            "items_per_hit",
            "assignments_per_hit",
            "gold_per_hit",
            "gold_subset",
            "reward",
            "bonus",
            "max_hits_per_worker",
            "provider",
            "alpha",
            "correction",
            "gold_rule",
            "unlabelled_systems",
        )
    }
    data.update(
        dataset=campaign.dataset_id,
        sample_subsets='["ED"]',
        worker_requirements="{}",
        provider_settings="{}",
        quality_filter="{}",
        deadline="",
    )
    criteria = list(campaign.criteria.all())
    data.update(
        {
            "criteria-TOTAL_FORMS": len(criteria),
            "criteria-INITIAL_FORMS": len(criteria),
            "entries-TOTAL_FORMS": 0,
            "entries-INITIAL_FORMS": 0,
        }
    )
    for index, criterion in enumerate(criteria):
        data.update(
            {
                f"criteria-{index}-id": criterion.pk,
                f"criteria-{index}-campaign": campaign.pk,
                f"criteria-{index}-position": criterion.position,
                f"criteria-{index}-name": criterion.name,
                f"criteria-{index}-kind": criterion.kind,
                f"criteria-{index}-question": criterion.question,
                f"criteria-{index}-scale_min": criterion.scale_min,
                f"criteria-{index}-scale_max": criterion.scale_max,
                f"criteria-{index}-anchors": "{}",
            }
        )
    return data


def stored(campaign: Campaign) -> tuple[Any, ...]:
    fresh = Campaign.objects.get(pk=campaign.pk)
    names = tuple(Criterion.objects.filter(campaign=campaign).values_list("name", flat=True))
    return (fresh.reward, fresh.items_per_hit, fresh.title, fresh.assignments_per_hit, names)


def live_form(client: Client, campaign: Campaign) -> dict[str, Any]:
    """What the published campaign's own form posts: its editable fields only."""
    page = client.get(change_url(campaign))
    form = page.context["adminform"].form
    data: dict[str, Any] = {
        name: ("" if value is None else value) for name, value in form.initial.items()
    }
    data = {name: data[name] for name in form.fields}
    data["quality_filter"] = "{}"
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        data.update({management.add_prefix(k): v for k, v in management.initial.items()})
    return data


def test_a_collecting_campaigns_form_shows_frozen_fields_read_only_and_says_why(
    admin_client: Client,
):
    campaign = make_campaign("likert-fce", status=CampaignStatus.PUBLISHED)
    page = admin_client.get(change_url(campaign))
    form = page.context["adminform"].form
    assert {"reward", "items_per_hit", "title", "provider_settings"}.isdisjoint(form.fields)
    assert {"assignments_per_hit", "deadline", "name"} <= set(form.fields)
    text = page.content.decode()
    assert "what workers see, are asked and are paid can no longer change" in text
    criteria = next(
        f for f in page.context["inline_admin_formsets"] if f.formset.prefix == "criteria"
    )
    assert not criteria.has_add_permission and not criteria.has_change_permission
    assert not criteria.has_delete_permission
    assert 'data-lifecycle="pause"' in text and 'data-lifecycle="stop"' in text


def test_a_stale_form_posting_a_renamed_criterion_a_new_reward_and_shape_is_refused(
    admin_client: Client,
):
    campaign = make_campaign("likert-fce", status=CampaignStatus.DRAFT)
    stale = draft_form(campaign)
    campaign = make_campaign("likert-fce", status=CampaignStatus.PUBLISHED, name="live")
    stale = {**draft_form(campaign), "reward": "0.99", "items_per_hit": 2}
    stale["criteria-0-name"] = "renamed"
    before = stored(campaign)
    response = admin_client.post(change_url(campaign), stale)
    assert response.status_code == 200  # the form again, with the reason
    assert "can no longer change" in response.content.decode()
    assert stored(campaign) == before


def test_a_renamed_criterion_alone_is_refused_too(admin_client: Client):
    campaign = make_campaign("likert-fce", status=CampaignStatus.PUBLISHED)
    client = admin_client
    data = live_form(client, campaign)
    criterion = campaign.criteria.first()
    data.update(
        {
            "criteria-0-id": criterion.pk,
            "criteria-0-name": "renamed",
            "criteria-0-campaign": campaign.pk,
        }
    )
    before = stored(campaign)
    response = client.post(change_url(campaign), data)
    assert response.status_code == 200 and "can no longer change" in response.content.decode()
    assert stored(campaign) == before


def test_more_assignments_and_a_later_deadline_go_through_the_form(
    admin_client: Client,
):
    soon = timezone.now() + timedelta(days=1)
    campaign = make_campaign(
        "likert-fce", status=CampaignStatus.PUBLISHED, overrides={"deadline": soon}
    )
    client = admin_client
    data = live_form(client, campaign)
    later = soon + timedelta(days=2)
    data.update(
        assignments_per_hit=campaign.assignments_per_hit + 2,
        deadline_0=later.strftime("%Y-%m-%d"),
        deadline_1=later.strftime("%H:%M:%S"),
    )
    response = client.post(change_url(campaign), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    fresh = Campaign.objects.get(pk=campaign.pk)
    assert fresh.assignments_per_hit == campaign.assignments_per_hit + 2
    assert fresh.deadline > soon and fresh.reward == campaign.reward
    fewer = {**data, "assignments_per_hit": 1}
    refused = client.post(change_url(campaign), fewer)
    assert refused.status_code == 200 and "can only grow" in refused.content.decode()
    assert Campaign.objects.get(pk=campaign.pk).assignments_per_hit == fresh.assignments_per_hit


def test_a_draft_is_edited_as_before(admin_client: Client):
    campaign = make_campaign("likert-fce", status=CampaignStatus.DRAFT)
    data = {**draft_form(campaign), "reward": "0.55", "criteria-0-name": "renamed"}
    response = admin_client.post(change_url(campaign), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Campaign.objects.get(pk=campaign.pk).reward == Decimal("0.55")
    assert campaign.criteria.filter(name="renamed").exists()


def test_pause_resume_and_stop_from_the_campaign_page(
    admin_client: Client, django_capture_on_commit_callbacks: Any
):
    campaign = make_campaign("likert-fce", status=CampaignStatus.PUBLISHED)
    mid_hit = assignment_lease(campaign=campaign, worker=WorkerFactory())
    client = admin_client
    url = reverse("admin:campaigns_campaign_lifecycle", args=[campaign.pk])
    assert client.post(url, {"lifecycle": "pause"}).status_code == 302
    with pytest.raises(LeaseRefused, match="paused"):
        assignment_lease(campaign=campaign, worker=WorkerFactory())
    # A worker in the middle of a HIT keeps it.
    assert assignment_lease(campaign=campaign, worker=mid_hit.worker).pk == mid_hit.pk
    page = client.get(change_url(campaign)).content.decode()
    assert 'data-lifecycle="resume"' in page and 'data-lifecycle="pause"' not in page
    assert client.post(url, {"lifecycle": "resume"}).status_code == 302
    assert assignment_lease(campaign=campaign, worker=WorkerFactory()).pk
    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert client.post(url, {"lifecycle": "stop"}).status_code == 302
    assert Campaign.objects.get(pk=campaign.pk).status == CampaignStatus.CLOSED
    assert len(queued) == 1  # the HITs expire here and on the provider
    with pytest.raises(LeaseRefused):
        assignment_lease(campaign=campaign, worker=WorkerFactory())
