"""A whole MTurk round trip on the fake server: publish, accept, work on our pages, submit
through externalSubmit, reconcile, approve, bonus; money moves once; forgeries get none."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client

from evalplatform.campaigns.models import CampaignStatus
from evalplatform.crowd.models import Assignment, AssignmentStatus, Judgment
from evalplatform.providers import services
from evalplatform.providers.errors import ProviderError
from evalplatform.providers.ledger import Actor
from evalplatform.providers.models import BonusPayment, CallState, ReviewDecision
from tests.factories import make_campaign
from tests.providers.fakes.mturk_server import FakeMTurk
from tests.providers.worker import completion_form, do_task, open_entry

# Who decides on money in these tests (recorded on the ledger rows).
BY = Actor(label="test researcher")
pytestmark = pytest.mark.django_db
SANDBOX = "https://workersandbox.mturk.com"


def seed_002_campaign() -> Any:
    return make_campaign(
        "good-okay-bad",
        status=CampaignStatus.READY,
        overrides={"provider": "mturk", "bonus": Decimal("0.10"), "reward": Decimal("0.40")},
    )


def task_url(campaign_id: int, **query: str) -> str:
    return f"/p/mturk/task/{campaign_id}/?{urlencode(query)}"


def accept_and_work(
    client: Client,
    fake: FakeMTurk,
    campaign_id: int,
    hit_id: str,
    worker_id: str,
    *,
    submit: bool = True,
) -> Assignment:
    assignment_id = fake.accept(hit_id, worker_id)
    token = open_entry(
        client,
        task_url(
            campaign_id,
            assignmentId=assignment_id,
            hitId=hit_id,
            workerId=worker_id,
            turkSubmitTo=SANDBOX + "/",
        ),
    )
    do_task(client, token)
    form = completion_form(client, token)
    assert form["action"] == SANDBOX + "/mturk/externalSubmit" and form["method"] == "post"
    assert form["fields"]["assignmentId"] == assignment_id
    if submit:  # the worker's browser posts the form to MTurk
        assert fake.external_submit(form["fields"])
    return Assignment.objects.get(provider_assignment_id=assignment_id)


def test_round_trip_stores_judgments_and_pays_each_bonus_once(fake_mturk: FakeMTurk) -> None:
    campaign = seed_002_campaign()
    published = services.campaign_provider_publish(campaign=campaign)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.PUBLISHED and published["created"] == 3
    client = Client()
    done: list[Assignment] = []
    for hit_id in fake_mturk.hits:
        for worker_id in ("AWORKERONE", "AWORKERTWO"):
            done.append(accept_and_work(client, fake_mturk, campaign.pk, hit_id, worker_id))
    expected = sum(a.hit.items.all().values("candidates").count() for a in done)
    assert Judgment.objects.filter(assignment__in=done).count() == expected > 0

    counts = services.campaign_provider_reconcile(campaign=campaign, actor=BY)
    assert counts["awaiting_review"] == 6 and "mismatched" not in counts
    for _ in range(2):  # approving and paying twice moves money once
        services.campaign_submitted_approve(campaign=campaign, actor=BY)
        services.campaign_bonuses_pay(campaign=campaign, actor=BY)
        services.campaign_provider_reconcile(campaign=campaign, actor=BY)
    assert fake_mturk.calls["ApproveAssignment"] == 6
    assert all(
        a["AssignmentStatus"] == "Approved" and a["_paid"] == 1
        for a in fake_mturk.assignments.values()
    )
    assert len(fake_mturk.bonuses) == 6 and fake_mturk.paid_total() == Decimal("0.60")
    assert fake_mturk.calls["SendBonus"] == 6
    assert BonusPayment.objects.filter(state=CallState.SENT).count() == 6
    assert set(Assignment.objects.values_list("status", flat=True)) == {AssignmentStatus.APPROVED}


def test_bonus_retry_after_lost_answer_pays_once(fake_mturk: FakeMTurk) -> None:
    campaign = seed_002_campaign()
    services.campaign_provider_publish(campaign=campaign)
    hit_id = next(iter(fake_mturk.hits))
    accept_and_work(Client(), fake_mturk, campaign.pk, hit_id, "AWORKERONE")
    services.campaign_submitted_approve(campaign=campaign, actor=BY)
    fake_mturk.lose_answer_ops = {fake_mturk.call_number + 1}  # the SendBonus answer is lost
    services.campaign_bonuses_pay(campaign=campaign, actor=BY)  # botocore resends the same token
    services.campaign_bonuses_pay(campaign=campaign, actor=BY)
    assert len(fake_mturk.bonuses) == 1
    assert BonusPayment.objects.get().state == CallState.SENT


def test_forged_assignment_or_worker_id_gets_no_approval_and_no_money(
    fake_mturk: FakeMTurk,
) -> None:
    campaign = seed_002_campaign()
    services.campaign_provider_publish(campaign=campaign)
    hit_a, hit_b, _ = list(fake_mturk.hits)
    client = Client()
    # 1. An assignment id MTurk never issued: our pages work, MTurk refuses the submit.
    token = open_entry(
        client,
        task_url(
            campaign.pk,
            assignmentId="FORGED0000000001",
            hitId=hit_a,
            workerId="AEVILONE",
            turkSubmitTo=SANDBOX,
        ),
    )
    do_task(client, token)
    assert not fake_mturk.external_submit(completion_form(client, token)["fields"])
    # 2. A real worker's assignment opened under another worker id.
    real = fake_mturk.accept(hit_b, "AREALWORKER")
    token = open_entry(
        client,
        task_url(
            campaign.pk, assignmentId=real, hitId=hit_b, workerId="AEVILTWO", turkSubmitTo=SANDBOX
        ),
    )
    do_task(client, token)
    fields = completion_form(client, token)["fields"]
    assert fake_mturk.external_submit(fields)  # MTurk records it under AREALWORKER
    counts = services.campaign_provider_reconcile(campaign=campaign, actor=BY)
    assert counts.get("mismatched") == 1
    result = services.campaign_submitted_approve(campaign=campaign, actor=BY)
    services.campaign_bonuses_pay(campaign=campaign, actor=BY)
    assert result == {"unverified": 2}
    from evalplatform.providers.mturk.review import VerificationFailed

    forged = Assignment.objects.get(provider_assignment_id=real)
    with pytest.raises(VerificationFailed):  # a reject must not land on AREALWORKER either
        services.assignment_provider_reject(assignment=forged, reason="Bad work.", actor=BY)
    assert fake_mturk.calls["RejectAssignment"] == 0
    assert fake_mturk.calls["ApproveAssignment"] == 0 and fake_mturk.bonuses == []
    assert not ReviewDecision.objects.exists() and not BonusPayment.objects.exists()


def test_task_view_preview_and_refusals(fake_mturk: FakeMTurk) -> None:
    campaign = seed_002_campaign()
    services.campaign_provider_publish(campaign=campaign)
    hit_id = next(iter(fake_mturk.hits))
    client = Client()
    preview = client.get(
        task_url(campaign.pk, assignmentId="ASSIGNMENT_ID_NOT_AVAILABLE", hitId=hit_id)
    )
    assert preview.status_code == 200 and "X-Frame-Options" not in preview
    assert "frame-ancestors" in preview["Content-Security-Policy"]
    assert "workersandbox.mturk.com" in preview["Content-Security-Policy"]
    assert not Assignment.objects.exists()
    evil = client.get(
        task_url(
            campaign.pk,
            assignmentId="A1B2C3",
            hitId=hit_id,
            workerId="AWORKER",
            turkSubmitTo="https://evil.example.com",
        )
    )
    assert evil.status_code == 400 and not Assignment.objects.exists()
    prod_host = client.get(
        task_url(
            campaign.pk,
            assignmentId="A1B2C3",
            hitId=hit_id,
            workerId="AWORKER",
            turkSubmitTo="https://www.mturk.com",
        )
    )
    assert prod_host.status_code == 400  # a sandbox HIT only submits to the sandbox
    assert (
        client.get(
            task_url(
                campaign.pk,
                assignmentId="A1",
                hitId="NOTOURS1",
                workerId="AWORKER",
                turkSubmitTo=SANDBOX,
            )
        ).status_code
        == 404
    )
    assert (
        client.get(
            task_url(
                campaign.pk,
                assignmentId="a-b",
                hitId=hit_id,
                workerId="AWORKER",
                turkSubmitTo=SANDBOX,
            )
        ).status_code
        == 400
    )


def test_reject_with_reason_once_then_no_approval_and_no_bonus(fake_mturk: FakeMTurk) -> None:
    from evalplatform.common.errors import InvalidTransition

    campaign = seed_002_campaign()
    services.campaign_provider_publish(campaign=campaign)
    ours = accept_and_work(
        Client(), fake_mturk, campaign.pk, next(iter(fake_mturk.hits)), "AWORKERONE"
    )
    for _ in range(2):
        services.assignment_provider_reject(
            assignment=ours, reason="Answers were random.", actor=BY
        )
    remote = fake_mturk.assignments[ours.provider_assignment_id]
    assert remote["AssignmentStatus"] == "Rejected"
    assert remote["RequesterFeedback"] == "Answers were random."
    assert fake_mturk.calls["RejectAssignment"] == 1
    with pytest.raises(InvalidTransition):
        services.assignment_provider_approve(
            assignment=Assignment.objects.get(pk=ours.pk), actor=BY
        )
    services.campaign_submitted_approve(campaign=campaign, actor=BY)
    services.campaign_bonuses_pay(campaign=campaign, actor=BY)
    assert fake_mturk.calls["ApproveAssignment"] == 0 and fake_mturk.bonuses == []


def test_auto_approval_on_mturk_is_recorded_once(fake_mturk: FakeMTurk) -> None:
    campaign = seed_002_campaign()
    services.campaign_provider_publish(campaign=campaign)
    ours = accept_and_work(
        Client(), fake_mturk, campaign.pk, next(iter(fake_mturk.hits)), "AWORKERONE"
    )
    fake_mturk.assignments[ours.provider_assignment_id]["AssignmentStatus"] = "Approved"
    for _ in range(2):
        counts = services.campaign_provider_reconcile(campaign=campaign, actor=BY)
    assert counts.get("approved_on_mturk") is None  # the second run finds nothing new
    decision = ReviewDecision.objects.get()
    assert decision.auto_approved and decision.state == CallState.SENT
    services.campaign_bonuses_pay(campaign=campaign, actor=BY)  # auto-approved work still earns it
    assert len(fake_mturk.bonuses) == 1 and fake_mturk.calls["ApproveAssignment"] == 0


def test_a_worker_id_in_the_url_cannot_take_over_a_live_assignment(fake_mturk: FakeMTurk) -> None:
    campaign = seed_002_campaign()
    services.campaign_provider_publish(campaign=campaign)
    hit_id = next(iter(fake_mturk.hits))
    victim = Client()
    real = fake_mturk.accept(hit_id, "AVICTIM")
    open_entry(
        victim,
        task_url(
            campaign.pk,
            assignmentId=real,
            hitId=hit_id,
            workerId="AVICTIM",
            turkSubmitTo=SANDBOX + "/",
        ),
    )
    # The attacker knows the victim's worker id and the public HIT id, nothing else.
    stolen = Client().get(
        task_url(
            campaign.pk,
            assignmentId="ATTACKER0001",
            hitId=hit_id,
            workerId="AVICTIM",
            turkSubmitTo=SANDBOX + "/",
        )
    )
    assert stolen.status_code != 302
    assert b"already in progress for you under another assignment" in stolen.content
    assignment = Assignment.objects.get()
    assert assignment.provider_assignment_id == real
    assert assignment.provider_context["submit"]["fields"]["assignmentId"] == real


def test_a_reject_that_arrives_after_auto_approval_earns_no_bonus(fake_mturk: FakeMTurk) -> None:
    campaign = seed_002_campaign()
    services.campaign_provider_publish(campaign=campaign)
    ours = accept_and_work(
        Client(), fake_mturk, campaign.pk, next(iter(fake_mturk.hits)), "AWORKERONE"
    )
    fake_mturk.assignments[ours.provider_assignment_id]["AssignmentStatus"] = "Approved"
    with pytest.raises(ProviderError):  # MTurk refuses to reject approved work
        services.assignment_provider_reject(assignment=ours, reason="Ignored the task.", actor=BY)
    counts = services.campaign_provider_reconcile(campaign=campaign, actor=BY)
    assert counts["conflicting_decisions"] == 1
    ours.refresh_from_db()
    assert ours.status == AssignmentStatus.REJECTED  # excluded from the analysis
    decision = ReviewDecision.objects.get()
    assert decision.state == CallState.FAILED and "already decided" in decision.error
    services.campaign_bonuses_pay(campaign=campaign, actor=BY)
    assert not fake_mturk.bonuses and not BonusPayment.objects.exists()


def test_forged_submissions_give_their_slots_back_once_mturk_never_recorded_them(
    fake_mturk: FakeMTurk,
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    campaign = seed_002_campaign()  # 2 assignments per HIT
    services.campaign_provider_publish(campaign=campaign)
    hit_id = next(iter(fake_mturk.hits))
    forger = Client()
    for n in range(campaign.assignments_per_hit):
        token = open_entry(
            forger,
            task_url(
                campaign.pk,
                assignmentId=f"FAKE{n}",
                hitId=hit_id,
                workerId=f"AFAKE{n}",
                turkSubmitTo=SANDBOX + "/",
            ),
        )
        do_task(forger, token, label="bad")
    honest = fake_mturk.accept(hit_id, "AHONEST")
    url = task_url(
        campaign.pk,
        assignmentId=honest,
        hitId=hit_id,
        workerId="AHONEST",
        turkSubmitTo=SANDBOX + "/",
    )
    assert Client().get(url).status_code != 302  # the forgeries hold both places
    services.campaign_provider_reconcile(campaign=campaign, actor=BY)
    assert Assignment.objects.filter(status=AssignmentStatus.SUBMITTED).count() == 2  # too soon
    Assignment.objects.update(submitted_at=timezone.now() - timedelta(days=1))
    counts = services.campaign_provider_reconcile(campaign=campaign, actor=BY)
    assert counts["voided_unknown_to_mturk"] == 2
    assert set(Assignment.objects.values_list("status", flat=True)) == {AssignmentStatus.EXPIRED}
    open_entry(Client(), url)  # the honest worker gets a place now
    assert not BonusPayment.objects.exists()
