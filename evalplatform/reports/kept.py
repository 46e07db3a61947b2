"""Kept reports: what the admin's report page serves, built by a Celery task.

Selectors read the campaign's judgment fingerprint, counts and kept report; services
request a build (a researcher's POST from the page: looking never builds) and perform it
(the task). A build reads the judgments once, analyses them and keeps the rendered page plus the
report itself for the downloads, so no request ever waits for the analysis."""

from __future__ import annotations

import hashlib
import json
import pickle
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from evalplatform.campaigns.models import Campaign
from evalplatform.crowd.models import Assignment, AssignmentStatus, Judgment
from evalplatform.protocols.report import Report
from evalplatform.reports.campaign_report import campaign_report, campaign_report_settings
from evalplatform.reports.exports import render
from evalplatform.reports.models import KeptReport, KeptReportState
from evalplatform.reports.selectors import analysed_statuses, campaign_judgments_frame

SUBMITTED = (AssignmentStatus.SUBMITTED, AssignmentStatus.APPROVED)


@dataclass(frozen=True)
class JudgmentCounts:
    """How far collection has got, for the page shown before any report exists."""

    analysed: int  # judgments of submitted (or, off the local provider, approved) work
    answers: int  # every stored judgment, unfinished work included
    submitted: int  # assignments submitted or approved
    in_progress: int  # assignments leased and not yet submitted


def judgment_fingerprint(campaign: Campaign) -> tuple[str, int]:
    """(fingerprint, analysed judgments): a new, changed or no longer analysed judgment, or
    changed analysis settings, give another fingerprint. One aggregate query plus the
    settings' two."""
    seen = Judgment.objects.filter(
        assignment__hit__campaign=campaign, assignment__status__in=analysed_statuses(campaign)
    ).aggregate(n=Count("id"), last=Max("id"), changed=Max("updated_at"))
    settings = json.dumps(campaign_report_settings(campaign).to_dict(), sort_keys=True, default=str)
    digest = hashlib.sha256(settings.encode()).hexdigest()[:16]
    changed = seen["changed"].isoformat() if seen["changed"] else "-"
    return f"{seen['n']}:{seen['last'] or 0}:{changed}:{digest}", int(seen["n"])


def judgment_counts(campaign: Campaign) -> JudgmentCounts:
    statuses = Assignment.objects.filter(hit__campaign=campaign).aggregate(
        submitted=Count("id", filter=Q(status__in=SUBMITTED)),
        in_progress=Count("id", filter=Q(status=AssignmentStatus.LEASED)),
    )
    answers = Judgment.objects.filter(assignment__hit__campaign=campaign).count()
    analysed = Judgment.objects.filter(
        assignment__hit__campaign=campaign, assignment__status__in=analysed_statuses(campaign)
    ).count()
    return JudgmentCounts(
        analysed=analysed,
        answers=answers,
        submitted=statuses["submitted"],
        in_progress=statuses["in_progress"],
    )


def kept_report(campaign: Campaign) -> KeptReport | None:
    """The report kept for the campaign, whatever judgments it was built from."""
    return KeptReport.objects.filter(campaign=campaign).first()


@transaction.atomic
def kept_report_request(*, campaign: Campaign, fingerprint: str) -> tuple[KeptReport, bool]:
    """(the kept report, whether a build must be sent), asked by a researcher's POST: one
    build at a time, and none when the report kept is already of these judgments; a failed
    or outdated report is built again. The caller sends ``reports.tasks.build_kept_report``
    on commit when asked to."""
    kept = KeptReport.objects.select_for_update().filter(campaign=campaign).first()
    if kept is not None and (
        kept.state == KeptReportState.BUILDING
        or (kept.state == KeptReportState.READY and kept.fingerprint == fingerprint)
    ):
        return kept, False
    return _mark_building(kept or KeptReport(campaign=campaign), fingerprint), True


def _mark_building(kept: KeptReport, fingerprint: str) -> KeptReport:
    kept.fingerprint = fingerprint
    kept.state = KeptReportState.BUILDING
    kept.progress, kept.stage, kept.error = 0, "Waiting for a worker", ""
    kept.requested_at = timezone.now()
    kept.save()
    return kept


def kept_report_build(*, campaign_id: int) -> None:
    """Build the report of the campaign's judgments as they are now, with progress on the
    kept row. Idempotent: a report already kept for the current judgments is left alone."""
    kept = KeptReport.objects.select_related("campaign").filter(campaign_id=campaign_id).first()
    if kept is None:
        return
    campaign = kept.campaign
    fingerprint, analysed = judgment_fingerprint(campaign)
    if kept.state == KeptReportState.READY and kept.fingerprint == fingerprint:
        return
    _progress(kept, 5, f"Reading {analysed:,} judgments", fingerprint=fingerprint)
    try:
        judgments = campaign_judgments_frame(campaign, categorical=True)
        _progress(kept, 35, "Analysing")
        report = campaign_report(campaign, judgments=judgments)
        _progress(kept, 75, "Rendering the page")
        html = render(report, "html")
    except Exception as error:
        KeptReport.objects.filter(pk=kept.pk).update(
            state=KeptReportState.FAILED, error=f"{type(error).__name__}: {error}"
        )
        raise
    KeptReport.objects.filter(pk=kept.pk, fingerprint=fingerprint).update(
        state=KeptReportState.READY,
        progress=100,
        stage="Done",
        html=html,
        report=pickle.dumps(report, protocol=pickle.HIGHEST_PROTOCOL),
        judgments=len(judgments),
        built_at=timezone.now(),
    )


def _progress(kept: KeptReport, percent: int, stage: str, **fields: str) -> None:
    KeptReport.objects.filter(pk=kept.pk).update(progress=percent, stage=stage, **fields)


def kept_report_object(kept: KeptReport) -> Report:
    """The kept Report, for rendering a download. Only the report task writes this field."""
    return pickle.loads(bytes(kept.report))  # our own task wrote it
