"""Hostile request bodies get a clear 4xx as JSON, never a traceback or a debug page
(issue 13 item 4): on the worker endpoints, which anyone with a link can reach, and on the
researchers' DRF API."""

from __future__ import annotations

import json

import pytest

from evalplatform.crowd.models import Assignment, Judgment
from evalplatform.crowd.services import assignment_lease
from evalplatform.crowd.tokens import assignment_url
from tests.factories import show_all

pytestmark = pytest.mark.django_db
ANSWER = {"item": 0, "candidate": 0, "criterion": "fluency", "value": "3"}


@pytest.fixture
def answer_url(likert_campaign, worker):
    lease = assignment_lease(campaign=likert_campaign, worker=worker)
    show_all(lease)
    return assignment_url(lease, "api-answer")


@pytest.fixture
def anonymous(client, settings):
    settings.DEBUG = True  # the default set-up, where a traceback would be shown
    client.raise_request_exception = False
    return client


def deep(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def assert_json_refusal(response, status: int) -> str:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["ok"] is False and body["error"]
    assert "Traceback" not in body["error"]
    return str(body["error"])


def test_a_100000_deep_body_is_refused_as_json(anonymous, answer_url):
    response = anonymous.post(answer_url, deep(100_000), content_type="application/json")
    assert "nested" in assert_json_refusal(response, 400)
    assert not Judgment.objects.exists()


def test_nesting_past_the_limit_is_refused_even_when_python_could_parse_it(anonymous, answer_url):
    body = json.dumps({**ANSWER, "extra": json.loads(deep(50))})
    response = anonymous.post(answer_url, body, content_type="application/json")
    assert "nested" in assert_json_refusal(response, 400)


def test_a_6_mb_body_is_refused_as_json(anonymous, answer_url):
    body = json.dumps({**ANSWER, "padding": "x" * 6_000_000})
    response = anonymous.post(answer_url, body, content_type="application/json")
    assert "large" in assert_json_refusal(response, 413)
    assert not Judgment.objects.exists()


@pytest.mark.parametrize(
    "content_type",
    ["text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "multipart/form-data"],
)
def test_worker_posts_need_a_json_content_type(anonymous, answer_url, content_type):
    """A cross-origin form or fetch without a preflight can only send these types."""
    response = anonymous.post(answer_url, json.dumps(ANSWER), content_type=content_type)
    assert "application/json" in assert_json_refusal(response, 415)
    assert not Judgment.objects.exists()


def test_json_with_a_charset_is_accepted(client, answer_url):
    body = {**ANSWER, "session": Assignment.objects.get().session}
    response = client.post(
        answer_url, json.dumps(body), content_type="application/json; charset=utf-8"
    )
    assert response.status_code == 200 and Judgment.objects.count() == 1


def test_the_api_refuses_deep_and_huge_bodies_as_json(admin_client):
    admin_client.raise_request_exception = False
    deep_response = admin_client.post(
        "/api/campaigns/", deep(100_000), content_type="application/json"
    )
    assert deep_response.status_code == 400, deep_response.content[:300]
    assert "nested" in json.dumps(deep_response.json())
    shallow_but_nested = admin_client.post(
        "/api/campaigns/",
        json.dumps({"name": json.loads(deep(50))}),
        content_type="application/json",
    )
    assert shallow_but_nested.status_code == 400
    assert "nested" in json.dumps(shallow_but_nested.json())
    huge = admin_client.post(
        "/api/campaigns/",
        json.dumps({"name": "x" * 6_000_000}),
        content_type="application/json",
    )
    assert huge.status_code == 413, huge.content[:300]
    assert huge["Content-Type"].startswith("application/json")
