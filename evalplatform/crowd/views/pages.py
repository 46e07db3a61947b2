"""The worker's pages: welcome, instructions, one page per dialogue, review, completion.

Every page is reached through ``/w/a/<token>/...``; the entry URL sends the worker to the
page they were last on, so a reload, a closed tab or a second device resumes there.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render

from evalplatform.crowd.models import Assignment, AssignmentStage, Invite, PageVisit
from evalplatform.crowd.selectors import (
    assignment_answers,
    assignment_bonus_points,
    assignment_progress,
    hit_brief,
    item_view,
    warmup_view,
)
from evalplatform.crowd.services import page_visit_open
from evalplatform.crowd.services.invites import invite_path
from evalplatform.crowd.services.judgments import LOCKED_MESSAGE, item_checked
from evalplatform.crowd.views.common import (
    DONE,
    closed_reason,
    page_url,
    render_message,
    worker_page,
)
from evalplatform.protocols.registry import get

LOCAL_HOSTS = {"localhost", "127.0.0.1", "testserver"}


def _closed(request: HttpRequest, assignment: Assignment, token: str) -> HttpResponse | None:
    """Where a worker goes instead of a task page once the assignment is over."""
    if assignment.status in DONE:
        return HttpResponseRedirect(page_url("done", token))
    reason = closed_reason(assignment)
    if reason:
        return render_message(request, "This HIT is closed", reason, status=409)
    return None


def _urls(token: str) -> dict[str, str]:
    return {
        name: page_url(f"api-{name}", token)
        for name in ("state", "answer", "bonus", "warmup", "submit", "leave")
    }


def _page_data(token: str, visit: PageVisit | None, **extra: Any) -> dict[str, Any]:
    """What a page's script needs; ``session`` is the nonce this window's answers carry
    (page_visit_open issued it), so a later window can take the HIT over."""
    if visit is None:
        return {"urls": _urls(token), "visit": None, **extra}
    return {"urls": _urls(token), "visit": visit.pk, "session": visit.assignment.session, **extra}


@worker_page
def entry(request: HttpRequest, assignment: Assignment, token: str) -> HttpResponse:
    """``GET /w/a/<token>/``: the page the worker was last on."""
    if assignment.status in DONE:
        return HttpResponseRedirect(page_url("done", token))
    stage = assignment.stage
    if stage == AssignmentStage.TASK:
        return HttpResponseRedirect(page_url("item", token, position=assignment.position))
    if stage in (AssignmentStage.INSTRUCTIONS, AssignmentStage.REVIEW):
        return HttpResponseRedirect(page_url(stage, token))
    return HttpResponseRedirect(page_url("welcome", token))


@worker_page
def welcome(request: HttpRequest, assignment: Assignment, token: str) -> HttpResponse:
    closed = _closed(request, assignment, token)
    if closed:
        return closed
    visit = page_visit_open(assignment=assignment, page=AssignmentStage.WELCOME)
    return render(
        request,
        "crowd/welcome.html",
        {
            "brief": hit_brief(hit=assignment.hit, assignment=assignment),
            "next_url": page_url("instructions", token),
            "page_data": _page_data(token, visit),
        },
    )


@worker_page
def instructions(request: HttpRequest, assignment: Assignment, token: str) -> HttpResponse:
    closed = _closed(request, assignment, token)
    if closed:
        return closed
    visit = page_visit_open(assignment=assignment, page=AssignmentStage.INSTRUCTIONS)
    campaign = assignment.hit.campaign
    progress = assignment_progress(assignment)
    start = progress.first_incomplete
    return render(
        request,
        "crowd/instructions.html",
        {
            "campaign": campaign,
            "brief": hit_brief(hit=assignment.hit),
            "view": warmup_view(campaign=campaign),
            "warmup": True,
            "next_url": page_url("item", token, position=start)
            if start is not None
            else page_url("review", token),
            "page_data": _page_data(token, visit, protocol=campaign.protocol, mode="warmup"),
        },
    )


@worker_page
def item(request: HttpRequest, assignment: Assignment, token: str, position: int) -> HttpResponse:
    """One dialogue. Dialogues open in order: one past the first unfinished is refused by
    sending the worker to that one."""
    closed = _closed(request, assignment, token)
    if closed:
        return closed
    answers = assignment_answers(assignment)
    progress = answers.progress
    if not progress.reachable(position):
        first = progress.first_incomplete
        if first is None:
            return HttpResponseRedirect(page_url("review", token))
        return HttpResponseRedirect(page_url("item", token, position=first))
    visit = page_visit_open(
        assignment=assignment, page=AssignmentStage.TASK, item_position=position
    )
    campaign = assignment.hit.campaign
    view = item_view(
        hit=assignment.hit, position=position, answers=answers.by_item.get(position, {})
    )
    last = position + 1 >= progress.total
    next_url = page_url("review", token) if last else page_url("item", token, position=position + 1)
    back_url = (
        page_url("item", token, position=position - 1)
        if position
        else page_url("instructions", token)
    )
    bonus = get(campaign.protocol).bonus_button and campaign.gold_per_hit > 0
    return render(
        request,
        "crowd/item.html",
        {
            "view": view,
            "progress": progress,
            "bonus_button": bonus,
            "next_url": next_url,
            "back_url": back_url,
            "last": last,
            "instructions_url": page_url("instructions", token),
            "page_data": _page_data(
                token,
                visit,
                protocol=campaign.protocol,
                mode="task",
                item=position,
                next=next_url,
                back=back_url,
                answers=view.answers_json(),
                locked=item_checked(assignment, position),
                locked_message=LOCKED_MESSAGE,
            ),
        },
    )


@worker_page
def review(request: HttpRequest, assignment: Assignment, token: str) -> HttpResponse:
    closed = _closed(request, assignment, token)
    if closed:
        return closed
    progress = assignment_progress(assignment)
    if not progress.all_complete:
        return HttpResponseRedirect(page_url("item", token, position=progress.first_incomplete))
    visit = page_visit_open(assignment=assignment, page=AssignmentStage.REVIEW)
    items = [(pos + 1, page_url("item", token, position=pos)) for pos in range(progress.total)]
    return render(
        request,
        "crowd/review.html",
        {
            "items": items,
            "back_url": page_url("item", token, position=progress.total - 1),
            "page_data": _page_data(token, visit, done=page_url("done", token)),
        },
    )


@worker_page
def done(request: HttpRequest, assignment: Assignment, token: str) -> HttpResponse:
    """The completion page: code, bonus points, and the provider's submit form if any."""
    if assignment.status not in DONE:
        return HttpResponseRedirect(page_url("entry", token))
    points, checks = assignment_bonus_points(assignment)
    context = assignment.provider_context or {}
    invite = Invite.objects.filter(
        worker_id=assignment.worker_id, campaign_id=assignment.hit.campaign_id, revoked=False
    ).first()
    return render(
        request,
        "crowd/done.html",
        {
            "code": assignment.completion_code,
            "show_code": context.get("show_completion_code", True) is not False,
            "points": points,
            "checks": checks,
            "submit": provider_submit_form(context, assignment.completion_code),
            "another_url": invite_path(invite) if invite else "",
        },
    )


def provider_submit_form(context: dict[str, Any], code: str) -> dict[str, Any] | None:
    """The provider's ``{"submit": {"method", "url", "fields"}}`` as a form to render, with
    the completion code added; None when absent or unsafe (only https, or http to this
    machine for development, may receive the worker's form)."""
    submit = context.get("submit")
    if not isinstance(submit, dict):
        return None
    method = str(submit.get("method", "post")).lower()
    url = str(submit.get("url", ""))
    parts = urlsplit(url)
    safe = parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOCAL_HOSTS)
    if method not in ("get", "post") or not safe or not parts.netloc:
        return None
    raw_fields = submit.get("fields")
    fields = {
        str(key): str(value)
        for key, value in (raw_fields.items() if isinstance(raw_fields, dict) else ())
    }
    fields.setdefault("completion_code", code)
    return {"method": method, "url": url, "fields": sorted(fields.items())}
