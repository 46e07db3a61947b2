"""Plumbing shared by worker views: token checks, JSON bodies and refusal pages."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from evalplatform.common.errors import ApplicationError
from evalplatform.common.jsonbody import BodyRefused, parse_json, read_limited
from evalplatform.crowd.errors import (
    AssignmentClosed,
    InvalidAnswer,
    InvalidToken,
    SessionRequired,
)
from evalplatform.crowd.framing import frameable
from evalplatform.crowd.models import Assignment, AssignmentStatus
from evalplatform.crowd.services.judgments import closed_reason as answers_closed_reason
from evalplatform.crowd.tokens import assignment_from_claims, assignment_from_token, token_claims

DONE = (AssignmentStatus.SUBMITTED, AssignmentStatus.APPROVED, AssignmentStatus.REJECTED)


def page_url(name: str, token: str, **kwargs: Any) -> str:
    """A worker URL under the token the worker came with (kept stable across pages)."""
    return reverse(f"crowd:{name}", kwargs={"token": token, **kwargs})


def render_message(
    request: HttpRequest, title: str, message: str, *, status: int = 200
) -> HttpResponse:
    return render(
        request, "crowd/message.html", {"title": title, "message": message}, status=status
    )


def closed_reason(assignment: Assignment) -> str | None:
    """Why the assignment can no longer be worked on, or None while it can."""
    if assignment.status == AssignmentStatus.RETURNED:
        return "You returned this HIT, so it can no longer be worked on."
    if assignment.status == AssignmentStatus.EXPIRED or (
        assignment.status == AssignmentStatus.LEASED
        and assignment.lease_expires_at <= timezone.now()
    ):
        return (
            "Your time for this HIT ran out, so it went back to the pool. Answers you saved "
            "are kept; if you came from an invitation, open it again to continue."
        )
    return None


PageView = Callable[..., HttpResponse]


def worker_page(view: PageView) -> PageView:
    """A task page: frameable (MTurk), authenticated by the token in its URL. The wrapped
    view receives (request, assignment, token, **url kwargs)."""

    @frameable
    @wraps(view)
    def wrapped(request: HttpRequest, token: str, **kwargs: Any) -> HttpResponse:
        try:
            assignment = assignment_from_token(token)
        except InvalidToken as error:
            return render_message(request, "This link does not work", error.message, status=403)
        return view(request, assignment, token, **kwargs)

    return wrapped


def read_json(request: HttpRequest) -> dict[str, Any]:
    """The request body as a JSON object, within the size and nesting limits of every JSON
    endpoint. Only ``application/json`` is read: a cross-origin page can send text/plain or a
    form without asking the browser first (no CORS preflight), never application/json."""
    content_type = request.content_type or ""
    if content_type != "application/json":
        raise BodyRefused("Send the body as application/json.", 415)
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared == 0:
        return {}
    body = parse_json(read_limited(request, declared))
    if not isinstance(body, dict):
        raise InvalidAnswer("The request body must be a JSON object.")
    return body


def int_field(body: dict[str, Any], name: str) -> int:
    value = body.get(name)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidAnswer(f"{name!r} must be a whole number.")
    return value


def optional_int_field(body: dict[str, Any], name: str) -> int | None:
    return None if body.get(name) is None else int_field(body, name)


SESSION_REQUIRED = (
    "'session' is missing: send the nonce of this window with every request that writes "
    "answers. Worker pages carry it in their page data; a client without pages gets one "
    "from POST api/state, which takes the HIT over for that client."
)


def session_field(body: dict[str, Any], assignment: Assignment) -> str:
    """The nonce of the window that sends the request. Required: two clients that sent
    none could write over each other's answers without either being told. A closed
    assignment is refused as closed first, which says more than a missing nonce."""
    session = body.get("session")
    if session is None or session == "":
        reason = answers_closed_reason(assignment, timezone.now())
        if reason:
            raise AssignmentClosed(reason)
        raise SessionRequired(SESSION_REQUIRED)
    return str_field(body, "session")


def str_field(body: dict[str, Any], name: str) -> str:
    value = body.get(name)
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise InvalidAnswer(f"{name!r} must be a string.")
    return str(value)


ApiView = Callable[..., JsonResponse | HttpResponse]


def worker_api(
    *, method: str | tuple[str, ...], lookup: bool = True
) -> Callable[[ApiView], ApiView]:
    """A JSON endpoint authenticated by the token in its URL, answering the method(s)
    given; the wrapped view receives (request, assignment, token, body; {} for a GET).
    With ``lookup=False`` it receives the token's verified claims, (assignment id, worker
    id), instead of the assignment, and loads it only if it needs to.
    CSRF is exempt because the token, not a cookie, authenticates (MTurk's iframe has no
    first-party cookies); a request without a valid token changes nothing. Errors answer
    ``{"ok": false, "error": message}`` with the error's status."""

    methods = (method,) if isinstance(method, str) else method

    def decorate(view: ApiView) -> ApiView:
        @csrf_exempt
        @wraps(view)
        def wrapped(request: HttpRequest, token: str, **kwargs: Any) -> HttpResponse:
            if request.method not in methods:
                return JsonResponse(
                    {"ok": False, "error": f"Use {' or '.join(methods)}."},
                    status=405,
                    headers={"Allow": ", ".join(methods)},
                )
            try:
                body = read_json(request) if request.method == "POST" else {}
                claims = token_claims(token)
                found = assignment_from_claims(claims) if lookup else claims
                return view(request, found, token, body, **kwargs)
            except (ApplicationError, BodyRefused) as error:
                status = getattr(error, "status", 400)
                refusal = {"ok": False, "error": error.message}
                code = getattr(error, "code", "")
                if code:  # e.g. "superseded": another window took the HIT over
                    refusal["code"] = code
                return JsonResponse(refusal, status=status)

        return wrapped

    return decorate
