"""Query budgets of the worker endpoints: every click of hundreds of workers goes
through these, so their statement counts are pinned, and constant in the size of the HIT.

The campaign's criteria and the HIT's layout (which item and response sits at which
position) are read once per process and kept, so each test makes one request first and
counts the steady state that a busy server is in.

Counted: statements that read or write rows. Transaction control is not: an atomic block
issues SAVEPOINT/RELEASE inside the test's own transaction and BEGIN IMMEDIATE/COMMIT on
SQLite, and nothing the ORM logs on PostgreSQL in production."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evalplatform.crowd.models import Judgment
from evalplatform.crowd.selectors.facts import clear_facts
from evalplatform.crowd.services import assignment_lease
from evalplatform.crowd.tokens import assignment_url
from tests.factories import answer_all, make_campaign, show_all

pytestmark = pytest.mark.django_db

ANSWER_BUDGET = 4
ITEM_PAGE_BUDGET = 6
STATE_BUDGET = 4
SUBMIT_BUDGET = 10


TRANSACTION_CONTROL = re.compile(r"^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b", re.I)


@contextmanager
def at_most(budget: int) -> Iterator[None]:
    with CaptureQueriesContext(connection) as captured:
        yield
    statements = [q["sql"] for q in captured if not TRANSACTION_CONTROL.match(q["sql"])]
    assert len(statements) <= budget, (
        f"{len(statements)} statements, budget {budget}:\n" + "\n".join(statements)
    )


def post(client, url, body):
    """As a page's script posts: the body carries the window's nonce (passed by the caller,
    so that reading it is not counted)."""
    assert body.get("session"), "send the session nonce"
    return client.post(url, json.dumps(body), content_type="application/json")


@pytest.fixture
def big_lease(worker):
    """A 10-dialogue Likert HIT (3 responses x 3 criteria per dialogue)."""
    campaign = make_campaign("likert-fce", overrides={"sample_size": 10, "items_per_hit": 10})
    lease = assignment_lease(campaign=campaign, worker=worker)
    show_all(lease)
    return lease


def test_a_new_answer_and_a_changed_answer_stay_within_budget(client, big_lease):
    url = assignment_url(big_lease, "api-answer")
    window = {"session": big_lease.session}
    post(client, url, {**window, "item": 0, "candidate": 0, "criterion": "fluency", "value": "3"})
    with at_most(ANSWER_BUDGET):
        new = post(
            client, url, {**window, "item": 0, "candidate": 1, "criterion": "fluency", "value": "4"}
        )
    with at_most(ANSWER_BUDGET):
        changed = post(
            client, url, {**window, "item": 0, "candidate": 1, "criterion": "fluency", "value": "5"}
        )
    assert new.status_code == changed.status_code == 200
    assert Judgment.objects.get(assignment=big_lease, item_candidate__position=1).score == 5


def test_a_tokens_first_answer_in_a_process_adds_one_narrow_read(client, big_lease):
    """A token the process has not seen costs one read of what never changes about its
    assignment (its HIT and campaign versions), not the assignment's whole lookup."""
    url = assignment_url(big_lease, "api-answer")
    window = {"session": big_lease.session}
    post(client, url, {**window, "item": 0, "candidate": 0, "criterion": "fluency", "value": "3"})
    clear_facts()
    with CaptureQueriesContext(connection) as captured:
        reply = post(
            client, url, {**window, "item": 0, "candidate": 1, "criterion": "fluency", "value": "4"}
        )
    assert reply.status_code == 200, reply.content
    statements = [q["sql"] for q in captured if not TRANSACTION_CONTROL.match(q["sql"])]
    assert len(statements) == (2 if connection.vendor == "postgresql" else 3), statements
    assert "crowd_worker" not in statements[0]  # the narrow read, not the whole lookup


def test_a_whole_dialogue_in_one_request_stays_within_the_answer_budget(client, big_lease):
    url = assignment_url(big_lease, "api-answer")
    window = {"session": big_lease.session}
    post(client, url, {**window, "item": 1, "candidate": 0, "criterion": "fluency", "value": "3"})
    answers = [
        {"item": 0, "candidate": c, "criterion": name, "value": "1"}
        for c in range(3)
        for name in ("fluency", "consistency", "emotion_accuracy")
    ]
    with at_most(ANSWER_BUDGET):
        response = post(client, url, {**window, "answers": answers})
    assert response.status_code == 200, response.content
    assert response.json()["ok"] is True
    assert Judgment.objects.filter(assignment=big_lease, item__position=0).count() == 9


def test_item_page_stays_within_budget(client, big_lease):
    answer_all(big_lease)
    client.get(assignment_url(big_lease, "item", position=0))
    with at_most(ITEM_PAGE_BUDGET):
        page = client.get(assignment_url(big_lease, "item", position=9))
    assert page.status_code == 200
    assert "Dialogue 10 of 10" in page.content.decode()


def test_state_stays_within_budget_on_a_ten_dialogue_hit(client, big_lease):
    answer_all(big_lease)
    client.get(assignment_url(big_lease, "api-state"))
    with at_most(STATE_BUDGET):
        state = client.get(assignment_url(big_lease, "api-state")).json()
    assert state["progress"] == {"done": 10, "total": 10}
    assert all(len(item["answers"]) == 9 for item in state["items"])


def test_submit_stays_within_budget(client, worker):
    campaign = make_campaign("good-okay-bad")
    lease = assignment_lease(campaign=campaign, worker=worker)
    show_all(lease)
    answer_all(lease, label_for=lambda shown: "okay" if shown.is_gold else "bad")
    taken = client.post(assignment_url(lease, "api-state"), content_type="application/json")
    session = taken.json()["session"]
    with at_most(SUBMIT_BUDGET):
        result = post(client, assignment_url(lease, "api-submit"), {"session": session}).json()
    assert result["status"] == "submitted" and result["bonus_points"] == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="one statement on PostgreSQL")
def test_on_postgresql_an_answer_counts_its_progress_in_its_own_write(client, big_lease):
    """One statement once the process remembers the token (the first answer reads its facts): the
    upsert that finds the assignment by the token's claims, checks at the moment of writing
    everything that can change (crowd/selectors/facts.py), and counts the assignment's
    answers per dialogue (a new answer counted, a changed one not twice)."""
    url = assignment_url(big_lease, "api-answer")
    window = {"session": big_lease.session}
    criteria = {c.name: c.allowed_values() for c in big_lease.hit.campaign.criteria.all()}
    questions = [(candidate, name) for candidate in range(3) for name in criteria]
    for candidate, name in questions[:-1]:
        body = {"item": 0, "candidate": candidate, "criterion": name, "value": criteria[name][0]}
        assert post(client, url, {**window, **body}).json()["item_complete"] is False
    candidate, name = questions[-1]
    first, second = criteria[name][:2]
    last = {**window, "item": 0, "candidate": candidate, "criterion": name, "value": first}
    with at_most(1):
        new = post(client, url, last)
    with at_most(1):
        changed = post(client, url, {**last, "value": second})
    complete = {"ok": True, "item": 0, "item_complete": True, "done": 1, "total": 10}
    assert new.json() == changed.json() == complete
