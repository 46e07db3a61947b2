"""Submitting an assignment: completeness, bonus points and the completion code, once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from evalplatform.campaigns.models import Campaign, CampaignStatus
from evalplatform.campaigns.services import campaign_transition
from evalplatform.crowd.completion import completion_code_make
from evalplatform.crowd.errors import InvalidAnswer
from evalplatform.crowd.models import (
    Assignment,
    AssignmentStage,
    AssignmentStatus,
    Hit,
    HitStatus,
)
from evalplatform.crowd.selectors.progress import assignment_bonus_points, assignment_progress
from evalplatform.crowd.services.assignments import DONE_STATUSES
from evalplatform.crowd.services.judgments import lock_open_assignment


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
def assignment_submit(*, assignment: Assignment, now: datetime | None = None) -> SubmitResult:
    """Close a finished assignment: status submitted, bonus points counted, completion
    code set; the HIT is marked complete once all its slots are submitted and the campaign
    moves from published to collecting on its first submission.

    Idempotent: submitting again returns the same result. Refused (nothing changed) when a
    dialogue is unfinished, or the lease was returned or ran out.
    """
    now = now or timezone.now()
    # Lock order everywhere: HIT, then assignment (as leasing), so the two never deadlock.
    Hit.objects.select_for_update().filter(pk=assignment.hit_id).first()
    current = Assignment.objects.select_related("hit__campaign", "worker").get(pk=assignment.pk)
    if current.status in DONE_STATUSES:
        return _result(current)
    locked = lock_open_assignment(current, now=now)
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
        campaign_transition(
            campaign=Campaign.objects.get(pk=campaign.pk), to=CampaignStatus.COLLECTING
        )
    assignment.status, assignment.completion_code = locked.status, locked.completion_code
    return _result(locked)


def _complete_hit(assignment: Assignment) -> None:
    hit = assignment.hit
    done = hit.assignments.filter(status__in=DONE_STATUSES).count()
    if done >= hit.campaign.assignments_per_hit and hit.status == HitStatus.OPEN:
        Hit.objects.filter(pk=hit.pk).update(status=HitStatus.COMPLETE)


def _result(assignment: Assignment) -> SubmitResult:
    _, checks = assignment_bonus_points(assignment)
    return SubmitResult(
        status=assignment.status,
        completion_code=assignment.completion_code,
        bonus_points=assignment.bonus_points,
        bonus_checks=checks,
    )
