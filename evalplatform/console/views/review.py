"""The campaign's provider state and review page: what the provider holds, what money
moved and who decided it (also as CSV), and the submitted work to approve or reject one
by one (at once, not in Celery)."""

from __future__ import annotations

import csv

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse

from evalplatform.campaigns.models import Campaign
from evalplatform.common.errors import ApplicationError
from evalplatform.console import permissions
from evalplatform.console.actions import provider_environment
from evalplatform.crowd.models import Assignment
from evalplatform.providers import services, tasks
from evalplatform.providers.ledger import Actor
from evalplatform.providers.selectors import campaign_money_decisions, campaign_provider_state

STATE_VIEW = "campaigns_campaign_provider_state"
DECISIONS_VIEW = "campaigns_campaign_decisions"
DECISION_COLUMNS = [
    "kind",
    "assignment",
    "provider_assignment_id",
    "worker",
    "amount",
    "rule",
    "reason",
    "state",
    "decided_by",
    "decided_at",
    "sent_at",
]
# The page lists the latest decisions; the CSV holds them all.
DECISIONS_ON_PAGE = 100


def review_permission(request: HttpRequest) -> str:
    """What a POST to the page needs: reconciling is upkeep, a decision moves money."""
    if request.POST.get("action") == "reconcile":
        return permissions.CHANGE
    return permissions.APPROVE


def provider_state_view(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    if request.method == "POST":
        _review_post(request, campaign)
        return HttpResponseRedirect(reverse(f"admin:{STATE_VIEW}", args=[campaign.pk]))
    try:
        estimate = services.campaign_cost_estimate(campaign=campaign)
    except ApplicationError:
        estimate = None
    return TemplateResponse(
        request,
        "providers/provider_state.html",
        {
            **admin.site.each_context(request),
            "title": f"{campaign.name}: provider state and review",
            "campaign": campaign,
            "environment": provider_environment(campaign),
            "estimate": estimate,
            "state": campaign_provider_state(campaign),
            "decisions": campaign_money_decisions(campaign, latest=DECISIONS_ON_PAGE)[::-1],
            "decisions_csv": reverse(f"admin:{DECISIONS_VIEW}", args=[campaign.pk]),
            "can_reconcile": request.user.has_perm(permissions.CHANGE),
            "can_review": request.user.has_perm(permissions.APPROVE),
            "opts": Campaign._meta,
        },
    )


def _review_post(request: HttpRequest, campaign: Campaign) -> None:
    action = request.POST.get("action", "")
    if action == "reconcile":
        tasks.reconcile_campaign.delay_on_commit(campaign.pk, request.user.pk)
        messages.success(request, "Reconciling in the background.")
        return
    if action not in ("approve", "reject"):
        messages.error(request, "Unknown action.")
        return
    assignment = get_object_or_404(
        Assignment, pk=request.POST.get("assignment"), hit__campaign=campaign
    )
    actor = Actor.user(request.user)
    try:
        if action == "approve":
            services.assignment_provider_approve(assignment=assignment, actor=actor)
        else:
            services.assignment_provider_reject(
                assignment=assignment,
                reason=request.POST.get("reason", ""),
                category=request.POST.get("category", ""),
                actor=actor,
            )
    except ApplicationError as error:
        messages.error(request, f"Assignment {assignment.pk}: {error.message}")
    else:
        messages.success(request, f"Assignment {assignment.pk}: {action}d.")


def decisions_csv_view(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """Every approval, rejection and bonus of the campaign, with who decided it and when."""
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    response = HttpResponse(content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="decisions-{campaign.pk}.csv"'
    writer = csv.writer(response)
    writer.writerow(DECISION_COLUMNS)
    for row in campaign_money_decisions(campaign):
        writer.writerow(
            [
                row.kind,
                row.assignment_id,
                row.provider_assignment_id,
                row.worker,
                "" if row.amount is None else row.amount,
                row.rule,
                row.reason,
                row.state,
                row.decided_by,
                row.decided_at.isoformat(),
                row.sent_at.isoformat() if row.sent_at else "",
            ]
        )
    return response
