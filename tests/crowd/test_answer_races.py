"""Answers racing a submit: an answer is written without locking the assignment
against other answers, so these check that a submit still sees exactly what is stored: an
answer acknowledged is counted by the submit, and an answer the submit did not count is
refused. Real threads on the configured database (run with DATABASE_URL on PostgreSQL to
exercise its row locks; SQLite serialises writers)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from evalplatform.crowd.errors import AssignmentClosed
from evalplatform.crowd.models import ItemCandidate, Judgment
from evalplatform.crowd.selectors import assignment_bonus_points
from evalplatform.crowd.selectors.facts import facts_get
from evalplatform.crowd.services import assignment_lease, assignment_submit, judgment_save
from evalplatform.crowd.services.judgments import AnswerIn, judgments_save_cached
from evalplatform.crowd.tokens import assignment_from_claims
from tests.factories import WorkerFactory, answer_all, make_campaign, show_all

ROUNDS = 8


def _race(*actions):
    barrier = threading.Barrier(len(actions))
    errors: list[BaseException] = []

    def run(action):
        try:
            barrier.wait(timeout=10)
            action()
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


@pytest.mark.django_db(transaction=True)
def test_an_answer_racing_a_submit_is_counted_by_it_or_refused():
    campaign = make_campaign("good-okay-bad", overrides={"assignments_per_hit": ROUNDS})
    for _ in range(ROUNDS):
        lease = assignment_lease(campaign=campaign, worker=WorkerFactory())
        show_all(lease)
        answer_all(lease, label_for=lambda shown: "okay" if shown.is_gold else "bad")
        gold = ItemCandidate.objects.get(item__hit=lease.hit, is_gold=True)
        acknowledged = []

        def change_gold(lease=lease, gold=gold, acknowledged=acknowledged):
            try:
                judgment_save(
                    assignment=lease,
                    item_position=gold.item.position,
                    candidate_position=gold.position,
                    criterion="appropriateness",
                    value="bad",
                )
                acknowledged.append(True)
            except AssignmentClosed:
                acknowledged.append(False)

        _race_against_submit(change_gold, lease, gold, acknowledged)


@pytest.mark.django_db(transaction=True)
def test_concurrent_answers_to_one_assignment_are_each_stored_once():
    campaign = make_campaign("likert-fce")
    lease = assignment_lease(campaign=campaign, worker=WorkerFactory())
    show_all(lease)
    answers = [
        {"item_position": item, "candidate_position": c, "criterion": name, "value": "2"}
        for item in range(3)
        for c in range(3)
        for name in ("fluency", "consistency")
    ]

    def save(kwargs):
        return lambda: judgment_save(assignment=lease, **kwargs)

    # Every answer sent twice at once, as a retrying browser may.
    errors = _race(*[save(a) for a in answers for _ in range(2)])
    assert not errors, errors
    assert Judgment.objects.filter(assignment=lease).count() == len(answers)


@pytest.mark.django_db(transaction=True)
def test_a_remembered_tokens_answer_racing_a_submit_is_counted_by_it_or_refused():
    """The same race on the answer path that does not load the assignment first
    (``judgments_save_cached``, one statement): its checks and its lock are in the write."""
    campaign = make_campaign("good-okay-bad", overrides={"assignments_per_hit": ROUNDS})
    for _ in range(ROUNDS):
        lease = assignment_lease(campaign=campaign, worker=WorkerFactory())
        show_all(lease)
        answer_all(lease, label_for=lambda shown: "okay" if shown.is_gold else "bad")
        facts = _remembered(lease)
        gold = ItemCandidate.objects.select_related("item").get(item__hit=lease.hit, is_gold=True)
        change = AnswerIn(
            item=gold.item.position,
            candidate=gold.position,
            criterion="appropriateness",
            value="bad",
        )
        acknowledged = []

        def change_gold(facts=facts, change=change, lease=lease, acknowledged=acknowledged):
            saved = judgments_save_cached(facts=facts, answers=[change], session=lease.session)
            acknowledged.append(saved is not None)

        _race_against_submit(change_gold, lease, gold, acknowledged)


def _remembered(lease):
    assignment_from_claims((lease.pk, lease.worker_id))
    facts = facts_get(lease.pk, lease.worker_id)
    assert facts is not None
    return facts


def _race_against_submit(change_gold, lease, gold, acknowledged: list[bool]) -> None:
    """Race ``change_gold`` (gold's answer from okay to bad) against the lease's submit: the
    change is stored exactly when it was acknowledged, and the submit counted exactly the
    answers that are stored."""
    errors = _race(change_gold, lambda: assignment_submit(assignment=lease))
    assert not errors, errors
    lease.refresh_from_db()
    stored = Judgment.objects.get(assignment=lease, item_candidate=gold).label
    assert lease.status == "submitted"
    assert stored == ("bad" if acknowledged == [True] else "okay")
    assert lease.bonus_points == assignment_bonus_points(lease)[0]
