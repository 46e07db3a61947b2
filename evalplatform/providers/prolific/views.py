"""Prolific's external study URL: lease a slot for the participant and start the task.

Prolific appends PROLIFIC_PID, STUDY_ID and SESSION_ID (the submission id). The completion
page sends the participant back to Prolific's completion URL with the study's code.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.http import require_GET

from evalplatform.campaigns.models import Campaign
from evalplatform.crowd.errors import LeaseRefused
from evalplatform.crowd.framing import unframed
from evalplatform.crowd.models import Assignment
from evalplatform.crowd.services import assignment_lease, worker_get_or_create
from evalplatform.crowd.services.assignments import DONE_STATUSES
from evalplatform.crowd.tokens import assignment_url
from evalplatform.crowd.views.common import render_message
from evalplatform.providers.models import ProlificStudy, StudyState

PROLIFIC_ID = re.compile(r"^[A-Za-z0-9]{1,64}$")


@require_GET
@unframed
def prolific_start(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = Campaign.objects.filter(pk=campaign_id, provider="prolific").first()
    study = ProlificStudy.objects.filter(campaign_id=campaign_id).exclude(study_id="").first()
    if campaign is None or study is None or study.state != StudyState.ACTIVE:
        return render_message(
            request, "This study is not open", "Please return the study on Prolific.", status=404
        )
    pid = request.GET.get("PROLIFIC_PID", "")
    session = request.GET.get("SESSION_ID", "")
    if request.GET.get("STUDY_ID") != study.study_id or not (
        PROLIFIC_ID.match(pid) and PROLIFIC_ID.match(session)
    ):
        return render_message(
            request, "This link is not valid", "Open the study from Prolific.", status=400
        )
    context = {
        "submit": {
            "method": "get",
            "url": settings.PROLIFIC_COMPLETE_URL,
            "fields": {"cc": study.completion_code},
        },
        "show_completion_code": False,
        "prolific": {"study_id": study.study_id, "participant_id": pid, "session_id": session},
    }
    worker = worker_get_or_create(provider="prolific", external_id=pid)
    # A new SESSION_ID while the participant still holds unfinished work here means Prolific
    # ended the old session (returned, timed out): resume the same HIT under the new id, so
    # answers already saved stay and the submission we review is the live one.
    unfinished = (
        Assignment.objects.filter(hit__campaign=campaign, worker=worker)
        .exclude(status__in=DONE_STATUSES)
        .exclude(provider_assignment_id=session)
        .order_by("-leased_at")
        .first()
    )
    try:
        assignment = assignment_lease(
            campaign=campaign,
            worker=worker,
            hit=unfinished.hit if unfinished else None,
            provider_assignment_id=session,
            provider_context=context,
        )
    except LeaseRefused as error:
        return render_message(request, "Please return this study", error.message, status=409)
    return HttpResponseRedirect(assignment_url(assignment, "entry"))
