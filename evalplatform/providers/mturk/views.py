"""MTurk's ExternalQuestion page: shown in MTurk's iframe, so frameable by MTurk only.

Preview (assignmentId=ASSIGNMENT_ID_NOT_AVAILABLE): the HIT read-only, nothing stored.
Accepted: bind MTurk's assignment to a lease on the HIT (crowd's assignment_lease) and send
the worker into crowd's task pages under a signed token; the completion page then posts
assignmentId and the completion code to MTurk's externalSubmit, from the worker's browser.
Every id in the URL is a claim: formats are checked here, and money waits for MTurk's own
record of the assignment (review.py).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.http import require_GET

from evalplatform.campaigns.models import Campaign
from evalplatform.crowd.errors import LeaseRefused
from evalplatform.crowd.framing import frameable
from evalplatform.crowd.models import Hit
from evalplatform.crowd.services import assignment_lease, worker_get_or_create
from evalplatform.crowd.tokens import assignment_url
from evalplatform.crowd.views.common import render_message
from evalplatform.crowd.views.preview import render_hit_preview
from evalplatform.providers.mturk import builders
from evalplatform.providers.mturk.environment import mturk_environment


def _refuse(request: HttpRequest, message: str, status: int = 400) -> HttpResponse:
    return render_message(request, "This HIT cannot be opened", message, status=status)


@require_GET
@frameable
def mturk_task(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = Campaign.objects.filter(pk=campaign_id, provider="mturk").first()
    if campaign is None:
        return _refuse(request, "There is no such task.", status=404)
    env = mturk_environment(campaign)
    query = request.GET
    hit_id = query.get("hitId", "")
    if not builders.ID_PATTERN.match(hit_id):
        return _refuse(request, "Open this task from Amazon Mechanical Turk.")
    hit = (
        Hit.objects.select_related("campaign")
        .filter(campaign=campaign, provider_hit_id=hit_id, provider_record__environment=env)
        .first()
    )
    if hit is None:
        return _refuse(request, "This HIT is not one of ours.", status=404)
    assignment_id = query.get("assignmentId", "")
    if assignment_id in ("", builders.PREVIEW_ASSIGNMENT_ID):
        return render_hit_preview(request, hit)

    worker_id = query.get("workerId", "")
    if not builders.ID_PATTERN.match(assignment_id) or not builders.WORKER_ID_PATTERN.match(
        worker_id
    ):
        return _refuse(request, "The assignment or worker id is not valid.")
    submit_to = query.get("turkSubmitTo", "").rstrip("/")
    if submit_to != builders.SUBMIT_ORIGINS[env]:
        # Only MTurk's own host of this environment may receive the worker's form.
        return _refuse(request, "This task may only be submitted to Amazon Mechanical Turk.")
    context = {
        "submit": {
            "method": "post",
            "url": submit_to + builders.SUBMIT_PATH,
            "fields": {"assignmentId": assignment_id},
        },
        # The code goes to MTurk inside the form; the worker need not copy it.
        "show_completion_code": False,
        "mturk": {
            "environment": env,
            "hit_id": hit_id,
            "worker_id": worker_id,
            "assignment_id": assignment_id,
        },
    }
    worker = worker_get_or_create(provider="mturk", external_id=worker_id)
    try:
        assignment = assignment_lease(
            campaign=campaign,
            worker=worker,
            hit=hit,
            provider_assignment_id=assignment_id,
            provider_context=context,
        )
    except LeaseRefused as error:
        return render_message(request, "Please return this HIT", error.message, status=409)
    return HttpResponseRedirect(assignment_url(assignment, "entry"))
