"""Celery tasks of reports: building a campaign's kept report off the web request."""

from __future__ import annotations

from celery import shared_task

from evalplatform.campaigns.models import Campaign
from evalplatform.crowd.services.submission import MONITOR_TASK
from evalplatform.reports.kept import kept_report_build
from evalplatform.reports.stopping import campaign_monitor


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
    # Enqueued by name on every submission's commit (crowd may not import reports); reads
    # the judgments and acts only when a state changed, so running it twice is harmless.
    name=MONITOR_TASK,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=5 * 60,
    time_limit=6 * 60,
)
def monitor_campaign(campaign_id: int) -> None:
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is not None:
        campaign_monitor(campaign=campaign)
