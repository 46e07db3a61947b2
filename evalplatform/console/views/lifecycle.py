"""Pausing, resuming and stopping a published campaign from its page in the console."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse

from evalplatform.campaigns.models import Campaign
from evalplatform.campaigns.services import (
    LIVE_STATUSES,
    campaign_pause,
    campaign_resume,
    campaign_stop,
)
from evalplatform.common.errors import ApplicationError
from evalplatform.console import permissions
from evalplatform.providers import tasks

LIFECYCLE_VIEW = "campaigns_campaign_lifecycle"


@dataclass(frozen=True)
class Move:
    label: str
    service: Callable[..., Campaign]
    # Pausing stops spending, so whoever prepares campaigns may; resuming and stopping
    # (which also expires the HITs on the provider) need the publishing permission.
    permission: str
    done: str


MOVES = {
    "pause": Move("Pause", campaign_pause, permissions.CHANGE, "paused: no new HITs go out"),
    "resume": Move("Resume", campaign_resume, permissions.PUBLISH, "resumed"),
    "stop": Move("Stop", campaign_stop, permissions.PUBLISH, "stopped for good"),
}


def lifecycle_permission(request: HttpRequest) -> str:
    move = MOVES.get(request.POST.get("lifecycle", ""))
    return move.permission if move else permissions.PUBLISH


def lifecycle_moves(request: HttpRequest, campaign: Campaign) -> list[tuple[str, str]]:
    """(value, label) of the buttons this user may press on this campaign now."""
    if campaign.status not in LIVE_STATUSES:
        return []
    offered = ["resume" if campaign.paused_at else "pause", "stop"]
    return [
        (name, MOVES[name].label)
        for name in offered
        if request.user.has_perm(MOVES[name].permission)
    ]


def lifecycle_view(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """``POST lifecycle=pause|resume|stop``: the campaign's move, then back to its page.
    Stopping also expires its HITs here and on the provider, in the background."""
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    back = HttpResponseRedirect(reverse("admin:campaigns_campaign_change", args=[campaign.pk]))
    move = MOVES.get(request.POST.get("lifecycle", ""))
    if move is None:
        messages.error(request, "Choose pause, resume or stop.")
        return back
    try:
        move.service(campaign=campaign)
    except ApplicationError as error:
        messages.error(request, error.message)
        return back
    if move.service is campaign_stop:
        tasks.expire_campaign.delay_on_commit(campaign.pk)
    messages.success(request, f"{campaign.name}: {move.done}.")
    return back
