"""The campaign admin's provider actions and the provider-state / review page."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from evalplatform.providers import tasks
from evalplatform.providers.models import ReviewDecision
from tests.providers.conftest import make_hits_campaign
from tests.providers.fakes.mturk_server import FakeMTurk

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:campaigns_campaign_changelist"


@pytest.fixture
def admin_client() -> Client:
    user = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    client = Client()
    client.force_login(user)
    return client


def run_action(client: Client, action: str, ids: list[int], **extra: str) -> Any:
    return client.post(
        reverse(CHANGELIST), {"action": action, "_selected_action": ids, **extra}, follow=True
    )


def test_estimate_action_shows_the_fees(admin_client: Client) -> None:
    campaign = make_hits_campaign(hits=600)
    page = run_action(admin_client, "provider_estimate_cost", [campaign.pk])
    text = page.content.decode()
    assert "600 HITs, 2400 assignments" in text and "total up to 1440.00" in text
    assert "sandbox" in text


def test_publish_shows_the_cost_then_enqueues(
    admin_client: Client, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    campaign = make_hits_campaign(hits=600)
    queued: list[int] = []
    monkeypatch.setattr(tasks.publish_campaign, "delay", queued.append)
    confirm = run_action(admin_client, "provider_publish", [campaign.pk])
    assert confirm.status_code == 200 and "$1440.00" in confirm.content.decode()
    assert queued == []
    with django_capture_on_commit_callbacks(execute=True):
        run_action(admin_client, "provider_publish", [campaign.pk], confirm="yes")
    assert queued == [campaign.pk]


def test_state_page_links_renders_and_enqueues_reconcile(
    admin_client: Client,
    fake_mturk: FakeMTurk,
    monkeypatch: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from evalplatform.providers import services

    campaign = make_hits_campaign(hits=3)
    services.campaign_provider_publish(campaign=campaign)
    change = admin_client.get(reverse("admin:campaigns_campaign_change", args=[campaign.pk]))
    url = reverse("admin:campaigns_campaign_provider_state", args=[campaign.pk])
    assert url in change.content.decode()
    page = admin_client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "HITs published" in text and "sandbox" in text and "Nothing awaits review" in text
    queued: list[tuple[int, ...]] = []
    monkeypatch.setattr(tasks.reconcile_campaign, "delay", lambda *ids: queued.append(ids))
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(url, {"action": "reconcile"})
    assert queued == [(campaign.pk, get_user_model().objects.get(username="root").pk)]
    # A reject needs a real assignment; an unknown one is a 404 and nothing is decided.
    assert (
        admin_client.post(
            url, {"action": "reject", "assignment": 999999, "reason": "x"}
        ).status_code
        == 404
    )
    assert not ReviewDecision.objects.exists()


def test_ledger_admin_is_read_only(admin_client: Client) -> None:
    page = admin_client.get(reverse("admin:providers_bonuspayment_changelist"))
    assert page.status_code == 200
    assert admin_client.get(reverse("admin:providers_bonuspayment_add")).status_code == 403
