"""Celery tasks of reports: building a campaign's kept report off the web request."""

from __future__ import annotations

from celery import shared_task

from evalplatform.reports.kept import kept_report_build


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
