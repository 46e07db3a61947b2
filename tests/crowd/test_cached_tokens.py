"""Issue 16, item 2: an answer is saved without loading its assignment first when this
process remembers the token (``crowd/selectors/facts.py``). What it remembers never changes;
everything that does is checked by the answer's own statement at the moment it writes. These
are the attacker's attempts with a token the process remembers: each must be refused, and
stored nothing, exactly as with a token seen for the first time."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone

from evalplatform.campaigns.models import Campaign
from evalplatform.campaigns.services import campaign_pause, campaign_stop
from evalplatform.crowd.models import Assignment, AssignmentStatus, Judgment
from evalplatform.crowd.selectors.facts import clear_facts, facts_for, facts_get
from evalplatform.crowd.services import (
    assignment_expire_leases,
    assignment_lease,
    assignment_return,
    assignment_submit,
)
from evalplatform.crowd.services.judgments import AnswerIn, judgments_save_cached
from evalplatform.crowd.tokens import (
    SALT,
    assignment_from_claims,
    assignment_token,
    assignment_url,
)
from tests.factories import WorkerFactory, answer_all, make_campaign, show_all

pytestmark = pytest.mark.django_db


def post(client: Client, lease: Assignment, body: dict, *, token: str | None = None) -> dict:
    url = (
        assignment_url(lease, "api-answer")
        if token is None
        else f"/w/a/{token}/api/answer"  # a token made by the test
    )
    response = client.post(url, json.dumps(body), content_type="application/json")
    return {"status": response.status_code, **response.json()}


def fluency(lease: Assignment, value: str, *, item: int = 0, candidate: int = 0) -> dict:
    return {
        "session": lease.session,
        "item": item,
        "candidate": candidate,
        "criterion": "fluency",
        "value": value,
    }


def stored(lease: Assignment, *, item: int = 0, candidate: int = 0) -> int | None:
    judgment = Judgment.objects.filter(
        assignment=lease, item__position=item, item_candidate__position=candidate
    ).first()
    return judgment.score if judgment else None


@pytest.fixture
def lease(worker) -> Assignment:
    """A leased Likert assignment whose token this process remembers (one answer saved)."""
    lease = assignment_lease(campaign=make_campaign("likert-fce"), worker=worker)
    show_all(lease)
    assert post(Client(), lease, fluency(lease, "2"))["ok"]
    assert facts_get(lease.pk, lease.worker_id) is not None
    return lease


def test_a_remembered_token_saves_and_counts_progress_like_a_new_one(lease):
    client = Client()
    assert post(client, lease, fluency(lease, "4"))["ok"] and stored(lease) == 4
    criteria = {c.name: c.allowed_values() for c in lease.hit.campaign.criteria.all()}
    candidates = lease.hit.items.get(position=0).candidates.count()
    questions = [(c, name) for c in range(candidates) for name in criteria]
    replies = []
    for candidate, name in questions:
        body = {**fluency(lease, criteria[name][0], candidate=candidate), "criterion": name}
        replies.append(post(client, lease, body))
    assert [reply["item_complete"] for reply in replies] == [False] * (len(questions) - 1) + [True]
    total = lease.hit.items.count()
    assert replies[-1] == {
        "status": 200,
        "ok": True,
        "item": 0,
        "item_complete": True,
        "done": 1,
        "total": total,
    }
    # A changed answer is counted once, not twice.
    again = post(client, lease, {**fluency(lease, criteria["fluency"][1])})
    assert (again["done"], again["item_complete"]) == (1, True)
    assert Judgment.objects.filter(assignment=lease).count() == len(questions)


def test_a_remembered_token_is_refused_once_the_assignment_is_submitted(lease):
    answer_all(lease)
    assignment_submit(assignment=lease, session=lease.session)
    refused = post(Client(), lease, fluency(lease, "5"))
    assert refused["status"] == 409 and "already submitted" in refused["error"]
    assert stored(lease) == 3  # answer_all's value, not the late one


def test_a_remembered_token_is_refused_once_the_lease_runs_out(lease):
    Assignment.objects.filter(pk=lease.pk).update(
        lease_expires_at=timezone.now() - timedelta(seconds=1)
    )
    refused = post(Client(), lease, fluency(lease, "5"))
    assert refused["status"] == 409 and "ran out" in refused["error"]
    assignment_expire_leases()
    refused = post(Client(), lease, fluency(lease, "5"))
    assert refused["status"] == 409 and "no longer yours" in refused["error"]
    assert stored(lease) == 2


def test_a_remembered_token_is_refused_once_the_hit_is_returned(lease):
    assignment_return(assignment=lease)
    refused = post(Client(), lease, fluency(lease, "5"))
    assert refused["status"] == 409 and "no longer yours" in refused["error"]
    assert stored(lease) == 2


def test_a_remembered_window_is_refused_once_another_takes_the_hit_over(lease):
    client = Client()
    earlier = lease.session
    taken = client.post(assignment_url(lease, "api-state"), content_type="application/json")
    later = taken.json()["session"]
    assert later and later != earlier
    refused = post(client, lease, fluency(lease, "5"))  # the earlier window's nonce
    assert refused["status"] == 409 and refused["code"] == "superseded"
    assert stored(lease) == 2
    assert post(client, lease, {**fluency(lease, "4"), "session": later})["ok"]
    assert stored(lease) == 4


def test_a_remembered_token_answers_only_the_dialogues_served(worker):
    lease = assignment_lease(campaign=make_campaign("likert-fce"), worker=worker)
    client = Client()
    page = client.get(assignment_url(lease, "item", position=0))
    assert page.status_code == 200
    lease.refresh_from_db()
    assert post(client, lease, fluency(lease, "2"))["ok"]
    assert facts_get(lease.pk, lease.worker_id) is not None
    refused = post(client, lease, fluency(lease, "2", item=1))
    assert refused["status"] == 400 and "not been shown" in refused["error"]
    assert stored(lease, item=1) is None
    # A batch with one answer past the pages served stores the others, as before.
    batch = {
        "session": lease.session,
        "answers": [
            {"item": 0, "candidate": 1, "criterion": "fluency", "value": "3"},
            {"item": 1, "candidate": 0, "criterion": "fluency", "value": "3"},
        ],
    }
    reply = post(client, lease, batch)
    assert [a["ok"] for a in reply["answers"]] == [True, False]
    assert stored(lease, candidate=1) == 3 and stored(lease, item=1) is None


def test_a_remembered_token_cannot_change_a_checked_dialogue(worker):
    lease = assignment_lease(campaign=make_campaign("good-okay-bad"), worker=worker)
    show_all(lease)
    client = Client()
    item = lease.hit.items.prefetch_related("candidates").get(position=0)
    for shown in item.candidates.all():
        body = {
            "session": lease.session,
            "item": 0,
            "candidate": shown.position,
            "criterion": "appropriateness",
            "value": "bad",
        }
        assert post(client, lease, body)["ok"]
    assert facts_get(lease.pk, lease.worker_id) is not None
    check = client.post(
        assignment_url(lease, "api-bonus"),
        json.dumps({"session": lease.session, "item": 0}),
        content_type="application/json",
    ).json()
    assert check["checked"] is True
    refused = post(client, lease, {**body, "value": "good"})
    assert refused["status"] == 400 and "locked" in refused["error"]
    assert set(
        Judgment.objects.filter(assignment=lease, item__position=0).values_list("label", flat=True)
    ) == {"bad"}


def test_a_token_naming_another_workers_assignment_is_refused(lease):
    """A token is signed, so it cannot be forged; this one is signed with the real key, as
    if it could, and names the remembered assignment with another worker."""
    other = WorkerFactory()
    foreign = signing.dumps([lease.pk, other.pk], salt=SALT, compress=False)
    refused = post(Client(), lease, fluency(lease, "5"), token=foreign)
    assert refused["status"] == 403
    assert stored(lease) == 2
    # The other worker's own assignment on the same HIT, with its own token, writes there.
    theirs = assignment_lease(campaign=lease.hit.campaign, worker=other, hit=lease.hit)
    show_all(theirs)
    assert post(Client(), theirs, fluency(theirs, "1"), token=assignment_token(theirs))["ok"]
    assert stored(lease) == 2 and stored(theirs) == 1


def test_a_remembered_token_of_a_deleted_assignment_is_refused(lease):
    Judgment.objects.filter(assignment=lease).delete()
    Assignment.objects.filter(pk=lease.pk).delete()
    refused = post(Client(), lease, fluency(lease, "5"))
    assert refused["status"] == 403 and "no longer exists" in refused["error"]
    assert facts_get(lease.pk, lease.worker_id) is None


def test_a_campaign_changed_since_is_read_again_and_its_rule_applies(lease):
    """Pausing and stopping change the campaign (``updated_at``): the remembered version no
    longer matches, the answer falls back to loading the assignment, and the campaign's
    rule applies as to any answer: a worker in the middle of a HIT may finish it."""
    campaign = lease.hit.campaign
    before = facts_get(lease.pk, lease.worker_id)
    campaign_pause(campaign=campaign)
    assert post(Client(), lease, fluency(lease, "4"))["ok"] and stored(lease) == 4
    campaign_stop(campaign=campaign)
    assert post(Client(), lease, fluency(lease, "5"))["ok"] and stored(lease) == 5
    after = facts_get(lease.pk, lease.worker_id)
    assert after is not None and before is not None
    assert after.campaign_updated_at > before.campaign_updated_at


def test_the_cached_save_stores_nothing_when_its_facts_are_out_of_date(lease):
    """The service itself, as the view calls it: a stale campaign version, or an
    assignment no longer open, store nothing and say so (None), leaving the refusal to the
    full path."""
    facts = facts_get(lease.pk, lease.worker_id)
    assert facts is not None
    answer = [AnswerIn(item=0, candidate=0, criterion="fluency", value="5")]
    saved = judgments_save_cached(facts=facts, answers=answer, session=lease.session)
    assert saved is not None and saved.outcomes[0].stored and stored(lease) == 5
    campaign_pause(campaign=lease.hit.campaign)
    answer = [AnswerIn(item=0, candidate=0, criterion="fluency", value="1")]
    assert judgments_save_cached(facts=facts, answers=answer, session=lease.session) is None
    current = replace(
        facts, campaign_updated_at=Campaign.objects.get(pk=facts.campaign_id).updated_at
    )
    Assignment.objects.filter(pk=lease.pk).update(status=AssignmentStatus.RETURNED)
    assert judgments_save_cached(facts=current, answers=answer, session=lease.session) is None
    assert stored(lease) == 5


def test_a_token_first_seen_by_an_answer_reads_the_same_facts_as_its_lookup(lease):
    """The narrow read of a token the process has not seen (``facts_for``) remembers exactly
    what loading the assignment remembers, and nothing for a worker the assignment is not."""
    clear_facts()
    read = facts_for(lease.pk, lease.worker_id)
    clear_facts()
    assignment_from_claims((lease.pk, lease.worker_id))
    assert read is not None and read == facts_get(lease.pk, lease.worker_id)
    assert facts_for(lease.pk, WorkerFactory().pk) is None


def test_a_token_first_seen_by_an_answer_is_refused_alike(lease):
    """With nothing remembered, each refusal of the remembered path is the same."""
    clear_facts()
    other = post(Client(), lease, {**fluency(lease, "5"), "session": "another-window"})
    assert other["status"] == 409 and other["code"] == "superseded"
    assert stored(lease) == 2
    answer_all(lease)
    assignment_submit(assignment=lease, session=lease.session)
    clear_facts()
    refused = post(Client(), lease, fluency(lease, "5"))
    assert refused["status"] == 409 and "already submitted" in refused["error"]
    assert stored(lease) == 3  # answer_all's value, not the late one
