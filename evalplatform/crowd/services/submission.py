"""Submitting an assignment: completeness, bonus points and the completion code, once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from celery import current_app
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone

from evalplatform.campaigns.models import Campaign, CampaignStatus
from evalplatform.crowd.completion import completion_code_make
from evalplatform.crowd.errors import AssignmentClosed, InvalidAnswer, SessionSuperseded
from evalplatform.crowd.models import (
    Assignment,
    AssignmentStage,
    AssignmentStatus,
    Hit,
    HitStatus,
)
from evalplatform.crowd.selectors.progress import assignment_bonus_points, assignment_progress
from evalplatform.crowd.selectors.shapes import hit_shape
from evalplatform.crowd.services.assignments import DONE_STATUSES
from evalplatform.crowd.services.judgments import SUPERSEDED, closed_reason

# The monitoring task lives with the reports (it reads the analysed judgments), above this
# layer: it is enqueued by name.
MONITOR_TASK = "evalplatform.reports.tasks.monitor_campaign"


@dataclass(frozen=True)
class SubmitResult:
    status: str
    completion_code: str
    bonus_points: int
    bonus_checks: int

    @property
    def bonus_earned(self) -> bool:
        """Seed 002's rule: every gold check of the HIT passed."""
        return self.bonus_checks > 0 and self.bonus_points >= self.bonus_checks


@transaction.atomic
def assignment_submit(
    *, assignment: Assignment, session: str | None = None, now: datetime | None = None
) -> SubmitResult:
    """Close a finished assignment: status submitted, bonus points counted, completion
    code set; the HIT is marked complete once all its slots are submitted and the campaign
    moves from published to collecting on its first submission.

    Idempotent: submitting again returns the same result. Refused (nothing changed) when a
    dialogue is unfinished, or the lease was returned or ran out, or (``session`` given)
    another window has taken the assignment over since this one opened. Holds the assignment's row
    lock from the first read to the commit, so an answer being written finishes first and
    is counted, and one arriving meanwhile is refused (see services/judgments.py).
    """
    now = now or timezone.now()
    # Lock order everywhere: HIT, then assignment (as leasing), so the two never deadlock.
    Hit.objects.select_for_update().filter(pk=assignment.hit_id).values_list("pk").first()
    locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
    # The HIT, campaign and worker never change under an assignment: keep the loaded ones.
    locked.hit, locked.worker = assignment.hit, assignment.worker
    gold = hit_shape(locked.hit).gold
    if locked.status in DONE_STATUSES:
        return _result(locked, checks=len(gold))
    reason = closed_reason(locked, now)
    if reason:
        raise AssignmentClosed(reason)
    if session is not None and session != locked.session:
        raise SessionSuperseded(SUPERSEDED)
    progress = assignment_progress(locked)
    if not progress.all_complete:
        unfinished = [str(pos + 1) for pos, done in enumerate(progress.complete) if not done]
        raise InvalidAnswer(
            "Answer every dialogue before you submit; not finished: dialogue "
            + ", ".join(unfinished)
            + "."
        )
    points, _ = assignment_bonus_points(locked)
    locked.status = AssignmentStatus.SUBMITTED
    locked.submitted_at = now
    locked.bonus_points = points
    locked.completion_code = completion_code_make(locked)
    locked.stage = AssignmentStage.DONE
    locked.save(
        update_fields=["status", "submitted_at", "bonus_points", "completion_code", "stage"]
    )
    _complete_hit(locked)
    campaign = locked.hit.campaign
    if campaign.status == CampaignStatus.PUBLISHED:
        _start_collecting(campaign, now)
    if campaign.monitor_stop or campaign.monitor_reallocate:
        transaction.on_commit(lambda: current_app.send_task(MONITOR_TASK, args=[campaign.pk]))
    assignment.status, assignment.completion_code = locked.status, locked.completion_code
    return _result(locked, checks=len(gold))


def _complete_hit(assignment: Assignment) -> None:
    """Mark the HIT complete once all its slots are done: one conditional UPDATE (the HIT's
    row lock, taken above, keeps two last submits from both missing it)."""
    done = (
        Assignment.objects.filter(hit_id=OuterRef("pk"), status__in=DONE_STATUSES)
        .order_by()
        .values("hit_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Hit.objects.filter(pk=assignment.hit_id, status=HitStatus.OPEN).alias(
        done=Subquery(done)
    ).filter(done__gte=assignment.hit.campaign.assignments_per_hit).update(
        status=HitStatus.COMPLETE
    )


def _start_collecting(campaign: Campaign, now: datetime) -> None:
    """published -> collecting on the first submission, as ``campaign_transition`` would
    (the move is always allowed), in one conditional UPDATE: concurrent first submits wait
    on the row and find it moved already."""
    Campaign.objects.filter(pk=campaign.pk, status=CampaignStatus.PUBLISHED).update(
        status=CampaignStatus.COLLECTING, status_changed_at=now, updated_at=now
    )
    campaign.status, campaign.status_changed_at = CampaignStatus.COLLECTING, now


def _result(assignment: Assignment, *, checks: int) -> SubmitResult:
    return SubmitResult(
        status=assignment.status,
        completion_code=assignment.completion_code,
        bonus_points=assignment.bonus_points,
        bonus_checks=checks,
    )
