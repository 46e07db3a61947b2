"""The actions on selected campaigns, each with the one permission that offers it
(``CampaignAdmin.get_actions`` drops those the user does not hold, and Django runs only
offered actions).

Long runs (publish, reconcile, approve all, pay bonuses, expire) go to Celery after the
request commits.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from evalplatform.campaigns.models import Campaign
from evalplatform.campaigns.tasks import campaign_start_generation
from evalplatform.campaigns.validation import campaign_problems
from evalplatform.common.errors import ApplicationError
from evalplatform.crowd.services import hits_build
from evalplatform.providers import services, tasks
from evalplatform.providers.base import CostEstimate
from evalplatform.providers.mturk.environment import mturk_environment

Campaigns = QuerySet[Campaign]


def provider_environment(campaign: Campaign) -> str:
    """Where the money would move: the MTurk environment, or the provider's name."""
    return mturk_environment(campaign) if campaign.provider == "mturk" else campaign.provider


@admin.action(description="Check that the selected campaigns can run", permissions=["view"])
def check_campaigns(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: Campaigns
) -> None:
    for campaign in queryset:
        problems = campaign_problems(campaign)
        if problems:
            modeladmin.message_user(
                request, f"{campaign.name}: " + " ".join(problems), messages.WARNING
            )
        else:
            modeladmin.message_user(request, f"{campaign.name}: ready to run.", messages.SUCCESS)


@admin.action(description="Generate candidates (queue Celery tasks)", permissions=["change"])
def start_generation(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: Campaigns
) -> None:
    for campaign in queryset:
        try:
            queued = campaign_start_generation(campaign=campaign)
        except ApplicationError as error:
            modeladmin.message_user(request, f"{campaign.name}: {error.message}", messages.ERROR)
        else:
            modeladmin.message_user(
                request, f"{campaign.name}: {queued} generation tasks queued.", messages.SUCCESS
            )


@admin.action(description="Build HITs from the sample (once)", permissions=["change"])
def build_hits(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: Campaigns) -> None:
    for campaign in queryset:
        try:
            built = hits_build(campaign=campaign)
        except ApplicationError as error:
            modeladmin.message_user(request, f"{campaign.name}: {error.message}", messages.ERROR)
        else:
            note = f"built {built} HITs." if built else "its HITs were built already."
            modeladmin.message_user(request, f"{campaign.name}: {note}", messages.SUCCESS)


@admin.action(description="Estimate the cost (fees included)", permissions=["view"])
def provider_estimate_cost(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: Campaigns
) -> None:
    for campaign in queryset:
        try:
            e = services.campaign_cost_estimate(campaign=campaign)
        except ApplicationError as error:
            modeladmin.message_user(request, f"{campaign.name}: {error.message}", messages.ERROR)
            continue
        modeladmin.message_user(
            request,
            f"{campaign.name} ({provider_environment(campaign)}): {e.hits} HITs, "
            f"{e.assignments} assignments at {e.reward_per_assignment}: rewards {e.rewards}, "
            f"bonuses up to {e.bonuses}, fees {e.fees}, total up to {e.total}. "
            + " ".join(e.notes),
            messages.INFO,
        )


def _cost_rows(campaigns: list[Campaign]) -> list[tuple[Campaign, str, CostEstimate | None, str]]:
    rows: list[tuple[Campaign, str, CostEstimate | None, str]] = []
    for campaign in campaigns:
        environment = provider_environment(campaign)
        try:
            rows.append(
                (campaign, environment, services.campaign_cost_estimate(campaign=campaign), "")
            )
        except ApplicationError as error:
            rows.append((campaign, environment, None, error.message))
    return rows


@admin.action(
    description="Publish on the crowd provider (shows the cost first)", permissions=["publish"]
)
def provider_publish(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: Campaigns
) -> HttpResponse | None:
    campaigns = list(queryset)
    if request.POST.get("confirm") != "yes":
        return TemplateResponse(
            request,
            "providers/confirm_publish.html",
            {
                **modeladmin.admin_site.each_context(request),
                "title": "Publish: check the cost",
                "rows": _cost_rows(campaigns),
                "opts": modeladmin.model._meta,
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
            },
        )
    for campaign in campaigns:
        tasks.publish_campaign.delay_on_commit(campaign.pk)
    modeladmin.message_user(
        request,
        f"Publishing {len(campaigns)} campaign(s) in the "
        "background; watch the provider state page.",
        messages.SUCCESS,
    )
    return None


def _in_background(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: Campaigns, task: Any, done: str
) -> None:
    """Queue ``task(campaign id, user id)`` per campaign: the user is who decides."""
    ids = list(queryset.values_list("pk", flat=True))
    for campaign_id in ids:
        task.delay_on_commit(campaign_id, request.user.pk)
    modeladmin.message_user(
        request, f"{done} for {len(ids)} campaign(s) in the background.", messages.SUCCESS
    )


@admin.action(description="Reconcile with the provider now", permissions=["change"])
def provider_reconcile_campaign(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: Campaigns
) -> None:
    _in_background(modeladmin, request, queryset, tasks.reconcile_campaign, "Reconciling")


@admin.action(
    description="Approve submitted work (verified on the provider)", permissions=["approve_work"]
)
def provider_approve_submitted(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: Campaigns
) -> None:
    _in_background(modeladmin, request, queryset, tasks.approve_submitted, "Approving")


@admin.action(description="Pay earned bonuses (once)", permissions=["pay_bonuses"])
def provider_pay_bonuses(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: Campaigns
) -> None:
    _in_background(modeladmin, request, queryset, tasks.pay_bonuses, "Paying bonuses")


@admin.action(description="Expire: stop new work on the provider", permissions=["publish"])
def provider_expire_campaign(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: Campaigns
) -> None:
    for campaign_id in queryset.values_list("pk", flat=True):
        tasks.expire_campaign.delay_on_commit(campaign_id)
    modeladmin.message_user(request, "Expiring in the background.", messages.SUCCESS)


# In the order of a campaign's life: the order of the admin's action list.
CAMPAIGN_ACTIONS = [
    check_campaigns,
    start_generation,
    build_hits,
    provider_estimate_cost,
    provider_publish,
    provider_reconcile_campaign,
    provider_approve_submitted,
    provider_pay_bonuses,
    provider_expire_campaign,
]
