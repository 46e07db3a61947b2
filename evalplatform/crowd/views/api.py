"""JSON endpoints of the worker pages. Browsers and the simulated crowd use the same ones.

All live under ``/w/a/<token>/api/``, are authenticated by the signed assignment token in
the URL, take (``Content-Type: application/json``) and return JSON objects, and refuse with
``{"ok": false, "error": "..."}`` (400 bad answer or a body nested past the limit, 403 bad
token, 405 wrong method, 409 assignment closed, 413 body too large, 415 not JSON). Positions count
from 0: ``item`` is the dialogue's position in the HIT, ``candidate`` the response's
position in the dialogue as shown (A/B: 0 is A, 1 is B). Every request that writes
answers (answer, bonus-check, submit) carries ``"session"``, the nonce of the window or
client that sends it, so that two of them on one assignment never overwrite each other
unseen: the later one takes over and the earlier one is told (409 ``superseded``).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse

from evalplatform.crowd.errors import InvalidAnswer
from evalplatform.crowd.models import Assignment
from evalplatform.crowd.selectors import assignment_state
from evalplatform.crowd.selectors.facts import facts_for
from evalplatform.crowd.services import (
    assignment_session_take,
    assignment_submit,
    page_visit_close,
)
from evalplatform.crowd.services.bonus_checks import bonus_check_run
from evalplatform.crowd.services.judgments import (
    AnswerIn,
    AnswerOutcome,
    judgments_save,
    judgments_save_cached,
)
from evalplatform.crowd.tokens import assignment_from_claims
from evalplatform.crowd.views.common import (
    int_field,
    optional_int_field,
    page_url,
    session_field,
    str_field,
    worker_api,
)
from evalplatform.crowd.warmup import warmup_check


@worker_api(method=("GET", "POST"))
def state(
    request: HttpRequest, assignment: Assignment, token: str, body: dict[str, Any]
) -> JsonResponse:
    """``GET api/state`` -> ``{"ok": true, "status", "stage", "position",
    "lease_expires_at", "protocol", "progress": {"done", "total"}, "criteria": [{"name",
    "question", "kind", "about": "response"|"pair", "options": [{"value", "caption",
    "anchor"}]}], "items": [{"position", "complete", "turns": [{"speaker": 1|2, "text"}],
    "responses": [{"handle", "text", "label"}], "answers": [{"candidate", "criterion",
    "value"}]}]}``. ``label`` is the predicted emotion, given only when a criterion is
    binary.

    Reading changes nothing. ``POST api/state`` (an empty JSON body) answers the same plus
    ``"session"``, a new nonce for this client, which every request that writes answers
    must carry (as a page's script does with its own): it takes the HIT over, exactly as
    opening a page does, and any window or client before stops saving. null once the
    assignment is no longer leased. A GET never hands out a nonce, so that reading the state
    (a prefetch, a monitor, a second tab's script) cannot silently stop a window."""
    if request.method == "GET":
        return JsonResponse({"ok": True, **assignment_state(assignment)})
    session = assignment_session_take(assignment=assignment)
    return JsonResponse({"ok": True, "session": session, **assignment_state(assignment)})


@worker_api(method="POST", lookup=False)
def answer(
    request: HttpRequest, claims: tuple[int, int], token: str, body: dict[str, Any]
) -> JsonResponse:
    """``POST api/answer`` with one answer, ``{"item": 0, "candidate": 2 | null,
    "criterion": "fluency", "value": "4"}`` (values as in the criterion's options;
    ``candidate`` null or absent for A/B) -> ``{"ok": true, "item": 0, "item_complete":
    bool, "done": n, "total": n}``, or 400 with the reason it was refused.

    Or several at once, ``{"answers": [answer, ...]}`` (at most 200), each acknowledged on its
    own -> ``{"ok": every answer stored, "answers": [{"item", "candidate", "criterion",
    "ok": bool, "error"?: str}], "items_complete": {"0": bool, ...} (the items sent),
    "done": n, "total": n}``; 200 even when some were refused.

    Sending the same answer again is harmless; a new value replaces the old one. 409 and
    nothing stored once the assignment is submitted, returned or expired.

    Every request carries ``"session"``, the nonce of the window that sends it (in a
    page's data, or from POST api/state); without it 400 ``{"ok": false, "code":
    "session_required", "error": ...}``. Opening a page in another window, or POST
    api/state, gives the assignment a new one, and answers with the old one get 409
    ``{"ok": false, "code": "superseded", "error": ...}``; neither is stored.

    The assignment is not loaded first (``selectors.facts``): the answers' own statement
    checks everything that can change, and a token this process has not seen yet costs one
    narrow read of what never changes. Only when that stores nothing is the assignment
    loaded, and the answers saved or refused as before."""
    batch = "answers" in body
    try:
        answers = _answers_in(body, batch)
    except InvalidAnswer:
        assignment_from_claims(claims)  # a link to work that is gone says so first
        raise
    session = body.get("session")
    facts = facts_for(*claims) if isinstance(session, str) and session else None
    saved = None
    if facts is not None:
        saved = judgments_save_cached(facts=facts, answers=answers, session=str(session))
    if saved is None:
        assignment = assignment_from_claims(claims)
        saved = judgments_save(
            assignment=assignment, answers=answers, session=session_field(body, assignment)
        )
    outcomes, progress = saved.outcomes, saved.progress
    if not batch:
        (outcome,) = outcomes
        if outcome.error:
            raise InvalidAnswer(outcome.error)
        return JsonResponse(
            {
                "ok": True,
                "item": outcome.answer.item,
                "item_complete": progress.complete[outcome.answer.item],
                "done": progress.done,
                "total": progress.total,
            }
        )
    return JsonResponse(
        {
            "ok": all(outcome.stored for outcome in outcomes),
            "answers": [_outcome_json(outcome) for outcome in outcomes],
            "items_complete": {
                str(position): progress.complete[position]
                for position in sorted({a.item for a in answers})
                if 0 <= position < progress.total
            },
            "done": progress.done,
            "total": progress.total,
        }
    )


def _answers_in(body: dict[str, Any], batch: bool) -> list[AnswerIn]:
    raw = body["answers"] if batch else [body]
    if not isinstance(raw, list) or not all(isinstance(entry, dict) for entry in raw):
        raise InvalidAnswer("'answers' must be a list of answer objects.")
    return [_answer_in(entry) for entry in raw]


def _answer_in(entry: dict[str, Any]) -> AnswerIn:
    return AnswerIn(
        item=int_field(entry, "item"),
        candidate=optional_int_field(entry, "candidate"),
        criterion=str_field(entry, "criterion"),
        value=str_field(entry, "value"),
    )


def _outcome_json(outcome: AnswerOutcome) -> dict[str, Any]:
    answer = outcome.answer
    result: dict[str, Any] = {
        "item": answer.item,
        "candidate": answer.candidate,
        "criterion": answer.criterion,
        "ok": outcome.stored,
    }
    if outcome.error:
        result["error"] = outcome.error
    return result


@worker_api(method="POST")
def bonus(
    request: HttpRequest, assignment: Assignment, token: str, body: dict[str, Any]
) -> JsonResponse:
    """``POST api/bonus-check`` with ``{"item": 0, "session"}`` (the nonce as for
    api/answer: required, refused alike) -> ``{"ok": true, "checked": bool,
    "locked": bool, "message": str}``. Answered alike for every dialogue, gold or not:
    ``checked`` once every response of the dialogue is answered, which locks its answers
    (later answers to it are refused); a second check answers ``checked: false, locked:
    true``. Never says whether a point was earned: points are counted at submit. 429 past
    the HIT's bound of checks (services/bonus_checks.py)."""
    position = int_field(body, "item")
    result = bonus_check_run(
        assignment=assignment, item_position=position, session=session_field(body, assignment)
    )
    return JsonResponse(
        {
            "ok": True,
            "checked": result.outcome == "checked",
            "locked": result.locked,
            "message": result.message,
        }
    )


@worker_api(method="POST")
def warmup(
    request: HttpRequest, assignment: Assignment, token: str, body: dict[str, Any]
) -> JsonResponse:
    """``POST api/warmup-check`` with ``{"answers": [{"candidate", "criterion", "value"}]}``
    (the practice item's answers, same shape as api/answer) -> ``{"ok": true, "correct":
    bool, "feedback": [str]}``. Nothing is stored."""
    raw = body.get("answers")
    answers: dict[tuple[int | None, str], str] = {}
    for entry in raw if isinstance(raw, list) else []:
        if isinstance(entry, dict):
            candidate = optional_int_field(entry, "candidate")
            answers[(candidate, str_field(entry, "criterion"))] = str_field(entry, "value")
    campaign = assignment.hit.campaign
    result = warmup_check(
        protocol=campaign.protocol, criteria=list(campaign.criteria.all()), answers=answers
    )
    return JsonResponse({"ok": True, "correct": result.correct, "feedback": result.feedback})


@worker_api(method="POST")
def submit(
    request: HttpRequest, assignment: Assignment, token: str, body: dict[str, Any]
) -> JsonResponse:
    """``POST api/submit`` with ``{"session"}`` -> ``{"ok": true, "status": "submitted",
    "completion_code", "bonus_points", "bonus_checks", "next": URL of the completion
    page}``. Idempotent: a second submit answers the same. The nonce is required and
    checked as for an answer (400 ``session_required``; 409 ``superseded`` once another
    window has taken the HIT over)."""
    result = assignment_submit(assignment=assignment, session=session_field(body, assignment))
    return JsonResponse(
        {
            "ok": True,
            "status": result.status,
            "completion_code": result.completion_code,
            "bonus_points": result.bonus_points,
            "bonus_checks": result.bonus_checks,
            "next": page_url("done", token),
        }
    )


@worker_api(method="POST")
def leave(
    request: HttpRequest, assignment: Assignment, token: str, body: dict[str, Any]
) -> HttpResponse:
    """``POST api/leave`` with ``{"visit": id}`` (the page's visit id, sent by the
    page's pagehide request, a keepalive fetch) -> 204. Closes the page's timing record.
    The simulated crowd adds ``"simulated_seconds"``, which counts only for simulated
    assignments."""
    visit = int_field(body, "visit")
    declared = body.get("simulated_seconds")
    page_visit_close(
        assignment=assignment,
        visit_id=visit,
        simulated_seconds=float(declared) if isinstance(declared, int | float) else None,
    )
    return HttpResponse(status=204)
