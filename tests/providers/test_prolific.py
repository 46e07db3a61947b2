"""Prolific against the local fake API: study creation, the participant's round trip,
submissions fetch, approve / reject, bulk bonuses paid once, returned slots reclaimed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client

from evalplatform.campaigns.models import CampaignStatus
from evalplatform.crowd.models import Assignment, AssignmentStatus
from evalplatform.providers import services
from evalplatform.providers.errors import TransientProviderError
from evalplatform.providers.ledger import Actor
from evalplatform.providers.models import BonusPayment, CallState, ProlificStudy, StudyState
from evalplatform.providers.registry import get_provider
from tests.factories import make_campaign
from tests.providers.fakes.prolific_server import FakeProlific
from tests.providers.worker import completion_form, do_task, open_entry

# Who decides on money in these tests (recorded on the ledger rows).
BY = Actor(label="test researcher")
pytestmark = pytest.mark.django_db


def prolific_campaign() -> Any:
    campaign = make_campaign(
        "good-okay-bad",
        status=CampaignStatus.READY,
        overrides={"provider": "prolific", "bonus": Decimal("0.10"), "reward": Decimal("0.40")},
    )
    services.campaign_provider_publish(campaign=campaign)
    return campaign


def participate(
    client: Client, fake: FakeProlific, campaign: Any, pid: str, *, finish: bool = True
) -> str:
    study = ProlificStudy.objects.get(campaign=campaign)
    session = fake.start(study.study_id, pid)
    url = f"/p/prolific/start/{campaign.pk}/?" + urlencode(
        {"PROLIFIC_PID": pid, "STUDY_ID": study.study_id, "SESSION_ID": session}
    )
    token = open_entry(client, url)
    if finish:
        do_task(client, token)
        form = completion_form(client, token)
        assert form["action"] == "https://app.prolific.com/submissions/complete"
        assert form["method"] == "get" and form["fields"]["cc"] == study.completion_code
        fake.complete(session, form["fields"]["cc"])
    return session


def test_study_is_created_once_with_our_entry_url(fake_prolific: FakeProlific) -> None:
    campaign = prolific_campaign()
    services.campaign_provider_publish(campaign=campaign)  # again: nothing new
    assert len(fake_prolific.studies) == 1
    remote = next(iter(fake_prolific.studies.values()))
    assert remote["status"] == "ACTIVE" and remote["total_available_places"] == 6
    assert remote["reward"] == 40 and remote["prolific_id_option"] == "url_parameters"
    url = remote["external_study_url"]
    assert url.startswith(f"https://eval.example.org/p/prolific/start/{campaign.pk}/?")
    for placeholder in ("{{%PROLIFIC_PID%}}", "{{%STUDY_ID%}}", "{{%SESSION_ID%}}"):
        assert placeholder in url
    study = ProlificStudy.objects.get(campaign=campaign)
    assert remote["completion_codes"][0]["code"] == study.completion_code
    assert study.state == StudyState.ACTIVE


def test_lost_create_answer_finds_the_study_by_internal_name(
    fake_prolific: FakeProlific, monkeypatch: pytest.MonkeyPatch
) -> None:
    from evalplatform.providers.prolific.client import ProlificClient

    real = ProlificClient.create_study

    def lost(self: ProlificClient, body: dict[str, Any]) -> dict[str, Any]:
        real(self, body)
        raise TransientProviderError("connection reset")

    monkeypatch.setattr(ProlificClient, "create_study", lost)
    with pytest.raises(TransientProviderError):
        prolific_campaign()
    monkeypatch.setattr(ProlificClient, "create_study", real)
    campaign = ProlificStudy.objects.get().campaign
    services.campaign_provider_publish(campaign=campaign)
    assert len(fake_prolific.studies) == 1
    assert ProlificStudy.objects.get().state == StudyState.ACTIVE


def test_round_trip_approve_reject_and_bulk_bonus_once(fake_prolific: FakeProlific) -> None:
    campaign = prolific_campaign()
    client = Client()
    sessions = [participate(client, fake_prolific, campaign, f"pid{n:021d}") for n in range(3)]
    fetched = get_provider("prolific", campaign).fetch_submissions(campaign)
    assert sorted(s.provider_assignment_id for s in fetched) == sorted(sessions)
    assert {s.status for s in fetched} == {"submitted"}
    assert services.campaign_provider_reconcile(campaign=campaign, actor=BY)["awaiting_review"] == 3

    rejected = Assignment.objects.get(provider_assignment_id=sessions[2])
    services.assignment_provider_reject(
        assignment=rejected, reason="Too fast.", category="TOO_QUICKLY", actor=BY
    )
    for _ in range(2):
        services.campaign_submitted_approve(campaign=campaign, actor=BY)
        services.campaign_bonuses_pay(campaign=campaign, actor=BY)
    statuses = [fake_prolific.submissions[s]["status"] for s in sessions]
    assert statuses == ["APPROVED", "APPROVED", "REJECTED"]
    assert len(fake_prolific.bulks) == 1
    assert [p["submission"] for p in fake_prolific.payments] == sessions[:2]
    assert sum(p["amount"] for p in fake_prolific.payments) == Decimal("0.20")
    assert BonusPayment.objects.filter(state=CallState.SENT).count() == 2


def test_pay_with_unknown_outcome_is_never_repeated(fake_prolific: FakeProlific) -> None:
    campaign = prolific_campaign()
    participate(Client(), fake_prolific, campaign, "pid000000000000000000001")
    services.campaign_submitted_approve(campaign=campaign, actor=BY)
    original = fake_prolific.handle
    calls = {"n": 0}

    def fail_pay(method: str, path: str, query: dict[str, str], body: Any) -> Any:
        if path.endswith("/pay/"):
            calls["n"] += 1
            original(method, path, query, body)  # Prolific paid...
            return 502, {"error": "bad gateway"}  # ...but we never heard back
        return original(method, path, query, body)

    fake_prolific.handle = fail_pay  # type: ignore[method-assign]
    with pytest.raises(TransientProviderError):
        services.campaign_bonuses_pay(campaign=campaign, actor=BY)
    services.campaign_bonuses_pay(campaign=campaign, actor=BY)
    assert calls["n"] == 1 and len(fake_prolific.payments) == 1
    assert BonusPayment.objects.get().state == CallState.UNCERTAIN


def test_returned_and_timed_out_submissions_give_their_slot_back(
    fake_prolific: FakeProlific,
) -> None:
    campaign = prolific_campaign()
    client = Client()
    returned = participate(
        client, fake_prolific, campaign, "pid000000000000000000010", finish=False
    )
    timed_out = participate(
        client, fake_prolific, campaign, "pid000000000000000000011", finish=False
    )
    fake_prolific.set_status(returned, "RETURNED")
    fake_prolific.set_status(timed_out, "TIMED-OUT")
    counts = services.campaign_provider_reconcile(campaign=campaign, actor=BY)
    assert counts["slots_reclaimed"] == 2
    assert set(Assignment.objects.values_list("status", flat=True)) == {AssignmentStatus.RETURNED}
    assert (
        services.campaign_provider_reconcile(campaign=campaign, actor=BY).get("slots_reclaimed")
        is None
    )
    # The freed slots are leased again: six participants now fit in 3 HITs x 2 slots.
    for n in range(6):
        participate(client, fake_prolific, campaign, f"pid{n + 100:021d}", finish=False)
    assert Assignment.objects.filter(status=AssignmentStatus.LEASED).count() == 6


def test_entry_refuses_a_foreign_study(fake_prolific: FakeProlific) -> None:
    campaign = prolific_campaign()
    url = f"/p/prolific/start/{campaign.pk}/?" + urlencode(
        {"PROLIFIC_PID": "pid1", "STUDY_ID": "someoneelse", "SESSION_ID": "s1"}
    )
    assert Client().get(url).status_code == 400
    assert not Assignment.objects.exists()


def test_expire_stops_the_study(fake_prolific: FakeProlific) -> None:
    campaign = prolific_campaign()
    services.campaign_provider_expire(campaign=campaign)
    assert next(iter(fake_prolific.studies.values()))["status"] == "COMPLETED"
    assert ProlificStudy.objects.get().state == StudyState.STOPPED


def test_transient_errors_are_retried_on_reads(fake_prolific: FakeProlific) -> None:
    campaign = prolific_campaign()
    fake_prolific.fail_next = [429, 503]
    assert services.campaign_provider_reconcile(campaign=campaign, actor=BY) == {}


def test_new_session_resumes_the_same_hit_once_the_old_one_is_known_to_be_over(
    fake_prolific: FakeProlific,
) -> None:
    campaign = prolific_campaign()
    client = Client()
    pid = "pid000000000000000000077"
    first = participate(client, fake_prolific, campaign, pid, finish=False)
    hit = Assignment.objects.get(provider_assignment_id=first).hit
    fake_prolific.set_status(first, "TIMED-OUT")
    # Until reconcile has seen the old session end, a new session id for a live lease is
    # refused: a participant id in a URL is only a claim (someone else's would do).
    study = ProlificStudy.objects.get(campaign=campaign)
    early = fake_prolific.start(study.study_id, pid)
    refused = client.get(
        f"/p/prolific/start/{campaign.pk}/?"
        + urlencode({"PROLIFIC_PID": pid, "STUDY_ID": study.study_id, "SESSION_ID": early})
    )
    assert b"already in progress for you under another assignment" in refused.content
    services.campaign_provider_reconcile(campaign=campaign, actor=BY)
    second = participate(client, fake_prolific, campaign, pid)
    ours = Assignment.objects.get(provider_assignment_id=second)
    assert ours.hit == hit and Assignment.objects.count() == 1
    services.campaign_submitted_approve(campaign=campaign, actor=BY)
    assert fake_prolific.submissions[second]["status"] == "APPROVED"


def test_two_overlapping_pay_runs_pay_a_bonus_once(fake_prolific: FakeProlific) -> None:
    from evalplatform.providers import ledger
    from evalplatform.providers.bonuses import bonus_due
    from evalplatform.providers.registry import campaign_provider

    campaign = prolific_campaign()
    participate(Client(), fake_prolific, campaign, "pid000000000000000000001")
    services.campaign_submitted_approve(campaign=campaign, actor=BY)
    approved = Assignment.objects.get(status=AssignmentStatus.APPROVED)
    due = bonus_due(approved)
    assert due is not None
    ledger.bonus_record(assignment=approved, amount=due.amount, reason=due.reason, rule=due.rule)
    # Run B reads the pending bonuses, then run A records and pays everything ...
    stale = list(
        BonusPayment.objects.filter(state=CallState.PENDING).select_related(
            "assignment__hit", "worker"
        )
    )
    services.campaign_bonuses_pay(campaign=campaign, actor=BY)
    # ... and B carries on with what it read: nothing more is paid.
    assert campaign_provider(campaign).pay_bonuses(stale) == 0
    assert len(fake_prolific.payments) == 1
