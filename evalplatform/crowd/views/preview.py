"""A read-only preview of a HIT, as a worker would see it before accepting it."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from evalplatform.crowd.framing import add_frame_headers
from evalplatform.crowd.models import Hit
from evalplatform.crowd.selectors import hit_brief, item_view, warmup_view

# How a worker gets from this preview to the work, per provider.
HOW_TO_START = {
    "local": "Workers start from the invite link or code they are given",
    "mturk": "Accept the HIT to start working",
    "prolific": "Participants start from the Prolific study",
}


def render_hit_preview(request: HttpRequest, hit: Hit, *, item_position: int = 0) -> HttpResponse:
    """Render ``hit`` read-only: the welcome facts, the instructions with the practice
    item, and one dialogue (``item_position``, 0-based, clamped to the HIT) with its
    responses, without any way to answer or submit. No assignment is made and nothing is
    stored; the page carries no token and loads no script.

    Frameable (X-Frame-Options dropped, CSP frame-ancestors naming MTurk's hosts), so a
    provider view can return it as is for MTurk's preview mode
    (``assignmentId=ASSIGNMENT_ID_NOT_AVAILABLE``)::

        from evalplatform.crowd.views.preview import render_hit_preview
        return render_hit_preview(request, hit)

    Returns a 200 ``HttpResponse`` (404 text if the HIT has no items).
    """
    total = hit.items.count()
    if total == 0:
        return add_frame_headers(
            HttpResponse("This HIT has no dialogues.", status=404, content_type="text/plain")
        )
    position = min(max(item_position, 0), total - 1)
    campaign = hit.campaign
    html = render_to_string(
        "crowd/preview.html",
        {
            "brief": hit_brief(hit=hit),
            "campaign": campaign,
            "warmup_view": warmup_view(campaign=campaign),
            "view": item_view(hit=hit, position=position),
            "preview": True,
            "how_to_start": HOW_TO_START.get(campaign.provider, "Start the HIT to work on it"),
            # The instructions mention only the kinds of question this campaign asks.
            "criterion_kinds": set(campaign.criteria.values_list("kind", flat=True)),
        },
        request=request,
    )
    return add_frame_headers(HttpResponse(html))
