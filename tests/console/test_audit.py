"""The money audit trail in the console: a decision made on the review page or by an
action records the user who made it, and the review page and its CSV show who and when."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from evalplatform.campaigns.models import Campaign
from evalplatform.crowd.models import Assignment
from evalplatform.providers import tasks
from evalplatform.providers.models import BonusPayment, ReviewDecision
from evalplatform.providers.selectors import campaign_money_decisions

pytestmark = pytest.mark.django_db


def review_page(campaign: Campaign) -> str:
    return reverse("admin:campaigns_campaign_provider_state", args=[campaign.pk])


def test_a_rejection_on_the_review_page_records_who_and_why(
    client_as: Callable[[str], Client], reviewed_campaign: tuple[Campaign, Assignment]
) -> None:
    campaign, submitted = reviewed_campaign
    client = client_as("spender")
    data = {"action": "reject", "assignment": submitted.pk, "reason": "Random answers."}
    client.post(review_page(campaign), data)
    decision = ReviewDecision.objects.get(assignment=submitted)
    assert decision.decision == "reject" and decision.reason == "Random answers."
    assert decision.decided_by.get_username() == "spender"
    assert decision.decided_by_label == "spender"
    page = client.get(review_page(campaign)).content.decode()
    assert "Decisions" in page and "spender" in page and "Random answers." in page


def test_an_approval_and_its_bonus_from_the_admin_record_the_user_and_go_to_the_csv(
    client_as: Callable[[str], Client],
    reviewed_campaign: tuple[Campaign, Assignment],
    django_capture_on_commit_callbacks: Any,
) -> None:
    campaign, submitted = reviewed_campaign
    Campaign.objects.filter(pk=campaign.pk).update(
        bonus=Decimal("0.25"), provider_settings={"bonus_rule": "min_points:0"}
    )
    client = client_as("spender")
    client.post(review_page(campaign), {"action": "approve", "assignment": submitted.pk})
    changelist = reverse("admin:campaigns_campaign_changelist")
    with django_capture_on_commit_callbacks() as queued:
        client.post(
            changelist, {"action": "provider_pay_bonuses", "_selected_action": [campaign.pk]}
        )
    [enqueue] = queued  # tasks.pay_bonuses.delay(campaign id, user id): run it as a worker
    tasks.pay_bonuses(*enqueue.args)
    bonus = BonusPayment.objects.get(assignment=submitted)
    assert bonus.decided_by_label == "spender" and bonus.decided_by is not None
    decisions = reverse("admin:campaigns_campaign_decisions", args=[campaign.pk])
    assert decisions in client.get(review_page(campaign)).content.decode()
    response = client.get(decisions)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["kind"], r["assignment"], r["decided_by"]) for r in rows] == [
        ("approve", str(submitted.pk), "spender"),
        ("bonus", str(submitted.pk), "spender"),
    ]
    assert rows[1]["amount"] == "0.25" and all(r["decided_at"] for r in rows)
    assert [row.kind for row in campaign_money_decisions(campaign, latest=1)] == ["bonus"]
    assert client_as("staff_only").get(decisions).status_code == 403
