"""Review outcomes as our records keep them: approved, rejected, bonus owed.

Providers do the remote side (MTurk's approve call, a Prolific bulk bonus) and keep their
own ledger; these services record the outcome on the assignment, each exactly once.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from evalplatform.crowd.errors import CrowdError
from evalplatform.crowd.models import Assignment, AssignmentStatus, Hit, HitStatus, OwedBonus


def _decide(assignment: Assignment, to: str) -> Assignment:
    locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if locked.status == to:
        return locked
    if locked.status != AssignmentStatus.SUBMITTED:
        raise CrowdError(
            f"Assignment {locked.pk} is {locked.get_status_display().lower()}; only a "
            f"submitted assignment can be {to}."
        )
    locked.status, locked.reviewed_at = to, timezone.now()
    locked.save(update_fields=["status", "reviewed_at"])
    assignment.status, assignment.reviewed_at = locked.status, locked.reviewed_at
    return locked


@transaction.atomic
def assignment_approve(*, assignment: Assignment) -> Assignment:
    """submitted -> approved; approving again is a no-op."""
    return _decide(assignment, AssignmentStatus.APPROVED)


@transaction.atomic
def assignment_reject(*, assignment: Assignment) -> Assignment:
    """submitted -> rejected; rejecting again is a no-op."""
    return _decide(assignment, AssignmentStatus.REJECTED)


@transaction.atomic
def owed_bonus_record(*, assignment: Assignment, amount: Decimal, reason: str) -> OwedBonus:
    """Record (once per assignment) a bonus the researcher owes a local participant.
    A second call returns the first record unchanged, whatever its amount."""
    if amount <= 0:
        raise CrowdError("A bonus must be more than zero.")
    locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if locked.status not in (AssignmentStatus.SUBMITTED, AssignmentStatus.APPROVED):
        raise CrowdError(
            f"Assignment {locked.pk} is {locked.get_status_display().lower()}; bonuses go "
            "to submitted or approved work."
        )
    bonus, _ = OwedBonus.objects.get_or_create(
        assignment=locked, defaults={"amount": amount, "reason": reason}
    )
    return bonus


@transaction.atomic
def assignment_void(*, assignment: Assignment) -> Assignment:
    """A submission the crowd provider never recorded, though its time there is long over
    (a forged worker id, or a worker who never reached the provider's submit): void it, so
    its slot returns to the pool. It was never paid, and voided work is not analysed."""
    locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if locked.status == AssignmentStatus.SUBMITTED:
        locked.status, locked.reviewed_at = AssignmentStatus.EXPIRED, timezone.now()
        locked.save(update_fields=["status", "reviewed_at"])
        # A HIT marked complete when this filled its last place is open again.
        Hit.objects.filter(pk=locked.hit_id, status=HitStatus.COMPLETE).update(
            status=HitStatus.OPEN
        )
    assignment.status = locked.status
    return locked
