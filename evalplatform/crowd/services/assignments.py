"""Handing out work: leases on HIT slots, their expiry, and workers.

A HIT has ``campaign.assignments_per_hit`` slots. An assignment holds one while it is
submitted, approved or rejected, or leased and not yet expired. Leasing happens in one
transaction that locks the chosen HIT row, as turkle's ``accept_next_task`` does with a
plain ``select_for_update()``; ours adds ``skip_locked=True`` on the first pass, so a worker
passes over HITs others are leasing instead of queueing behind them. Two workers never take
the same slot; the worker's row is locked too, so one worker's two tabs cannot pass the
per-worker limit together.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from evalplatform.campaigns.models import Campaign, CampaignStatus
from evalplatform.crowd.errors import LeaseRefused
from evalplatform.crowd.models import (
    Assignment,
    AssignmentStatus,
    Hit,
    HitStatus,
    Worker,
)

DONE_STATUSES = (AssignmentStatus.SUBMITTED, AssignmentStatus.APPROVED, AssignmentStatus.REJECTED)
LEASABLE_CAMPAIGN_STATUSES = (CampaignStatus.PUBLISHED, CampaignStatus.COLLECTING)
# One pass that skips HITs other transactions hold, then a few that wait for them (a HIT
# being leased by someone else may still have a free slot once they are done).
CLAIM_ATTEMPTS = 10


def lease_duration(campaign: Campaign) -> timedelta:
    """How long a worker may hold a slot: the expected time times a factor (default 3, as
    MTurk's assignment duration that the providers set)."""
    return timedelta(minutes=max(1, campaign.minutes_per_hit) * settings.CROWD_LEASE_FACTOR)


def holds_slot(now: datetime, prefix: str = "") -> Q:
    """Assignments that occupy a slot at ``now``: done ones, and unexpired leases."""
    return Q(**{f"{prefix}status__in": DONE_STATUSES}) | Q(
        **{f"{prefix}status": AssignmentStatus.LEASED, f"{prefix}lease_expires_at__gt": now}
    )


def worker_get_or_create(*, provider: str, external_id: str, simulated: bool = False) -> Worker:
    """The worker a provider knows as ``external_id``, made on first sight."""
    if not external_id:
        raise LeaseRefused("A worker id is required.")
    worker, _ = Worker.objects.get_or_create(
        provider=provider, external_id=external_id, defaults={"simulated": simulated}
    )
    return worker


@transaction.atomic
def worker_block(*, worker: Worker, reason: str) -> Worker:
    """Refuse this worker any further lease (work in progress may still be submitted)."""
    locked = Worker.objects.select_for_update().get(pk=worker.pk)
    if not locked.blocked:
        locked.blocked, locked.blocked_reason = True, reason
        locked.save(update_fields=["blocked", "blocked_reason"])
    worker.blocked, worker.blocked_reason = locked.blocked, locked.blocked_reason
    return worker


@transaction.atomic
def assignment_lease(
    *,
    campaign: Campaign,
    worker: Worker,
    provider_assignment_id: str = "",
    hit: Hit | None = None,
    provider_context: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> Assignment:
    """Give ``worker`` a slot in one of the campaign's HITs (``hit`` when the provider
    decided which, as MTurk does), or give back the one they hold.

    Returning to work already leased (same provider assignment id, same HIT, or for
    link-based crowds the worker's open lease in this campaign) returns that assignment,
    so reloads and second devices resume. A worker whose earlier lease on that HIT expired
    or was returned gets it back if a slot is free. Refused with ``LeaseRefused`` (a message
    for the worker, nothing stored): campaign not open, blocked worker, HIT already done by
    this worker, per-worker limit reached, no free slot.
    """
    now = now or timezone.now()
    worker = Worker.objects.select_for_update().get(pk=worker.pk)
    campaign = Campaign.objects.get(pk=campaign.pk)
    if worker.blocked:
        raise LeaseRefused(
            "You can no longer take HITs here."
            + (f" Reason: {worker.blocked_reason}" if worker.blocked_reason else "")
        )
    if campaign.status not in LEASABLE_CAMPAIGN_STATUSES:
        raise LeaseRefused(f"“{campaign.title}” is not taking workers at the moment.")
    if hit is not None and hit.campaign_id != campaign.pk:
        raise LeaseRefused("This HIT belongs to another campaign.")

    if provider_assignment_id:
        known = Assignment.objects.filter(provider_assignment_id=provider_assignment_id).first()
        if known is not None:
            if known.worker_id != worker.pk or (hit is not None and known.hit_id != hit.pk):
                raise LeaseRefused("This assignment belongs to another worker or HIT.")
            return _resume(known, now=now, provider_context=provider_context)
    if hit is not None:
        prior = Assignment.objects.filter(hit=hit, worker=worker).first()
        if prior is not None:
            return _resume(
                prior,
                now=now,
                provider_context=provider_context,
                provider_assignment_id=provider_assignment_id,
            )
    else:
        current = (
            Assignment.objects.filter(
                hit__campaign=campaign,
                worker=worker,
                status=AssignmentStatus.LEASED,
                lease_expires_at__gt=now,
            )
            .order_by("-leased_at")
            .first()
        )
        if current is not None:
            return current
        lapsed = (
            Assignment.objects.filter(hit__campaign=campaign, worker=worker)
            .filter(Q(status=AssignmentStatus.EXPIRED) | Q(status=AssignmentStatus.LEASED))
            .order_by("-leased_at")
            .first()
        )
        if lapsed is not None:
            # Their time ran out but their answers are kept: give the same HIT back when
            # its place is still free, else fall through to new work.
            try:
                return _resume(lapsed, now=now, provider_context=provider_context)
            except LeaseRefused:
                pass

    _check_open_for_new_work(campaign, now)
    _check_worker_limit(campaign, worker, now)
    claimed = _claim_hit(campaign, worker, now=now, only=hit, exclude_worker=True)
    if claimed is None:
        raise LeaseRefused(
            "This HIT has no free place right now."
            if hit is not None
            else "There is no work left for you in this campaign right now. Thank you!"
        )
    return Assignment.objects.create(
        hit=claimed,
        worker=worker,
        status=AssignmentStatus.LEASED,
        lease_expires_at=now + lease_duration(campaign),
        provider_assignment_id=provider_assignment_id,
        provider_context=provider_context or {},
        simulated=worker.simulated,
    )


def _resume(
    assignment: Assignment,
    *,
    now: datetime,
    provider_context: dict[str, Any] | None,
    provider_assignment_id: str = "",
) -> Assignment:
    """Hand back a worker's existing assignment on a HIT, re-leasing it if it lapsed."""
    if assignment.status in DONE_STATUSES:
        if provider_assignment_id and provider_assignment_id != assignment.provider_assignment_id:
            raise LeaseRefused("You have already done this HIT; each HIT is done once per worker.")
        return assignment
    changed: list[str] = []
    lapsed = assignment.status != AssignmentStatus.LEASED or assignment.lease_expires_at <= now
    rebinding = bool(
        provider_assignment_id and provider_assignment_id != assignment.provider_assignment_id
    )
    if rebinding and not lapsed:
        # A worker id in a URL is only a claim: binding a live lease to whoever sends a new
        # provider id would hand one worker's assignment (and pay) to another.
        raise LeaseRefused(
            "This HIT is already in progress for you under another assignment. If you "
            "returned it, it opens again once that assignment times out."
        )
    if rebinding:
        # The provider gave the worker a new assignment for the same HIT after the old one
        # lapsed (returned and accepted again): answers already given stay, under the new id.
        assignment.provider_assignment_id = provider_assignment_id
        changed.append("provider_assignment_id")
    # A live provider assignment keeps where it submits: a claim in a URL cannot move it.
    may_move = lapsed or not assignment.provider_assignment_id
    if (
        may_move
        and provider_context is not None
        and provider_context != assignment.provider_context
    ):
        assignment.provider_context = provider_context
        changed.append("provider_context")
    if lapsed:
        campaign = assignment.hit.campaign
        _check_open_for_new_work(campaign, now)
        _check_worker_limit(campaign, assignment.worker, now)
        if (
            _claim_hit(
                campaign, assignment.worker, now=now, only=assignment.hit, exclude_worker=False
            )
            is None
        ):
            raise LeaseRefused("Your time on this HIT ran out and its place went to someone else.")
        assignment.status = AssignmentStatus.LEASED
        assignment.leased_at = now
        assignment.lease_expires_at = now + lease_duration(campaign)
        changed += ["status", "leased_at", "lease_expires_at"]
    if changed:
        assignment.save(update_fields=changed)
    return assignment


def _check_open_for_new_work(campaign: Campaign, now: datetime) -> None:
    """A paused campaign, or one past its deadline, hands out no new HITs (nor a lapsed
    lease again); a worker whose lease is live keeps it and may finish."""
    if campaign.paused_at is not None:
        raise LeaseRefused(
            f"“{campaign.title}” is paused: no new HITs are handed out at the moment. "
            "Please try again later."
        )
    if campaign.deadline is not None and campaign.deadline <= now:
        raise LeaseRefused(f"“{campaign.title}” stopped handing out HITs at its deadline.")


def _check_worker_limit(campaign: Campaign, worker: Worker, now: datetime) -> None:
    taken = (
        Assignment.objects.filter(hit__campaign=campaign, worker=worker)
        .filter(holds_slot(now))
        .count()
    )
    if taken >= campaign.max_hits_per_worker:
        raise LeaseRefused(
            f"You have reached the limit of {campaign.max_hits_per_worker} HIT"
            f"{'s' if campaign.max_hits_per_worker != 1 else ''} per worker in this campaign. "
            "Thank you for your work!"
        )


def _claim_hit(
    campaign: Campaign, worker: Worker, *, now: datetime, only: Hit | None, exclude_worker: bool
) -> Hit | None:
    """Lock and return an open HIT with a free slot (lowest index first), or None."""
    slots = campaign.assignments_per_hit
    held = (
        Assignment.objects.filter(hit=OuterRef("pk"))
        .filter(holds_slot(now))
        .order_by()
        .values("hit")
        .annotate(n=Count("pk"))
        .values("n")
    )
    candidates = (
        Hit.objects.filter(campaign=campaign, status=HitStatus.OPEN)
        .annotate(held=Coalesce(Subquery(held), 0))
        .filter(held__lt=slots)
        .order_by("index")
    )
    if only is not None:
        candidates = candidates.filter(pk=only.pk)
    if exclude_worker:
        candidates = candidates.exclude(assignments__worker=worker)
    for attempt in range(CLAIM_ATTEMPTS):
        hit = candidates.select_for_update(skip_locked=attempt == 0).first()
        if hit is None:
            if attempt == 0:
                continue
            return None
        # Recount under the lock: a lease that committed while we waited counts now.
        taken = Assignment.objects.filter(hit=hit).filter(holds_slot(now)).count()
        if taken < slots:
            Assignment.objects.filter(
                hit=hit, status=AssignmentStatus.LEASED, lease_expires_at__lte=now
            ).update(status=AssignmentStatus.EXPIRED)
            return hit
    return None


@transaction.atomic
def assignment_expire_leases(*, now: datetime | None = None, limit: int = 5000) -> int:
    """Mark leases that ran out as expired, returning their slots to the pool; returns
    how many. Rows another transaction holds (a worker saving right now) wait for the next
    run. Their answers stay stored."""
    now = now or timezone.now()
    ids = list(
        Assignment.objects.select_for_update(skip_locked=True)
        .filter(status=AssignmentStatus.LEASED, lease_expires_at__lte=now)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    return Assignment.objects.filter(pk__in=ids, status=AssignmentStatus.LEASED).update(
        status=AssignmentStatus.EXPIRED
    )


@transaction.atomic
def assignment_return(*, assignment: Assignment) -> Assignment:
    """The worker gives the HIT back (or the provider says they did): frees the slot.
    Idempotent; a submitted assignment cannot be returned."""
    locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if locked.status in DONE_STATUSES:
        raise LeaseRefused("This HIT was already submitted; it cannot be returned.")
    if locked.status != AssignmentStatus.RETURNED:
        locked.status = AssignmentStatus.RETURNED
        locked.save(update_fields=["status"])
    assignment.status = locked.status
    return assignment
