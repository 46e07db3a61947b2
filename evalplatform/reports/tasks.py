"""Celery tasks of reports: building a campaign's kept report and running its plans off the
web request."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from evalplatform.campaigns.models import Campaign, CampaignPlan
from evalplatform.crowd.services.submission import MONITOR_TASK
from evalplatform.reports.kept import kept_report_build
from evalplatform.reports.monitor_looks import campaign_monitor_coalesced
from evalplatform.reports.plan_runs import campaign_plan_request, campaign_plan_run


@shared_task(
    # Safe to run twice (it rebuilds only when the judgments changed), so acknowledged once
    # the report is kept and redelivered if the worker dies.
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=20 * 60,
    time_limit=25 * 60,
)
def build_kept_report(campaign_id: int) -> None:
    kept_report_build(campaign_id=campaign_id)


@shared_task(
    # Enqueued by name on every submission's commit (crowd may not import reports); looks
    # only when the judgments changed since the last look began, and acts only when a state
    # changed, so running it twice is harmless.
    name=MONITOR_TASK,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=5 * 60,
    time_limit=6 * 60,
)
def monitor_campaign(campaign_id: int) -> None:
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is not None:
        campaign_monitor_coalesced(campaign=campaign)


@shared_task(
    # Safe to run twice (a finished plan is left alone; a running one starts again), so
    # acknowledged once the result is kept and redelivered if the worker dies. A typical
    # plan takes under a minute; the limit leaves room for many sets on a large campaign.
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=15 * 60,
    time_limit=16 * 60,
)
def run_campaign_plan(plan_id: int) -> None:
    campaign_plan_run(plan_id=plan_id)


def campaign_plan_start(*, campaign: Campaign, **inputs: Any) -> CampaignPlan:
    """Request a plan (``plan_runs.campaign_plan_request``'s inputs and checks) and send
    the plan task once the request is committed; asking again for a plan still running
    sends nothing."""
    plan, send = campaign_plan_request(campaign=campaign, **inputs)
    if send:
        run_campaign_plan.delay_on_commit(plan.pk)
    return plan
