"""The cookie middleware is skipped on the token-authenticated worker endpoints only
(evalplatform/common/middleware.py), and their responses are the same without it."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.core.checks import run_checks
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory, override_settings

from evalplatform.common import middleware as ours
from evalplatform.common.middleware import SessionMiddleware
from evalplatform.crowd.services import assignment_lease
from evalplatform.crowd.tokens import assignment_url
from tests.factories import show_all

pytestmark = pytest.mark.django_db


def djangos_own(path: str) -> str:
    """The Django middleware that one of ours skips on the token endpoints."""
    if not path.startswith(f"{ours.__name__}."):
        return path
    base = getattr(ours, path.rsplit(".", 1)[1]).__mro__[2]  # past the skipping mixin
    return f"{base.__module__}.{base.__qualname__}"


def test_only_the_token_endpoints_skip_the_cookie_middleware():
    seen: list[bool] = []

    def view(request: HttpRequest) -> HttpResponse:
        seen.append(hasattr(request, "session"))
        return HttpResponse()

    middleware = SessionMiddleware(view)
    factory = RequestFactory()
    for path in ("/w/a/TOKEN/api/answer", "/w/a/TOKEN/item/0", "/w/a/TOKEN/", "/console/"):
        middleware(factory.post(path))
    assert seen == [False, True, True, True]


def test_a_token_endpoints_response_is_the_same_as_with_djangos_own_middleware(
    likert_campaign, worker
):
    lease = assignment_lease(campaign=likert_campaign, worker=worker)
    show_all(lease)
    url = assignment_url(lease, "api-answer")

    def answer(value: str) -> HttpResponse:
        body = {"session": lease.session, "item": 0, "candidate": 0}
        body |= {"criterion": "fluency", "value": value}
        return Client().post(url, json.dumps(body), content_type="application/json")

    skipped = answer("3")
    with override_settings(MIDDLEWARE=[djangos_own(path) for path in settings.MIDDLEWARE]):
        theirs = answer("3")
    assert "django.contrib.sessions.middleware.SessionMiddleware" in [
        djangos_own(path) for path in settings.MIDDLEWARE
    ]
    assert skipped.status_code == theirs.status_code == 200
    assert skipped.content == theirs.content
    assert dict(skipped.items()) == dict(theirs.items())
    assert skipped.cookies == theirs.cookies == {}
    assert skipped["X-Frame-Options"] == "DENY" and skipped["X-Content-Type-Options"] == "nosniff"


def test_the_deploy_checks_still_see_the_session_and_csrf_settings():
    for setting, warnings in (
        ("SESSION_COOKIE_SECURE", {"security.W010", "security.W012"}),
        ("CSRF_COOKIE_SECURE", {"security.W016"}),
    ):
        with override_settings(**{setting: False}):
            found = {message.id for message in run_checks(include_deployment_checks=True)}
        assert found & warnings, (setting, found)
