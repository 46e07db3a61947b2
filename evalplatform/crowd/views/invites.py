"""The local provider's entry pages: an invite link, and the join page for codes.

These are not task pages: they are never framed, and their forms use Django's CSRF
protection (first-party cookies work here, unlike in MTurk's iframe).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from evalplatform.crowd.errors import CrowdError
from evalplatform.crowd.framing import unframed
from evalplatform.crowd.models import Assignment, AssignmentStatus, Invite
from evalplatform.crowd.services import invite_find, invite_start
from evalplatform.crowd.services.invites import invite_path
from evalplatform.crowd.tokens import assignment_url
from evalplatform.crowd.views.common import render_message


def _invite_context(invite: Invite) -> dict[str, object]:
    campaign = invite.campaign
    done = in_progress = 0
    if invite.worker_id:
        mine = Assignment.objects.filter(hit__campaign=campaign, worker_id=invite.worker_id)
        done = mine.filter(
            status__in=(
                AssignmentStatus.SUBMITTED,
                AssignmentStatus.APPROVED,
                AssignmentStatus.REJECTED,
            )
        ).count()
        in_progress = mine.filter(
            status=AssignmentStatus.LEASED, lease_expires_at__gt=timezone.now()
        ).count()
    return {
        "campaign": campaign,
        "done": done,
        "in_progress": in_progress,
        "limit": campaign.max_hits_per_worker,
    }


@unframed
@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest, code: str) -> HttpResponse:
    """``GET /w/i/<code>/``: what the invitation is for, with a Start (or Continue) button.
    ``POST`` leases work (or finds the participant's open HIT) and sends them to it. The
    GET changes nothing, so link previews in chat apps cannot take a HIT."""
    try:
        found = invite_find(code=code)
    except CrowdError as error:
        return render_message(request, "Invitation not found", error.message, status=404)
    context = _invite_context(found)
    if request.method == "POST":
        try:
            assignment = invite_start(invite=found)
        except CrowdError as error:
            return render(
                request,
                "crowd/invite.html",
                {**context, "error": error.message},
                status=error.status,
            )
        return HttpResponseRedirect(assignment_url(assignment))
    return render(request, "crowd/invite.html", context)


@unframed
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    """``/w/join/``: a participant types the code they were given."""
    error = ""
    code = ""
    if request.method == "POST":
        code = request.POST.get("code", "")[:100]
        try:
            found = invite_find(code=code)
        except CrowdError as refusal:
            error = refusal.message
        else:
            return HttpResponseRedirect(invite_path(found))
    return render(
        request,
        "crowd/join.html",
        {"error": error, "code": code, "action": reverse("crowd:join")},
        status=400 if error else 200,
    )
