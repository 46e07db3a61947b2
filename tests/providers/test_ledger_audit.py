"""Who decided each approval, rejection and bonus is recorded on its ledger row, when it
is made: the user who ran the action, or the task that found or made the decision."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from evalplatform.campaigns.models import Campaign
from evalplatform.crowd.models import Assignment
from evalplatform.providers import tasks
from evalplatform.providers.models import BonusPayment, ReviewDecision
from tests.providers.fakes.mturk_server import FakeMTurk
from tests.providers.test_mturk_roundtrip import accept_and_work, seed_002_campaign

pytestmark = pytest.mark.django_db


def published_with_one_submission(fake: FakeMTurk) -> tuple[Campaign, Assignment]:
    campaign = seed_002_campaign()
    tasks.publish_campaign(campaign.pk)
    submitted = accept_and_work(Client(), fake, campaign.pk, next(iter(fake.hits)), "AWORKER1")
    return campaign, submitted


def test_approvals_and_bonuses_run_for_a_user_record_that_user(fake_mturk: FakeMTurk) -> None:
    campaign, submitted = published_with_one_submission(fake_mturk)
    researcher = get_user_model().objects.create_user("ada", password="pw", is_staff=True)
    tasks.approve_submitted(campaign.pk, researcher.pk)
    tasks.pay_bonuses(campaign.pk, researcher.pk)
    decision = ReviewDecision.objects.get(assignment=submitted)
    assert (decision.decided_by, decision.decided_by_label) == (researcher, "ada")
    assert decision.created_at is not None
    [bonus] = BonusPayment.objects.filter(assignment=submitted)  # the worker passed the gold
    assert (bonus.decided_by, bonus.decided_by_label) == (researcher, "ada")


def test_approvals_the_periodic_reconcile_finds_record_the_task(fake_mturk: FakeMTurk) -> None:
    campaign, submitted = published_with_one_submission(fake_mturk)
    fake_mturk.assignments[submitted.provider_assignment_id]["AssignmentStatus"] = "Approved"
    assert tasks.reconcile_all() == 1  # the beat's task enqueues reconcile_campaign
    tasks.reconcile_campaign(campaign.pk)  # what the worker then runs
    decision = ReviewDecision.objects.get(assignment=submitted)
    assert decision.auto_approved and decision.decided_by is None
    assert "evalplatform.providers.tasks.reconcile_campaign" in decision.decided_by_label


def test_an_approval_task_run_by_nobody_records_the_task(fake_mturk: FakeMTurk) -> None:
    campaign, submitted = published_with_one_submission(fake_mturk)
    tasks.approve_submitted(campaign.pk)
    decision = ReviewDecision.objects.get(assignment=submitted)
    assert decision.decided_by is None
    assert decision.decided_by_label == "task evalplatform.providers.tasks.approve_submitted"


def test_a_decision_keeps_its_decider_when_the_user_is_deleted(fake_mturk: FakeMTurk) -> None:
    campaign, submitted = published_with_one_submission(fake_mturk)
    researcher = get_user_model().objects.create_user("grace", password="pw", is_staff=True)
    tasks.approve_submitted(campaign.pk, researcher.pk)
    researcher.delete()
    decision = ReviewDecision.objects.get(assignment=submitted)
    assert (decision.decided_by, decision.decided_by_label) == (None, "grace")
