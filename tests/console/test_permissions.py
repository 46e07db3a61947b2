"""Least privilege in the console: every campaign action and every custom admin view is
refused (absent from the action list, or 403) unless its permission is held, and a refused
request changes nothing: no row written, no task queued."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from evalplatform.campaigns.models import Campaign, CampaignStatus, Candidate, Dataset, System
from evalplatform.crowd.models import Assignment, Hit, Invite, OwedBonus
from evalplatform.providers.models import BonusPayment, ReviewDecision
from evalplatform.reports.models import KeptReport
from tests.console.conftest import ROLES
from tests.factories import make_campaign
from tests.providers.conftest import make_hits_campaign

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:campaigns_campaign_changelist"

# Each campaign action and the one permission that offers it.
ACTION_PERMISSION = {
    "check_campaigns": "campaigns.view_campaign",
    "provider_estimate_cost": "campaigns.view_campaign",
    "start_generation": "campaigns.change_campaign",
    "build_hits": "campaigns.change_campaign",
    "provider_reconcile_campaign": "campaigns.change_campaign",
    "provider_publish": "campaigns.publish_campaign",
    "provider_expire_campaign": "campaigns.publish_campaign",
    "provider_approve_submitted": "campaigns.approve_work",
    "provider_pay_bonuses": "campaigns.pay_bonuses",
    "delete_selected": "campaigns.delete_campaign",
}


def snapshot() -> dict[str, Any]:
    """Everything an action or a view could write."""
    return {
        "campaigns": sorted(Campaign.objects.values_list("pk", "status", "paused_at")),
        "hits": Hit.objects.count(),
        "assignments": sorted(Assignment.objects.values_list("pk", "status")),
        "invites": Invite.objects.count(),
        "decisions": ReviewDecision.objects.count(),
        "bonuses": BonusPayment.objects.count() + OwedBonus.objects.count(),
        "datasets": Dataset.objects.count(),
        "candidates": Candidate.objects.count(),
        "kept_reports": sorted(KeptReport.objects.values_list("pk", "state", "fingerprint")),
    }


def offered_actions(client: Client) -> set[str]:
    page = client.get(reverse(CHANGELIST))
    assert page.status_code == 200
    return {name for name, _ in page.context["action_form"].fields["action"].choices if name}


@pytest.mark.parametrize("role", ["viewer", "preparer", "spender"])
def test_actions_are_offered_only_with_their_permission(
    role: str, client_as: Callable[[str], Client]
) -> None:
    make_campaign("likert-fce", status=CampaignStatus.READY)
    held = set(ROLES[role])
    expected = {name for name, needed in ACTION_PERMISSION.items() if needed in held}
    client = client_as(role)
    assert offered_actions(client) == expected
    from_preset = reverse("admin:campaigns_campaign_from_preset")
    page = client.get(reverse(CHANGELIST)).content.decode()
    assert (from_preset in page) == ("campaigns.add_campaign" in held)


def test_the_console_composes_every_campaign_action_with_its_permission() -> None:
    campaign_admin = admin.site._registry[Campaign]
    assert type(campaign_admin).__module__.startswith("evalplatform.console.")
    composed = {action.__name__: action for action in campaign_admin.actions}
    assert set(composed) == set(ACTION_PERMISSION) - {"delete_selected"}
    for action in composed.values():
        assert len(action.allowed_permissions) == 1, action


@pytest.mark.parametrize("role", ["viewer", "preparer"])
def test_refused_actions_change_nothing(
    role: str, client_as: Callable[[str], Client], django_capture_on_commit_callbacks: Any
) -> None:
    campaign = make_campaign("likert-fce", status=CampaignStatus.READY)
    client = client_as(role)
    refused = [name for name, needed in ACTION_PERMISSION.items() if needed not in ROLES[role]]
    for name in refused:
        before = snapshot()
        with django_capture_on_commit_callbacks(execute=False) as queued:
            client.post(
                reverse(CHANGELIST),
                {
                    "action": name,
                    "_selected_action": [campaign.pk],
                    "confirm": "yes",
                    "post": "yes",
                },
            )
        assert (name, snapshot(), queued) == (name, before, []), name


def test_a_preparer_builds_hits_but_a_viewer_cannot(client_as: Callable[[str], Client]) -> None:
    campaign = make_campaign("likert-fce", status=CampaignStatus.READY)
    for role, hits in (("viewer", 0), ("preparer", 2)):
        client_as(role).post(
            reverse(CHANGELIST), {"action": "build_hits", "_selected_action": [campaign.pk]}
        )
        assert campaign.hits.count() == hits, role


def test_a_spender_publishes_after_the_cost(
    client_as: Callable[[str], Client], django_capture_on_commit_callbacks: Any
) -> None:
    campaign = make_campaign("likert-fce", status=CampaignStatus.READY)
    client = client_as("spender")
    data = {"action": "provider_publish", "_selected_action": [campaign.pk]}
    assert b"check the cost" in client.post(reverse(CHANGELIST), data).content
    with django_capture_on_commit_callbacks(execute=False) as queued:
        client.post(reverse(CHANGELIST), {**data, "confirm": "yes"})
    assert len(queued) == 1


def view_cases(campaign: Campaign, assignment: Assignment) -> list[tuple[str, str, dict, str]]:
    """(url, method, data, permission needed) for every custom admin view of the console."""
    system = System.objects.first()
    assert system is not None
    preset_form = {
        "preset": "likert-fce",
        "name": "made-by-a-refused-user",
        "dataset": campaign.dataset_id,
        "systems": [system.pk],
        "provider": "local",
    }

    def url(name: str, *args: int) -> str:
        return reverse(f"admin:{name}", args=args)

    state = url("campaigns_campaign_provider_state", campaign.pk)
    invites = url("crowd_campaign_invites", campaign.pk)
    lifecycle = url("campaigns_campaign_lifecycle", campaign.pk)
    review = {"assignment": str(assignment.pk)}
    view, change = "campaigns.view_campaign", "campaigns.change_campaign"
    return [
        (url("campaigns_campaign_from_preset"), "get", {}, "campaigns.add_campaign"),
        (url("campaigns_campaign_from_preset"), "post", preset_form, "campaigns.add_campaign"),
        (url("crowd_campaign_preview", campaign.pk), "get", {}, view),
        (invites, "get", {}, view),
        (invites, "get", {"format": "csv"}, view),
        (invites, "post", {"count": "3", "kind": "link", "label": "x"}, change),
        (state, "get", {}, view),
        (state, "post", {"action": "reconcile"}, change),
        (state, "post", {"action": "approve", **review}, "campaigns.approve_work"),
        (state, "post", {"action": "reject", "reason": "no", **review}, "campaigns.approve_work"),
        (url("reports_campaign_report", campaign.pk), "get", {}, view),
        (url("reports_campaign_report_rebuild", campaign.pk), "post", {}, change),
        (url("campaigns_dataset_upload"), "get", {}, "campaigns.add_dataset"),
        (url("campaigns_dataset_upload"), "post", {}, "campaigns.add_dataset"),
        (url("campaigns_system_responses", system.pk), "get", {}, "campaigns.change_system"),
        (url("campaigns_system_responses", system.pk), "post", {}, "campaigns.change_system"),
        (url("campaigns_system_label", system.pk), "get", {}, "campaigns.change_system"),
        (url("campaigns_system_label", system.pk), "post", {}, "campaigns.change_system"),
        (lifecycle, "post", {"lifecycle": "pause"}, change),
        (lifecycle, "post", {"lifecycle": "resume"}, "campaigns.publish_campaign"),
        (lifecycle, "post", {"lifecycle": "stop"}, "campaigns.publish_campaign"),
    ]


@pytest.mark.parametrize("role", sorted(ROLES))
def test_custom_views_refuse_without_their_permission(
    role: str,
    client_as: Callable[[str], Client],
    reviewed_campaign: tuple[Campaign, Assignment],
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = client_as(role)
    wrong = []
    for url, method, data, needed in view_cases(*reviewed_campaign):
        before = snapshot()
        with django_capture_on_commit_callbacks(execute=False) as queued:
            response = getattr(client, method)(url, data)
        held = needed in ROLES[role]
        if held and response.status_code == 403:
            wrong.append(f"{method} {url} {data} refused with {needed} held")
        if not held and (response.status_code != 403 or snapshot() != before or queued):
            wrong.append(f"{method} {url} {data}: {response.status_code} without {needed}")
    assert wrong == []


def test_read_only_pages_answer_only_get(
    client_as: Callable[[str], Client], reviewed_campaign: tuple[Campaign, Assignment]
) -> None:
    campaign, _ = reviewed_campaign
    client = client_as("spender")
    for name in (
        "crowd_campaign_preview",
        "reports_campaign_report",
        "campaigns_campaign_decisions",
    ):
        url = reverse(f"admin:{name}", args=[campaign.pk])
        assert client.post(url, {"hit": "0"}).status_code == 405, name
        assert client.head(url).status_code != 405, name


def test_a_viewer_sees_the_campaign_page_with_counts_from_every_app(
    client_as: Callable[[str], Client], reviewed_campaign: tuple[Campaign, Assignment]
) -> None:
    campaign, _ = reviewed_campaign
    viewer = client_as("viewer")
    page = viewer.get(reverse("admin:campaigns_campaign_change", args=[campaign.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    for count in ("Sampled dialogues", "Hits", "Assignments submitted", "Judgments"):
        assert f"<th>{count}</th>" in text, count
    assert "Provider state and review" in text and "Report" in text
    on_mturk = make_hits_campaign(hits=2)
    page = viewer.get(reverse("admin:campaigns_campaign_change", args=[on_mturk.pk]))
    assert "<th>HITs on the provider</th><td>0</td>" in page.content.decode()


def test_an_action_that_declares_no_permission_is_offered_to_no_one(
    client_as: Callable[[str], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    def undeclared(modeladmin: Any, request: Any, queryset: Any) -> None:
        queryset.update(name="changed")

    campaign_admin = admin.site._registry[Campaign]
    monkeypatch.setattr(campaign_admin, "actions", [*campaign_admin.actions, undeclared])
    campaign = make_campaign("likert-fce", status=CampaignStatus.READY)
    client = client_as("spender")
    assert "undeclared" not in offered_actions(client)
    client.post(reverse(CHANGELIST), {"action": "undeclared", "_selected_action": [campaign.pk]})
    assert Campaign.objects.get(pk=campaign.pk).name == campaign.name
