"""Issue 12, item 5: two windows on one assignment. Opening a page gives the assignment a
new session nonce; answers carry the nonce of the window that sends them, and one from a
window opened earlier is refused (409, ``superseded``) and not stored, so the later window
takes over instead of both writing."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from evalplatform.crowd.errors import SessionSuperseded
from evalplatform.crowd.models import Assignment, AssignmentStatus, BonusCheckRecord, Judgment
from evalplatform.crowd.services import assignment_lease, assignment_submit
from evalplatform.crowd.services.judgments import AnswerIn, judgments_save
from evalplatform.crowd.tokens import assignment_url
from tests.crowd.test_query_budgets import ANSWER_BUDGET, SUBMIT_BUDGET, at_most
from tests.factories import answer_all, make_campaign, show_all

pytestmark = pytest.mark.django_db
PAGE_DATA = re.compile(r'<script id="page-data" type="application/json">(.*?)</script>', re.S)


def open_page(client: Client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200
    return json.loads(PAGE_DATA.search(response.content.decode()).group(1))


def answer(client: Client, lease: Assignment, value: str, session: str | None) -> dict:
    body = {"item": 0, "candidate": 0, "criterion": "fluency", "value": value}
    if session is not None:
        body["session"] = session
    response = client.post(
        assignment_url(lease, "api-answer"), json.dumps(body), content_type="application/json"
    )
    return {"status": response.status_code, **response.json()}


def stored_score(lease: Assignment) -> int | None:
    judgment = Judgment.objects.filter(assignment=lease, item__position=0).first()
    return judgment.score if judgment else None


@pytest.fixture
def lease(worker) -> Assignment:
    return assignment_lease(campaign=make_campaign("likert-fce"), worker=worker)


def test_the_later_window_takes_over_and_the_earlier_one_is_told(lease):
    first, second = Client(), Client()
    item = assignment_url(lease, "item", position=0)
    earlier = open_page(first, item)["session"]
    assert answer(first, lease, "2", earlier)["ok"]
    later = open_page(second, item)["session"]
    assert later and later != earlier
    refused = answer(first, lease, "1", earlier)
    assert refused["status"] == 409 and refused["code"] == "superseded"
    assert "opened in another window" in refused["error"]
    assert stored_score(lease) == 2  # the earlier window's late answer is not stored
    assert answer(second, lease, "4", later)["ok"] and stored_score(lease) == 4
    # Reloading the first window takes the HIT back, explicitly.
    again = open_page(first, item)["session"]
    assert answer(second, lease, "5", later)["code"] == "superseded"
    assert answer(first, lease, "3", again)["ok"] and stored_score(lease) == 3


def test_a_superseded_window_cannot_submit(lease):
    answer_all(lease)
    first, second = Client(), Client()
    earlier = open_page(first, assignment_url(lease, "review"))["session"]
    open_page(second, assignment_url(lease, "review"))
    response = first.post(
        assignment_url(lease, "api-submit"),
        json.dumps({"session": earlier}),
        content_type="application/json",
    )
    assert response.status_code == 409 and response.json()["code"] == "superseded"
    assert Assignment.objects.get(pk=lease.pk).status == AssignmentStatus.LEASED


def test_the_write_itself_checks_the_session_when_another_window_opens_meanwhile(lease):
    """The view checks the nonce of the assignment it loaded; a window opening between
    that read and the write is caught by the upsert's condition, and nothing is stored."""
    show_all(lease)
    Assignment.objects.filter(pk=lease.pk).update(session="mine")
    loaded = Assignment.objects.select_related("hit__campaign", "worker").get(pk=lease.pk)
    Assignment.objects.filter(pk=lease.pk).update(session="another window")
    with pytest.raises(SessionSuperseded):
        judgments_save(
            assignment=loaded,
            answers=[AnswerIn(item=0, candidate=0, criterion="fluency", value="3")],
            session="mine",
        )
    assert stored_score(lease) is None


def test_a_raw_client_without_the_nonce_cannot_write_over_a_window(lease):
    """The JSON API alone (no page, no nonce): every request that writes answers is
    refused with an error that says where the nonce comes from, and nothing is stored."""
    window = Client()
    session = open_page(window, assignment_url(lease, "item", position=0))["session"]
    assert answer(window, lease, "2", session)["ok"]
    for nonce in (None, ""):
        raw = answer(Client(), lease, "5", nonce)
        assert raw["status"] == 400 and raw["code"] == "session_required"
        assert "'session'" in raw["error"] and "api/state" in raw["error"]
    assert stored_score(lease) == 2
    for name, body in (("api-bonus", {"item": 0}), ("api-submit", {})):
        refused = Client().post(
            assignment_url(lease, name), json.dumps(body), content_type="application/json"
        )
        assert refused.status_code == 400 and refused.json()["code"] == "session_required"
    assert Assignment.objects.get(pk=lease.pk).status == AssignmentStatus.LEASED
    assert not BonusCheckRecord.objects.filter(assignment=lease).exists()


def test_a_closed_assignment_says_so_before_asking_for_the_nonce(lease):
    answer_all(lease)
    assignment_submit(assignment=lease)
    refused = answer(Client(), lease, "5", None)
    assert refused["status"] == 409 and "already submitted" in refused["error"]


def take_over(client: Client, lease: Assignment) -> str:
    """As a client without pages takes the HIT over: POST api/state."""
    response = client.post(assignment_url(lease, "api-state"), content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()["session"]


def test_reading_the_state_takes_nothing_over(lease):
    """GET api/state has no side effect: a window keeps saving while another client only
    reads, and the reader is given no nonce to write with."""
    window = Client()
    session = open_page(window, assignment_url(lease, "item", position=0))["session"]
    state = Client().get(assignment_url(lease, "api-state")).json()
    assert state["ok"] and "session" not in state
    assert Assignment.objects.get(pk=lease.pk).session == session
    assert answer(window, lease, "2", session)["ok"] and stored_score(lease) == 2


def test_two_raw_clients_take_their_nonce_from_state_and_the_later_one_takes_over(lease):
    show_all(lease)
    first, second = Client(), Client()
    earlier = take_over(first, lease)
    assert answer(first, lease, "2", earlier)["ok"]
    later = take_over(second, lease)
    assert later and later != earlier
    refused = answer(first, lease, "1", earlier)
    assert refused["status"] == 409 and refused["code"] == "superseded"
    assert stored_score(lease) == 2
    assert answer(second, lease, "4", later)["ok"] and stored_score(lease) == 4


def test_a_superseded_window_cannot_run_a_bonus_check(lease):
    first, second = Client(), Client()
    item = assignment_url(lease, "item", position=0)
    earlier = open_page(first, item)["session"]
    open_page(second, item)
    response = first.post(
        assignment_url(lease, "api-bonus"),
        json.dumps({"item": 0, "session": earlier}),
        content_type="application/json",
    )
    assert response.status_code == 409 and response.json()["code"] == "superseded"
    assert not BonusCheckRecord.objects.filter(assignment=lease).exists()


def test_the_session_check_keeps_the_answer_and_submit_budgets(client, lease):
    session = open_page(client, assignment_url(lease, "item", position=0))["session"]
    answer(client, lease, "2", session)
    with at_most(ANSWER_BUDGET):
        assert answer(client, lease, "3", session)["ok"]
    answer_all(lease)
    with at_most(SUBMIT_BUDGET):
        submitted = client.post(
            assignment_url(lease, "api-submit"),
            json.dumps({"session": session}),
            content_type="application/json",
        )
    assert submitted.status_code == 200
