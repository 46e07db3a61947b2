"""Admin actions on campaigns and the provider-state / review page, hooked into the
campaign admin through campaigns.extensions (apps.py), so campaigns never imports us.

Long runs (publish, reconcile, approve all, pay bonuses, expire) go to Celery after the
request commits; single review decisions on the page run at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse

from evalplatform.campaigns.models import Campaign
from evalplatform.common.errors import ApplicationError
from evalplatform.crowd.models import Assignment
from evalplatform.providers import services, tasks
from evalplatform.providers.base import CostEstimate
from evalplatform.providers.mturk.environment import mturk_environment
from evalplatform.providers.selectors import campaign_provider_state

STATE_VIEW = "campaigns_campaign_provider_state"


def _enqueue(task: Any, campaign_ids: list[int]) -> None:
    for campaign_id in campaign_ids:
        task.delay_on_commit(campaign_id)


def _environment(campaign: Campaign) -> str:
    return mturk_environment(campaign) if campaign.provider == "mturk" else campaign.provider


@admin.action(description="Estimate the cost (fees included)")
def provider_estimate_cost(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Campaign]
) -> None:
    for campaign in queryset:
        try:
            e = services.campaign_cost_estimate(campaign=campaign)
        except ApplicationError as error:
            modeladmin.message_user(request, f"{campaign.name}: {error.message}", messages.ERROR)
            continue
        modeladmin.message_user(
            request,
            f"{campaign.name} ({_environment(campaign)}): {e.hits} HITs, "
            f"{e.assignments} assignments at {e.reward_per_assignment}: rewards {e.rewards}, "
            f"bonuses up to {e.bonuses}, fees {e.fees}, total up to {e.total}. "
            + " ".join(e.notes),
            messages.INFO,
        )


@admin.action(description="Publish on the crowd provider (shows the cost first)")
def provider_publish(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Campaign]
) -> HttpResponse | None:
    campaigns = list(queryset)
    if request.POST.get("confirm") != "yes":
        rows: list[tuple[Campaign, str, CostEstimate | None, str]] = []
        for campaign in campaigns:
            try:
                rows.append(
                    (
                        campaign,
                        _environment(campaign),
                        services.campaign_cost_estimate(campaign=campaign),
                        "",
                    )
                )
            except ApplicationError as error:
                rows.append((campaign, _environment(campaign), None, error.message))
        return TemplateResponse(
            request,
            "providers/confirm_publish.html",
            {
                **modeladmin.admin_site.each_context(request),
                "title": "Publish: check the cost",
                "rows": rows,
                "opts": modeladmin.model._meta,
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
            },
        )
    _enqueue(tasks.publish_campaign, [c.pk for c in campaigns])
    modeladmin.message_user(
        request,
        f"Publishing {len(campaigns)} campaign(s) in the "
        "background; watch the provider state page.",
        messages.SUCCESS,
    )
    return None


def _background(task: Any, description: str, done: str) -> Callable[..., None]:
    def action(
        modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Campaign]
    ) -> None:
        ids = list(queryset.values_list("pk", flat=True))
        _enqueue(task, ids)
        modeladmin.message_user(
            request, f"{done} for {len(ids)} campaign(s) in the background.", messages.SUCCESS
        )

    action.__name__ = f"provider_{task.name.rsplit('.', 1)[-1]}"
    return admin.action(description=description)(action)


provider_reconcile = _background(
    tasks.reconcile_campaign, "Reconcile with the provider now", "Reconciling"
)
provider_approve = _background(
    tasks.approve_submitted, "Approve submitted work (verified on the provider)", "Approving"
)
provider_pay_bonuses = _background(tasks.pay_bonuses, "Pay earned bonuses (once)", "Paying bonuses")
provider_expire = _background(
    tasks.expire_campaign, "Expire: stop new work on the provider", "Expiring"
)
ACTIONS = [
    provider_estimate_cost,
    provider_publish,
    provider_reconcile,
    provider_approve,
    provider_pay_bonuses,
    provider_expire,
]


def provider_state_view(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    if request.method == "POST":
        if not request.user.has_perm("campaigns.change_campaign"):
            raise PermissionDenied
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
            "environment": _environment(campaign),
            "estimate": estimate,
            "state": campaign_provider_state(campaign),
            "opts": Campaign._meta,
        },
    )


def _review_post(request: HttpRequest, campaign: Campaign) -> None:
    action = request.POST.get("action", "")
    if action == "reconcile":
        _enqueue(tasks.reconcile_campaign, [campaign.pk])
        messages.success(request, "Reconciling in the background.")
        return
    assignment = get_object_or_404(
        Assignment, pk=request.POST.get("assignment"), hit__campaign=campaign
    )
    try:
        if action == "approve":
            services.assignment_provider_approve(assignment=assignment)
        elif action == "reject":
            services.assignment_provider_reject(
                assignment=assignment,
                reason=request.POST.get("reason", ""),
                category=request.POST.get("category", ""),
            )
        else:
            messages.error(request, "Unknown action.")
            return
    except ApplicationError as error:
        messages.error(request, f"Assignment {assignment.pk}: {error.message}")
    else:
        messages.success(request, f"Assignment {assignment.pk}: {action}d.")
