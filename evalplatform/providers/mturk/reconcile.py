"""Bringing our records in line with MTurk's (idempotent; periodic and on demand).

For each HIT we published: refresh its status and counters; read its submitted, approved
and rejected assignments; check each against what we served; record approvals and
rejections made on MTurk's side (auto-approval, the requester website) once.
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any

from django.utils import timezone

from evalplatform.campaigns.models import Campaign
from evalplatform.crowd.models import Assignment, AssignmentStatus
from evalplatform.crowd.services import (
    assignment_approve,
    assignment_reject,
    assignment_void,
    lease_duration,
)
from evalplatform.providers import ledger
from evalplatform.providers.models import Decision, ProviderHit
from evalplatform.providers.mturk.client import MTurkGateway, MTurkRequestError
from evalplatform.providers.mturk.review import verification_problem

logger = logging.getLogger(__name__)
STATUSES = ["Submitted", "Approved", "Rejected"]


def refresh_hit(gateway: MTurkGateway, record: ProviderHit) -> None:
    try:
        remote = gateway.call("get_hit", HITId=record.provider_hit_id)["HIT"]
    except MTurkRequestError as error:
        if "does not exist" not in error.message.lower():
            raise
        remote = {"HITStatus": "Disposed"}
    ProviderHit.objects.filter(pk=record.pk).update(
        remote_status=str(remote.get("HITStatus", "")),
        assignments_pending=int(remote.get("NumberOfAssignmentsPending", 0) or 0),
        assignments_available=int(remote.get("NumberOfAssignmentsAvailable", 0) or 0),
        assignments_completed=int(remote.get("NumberOfAssignmentsCompleted", 0) or 0),
        expires_at=remote.get("Expiration", record.expires_at),
        synced_at=timezone.now(),
    )
    record.remote_status = str(remote.get("HITStatus", ""))


def reconcile_assignment(
    gateway: MTurkGateway, remote: dict[str, Any], counts: Counter[str]
) -> None:
    ours = (
        Assignment.objects.select_related("worker", "hit")
        .filter(provider_assignment_id=remote["AssignmentId"])
        .first()
    )
    if ours is None:
        counts["unknown_on_mturk"] += 1  # MTurk has a submission we never served
        logger.warning("MTurk assignment %s was never served by us.", remote["AssignmentId"])
        return
    problem = verification_problem(ours, remote)
    if problem:
        counts["mismatched"] += 1
        logger.warning("Assignment %s fails verification: %s", ours.pk, problem)
        return
    status = remote.get("AssignmentStatus")
    if status == "Submitted":
        counts["awaiting_review"] += 1
    elif status in ("Approved", "Rejected") and ours.status == AssignmentStatus.SUBMITTED:
        outcome = Decision.APPROVE if status == "Approved" else Decision.REJECT
        agreed = ledger.decision_reconciled(
            assignment=ours,
            remote=outcome,
            environment=gateway.environment,
            reason="" if outcome == Decision.APPROVE else "Rejected on MTurk's requester website.",
        )
        if agreed and outcome == Decision.APPROVE:
            assignment_approve(assignment=ours)
        else:
            assignment_reject(assignment=ours)
        counts[f"{status.lower()}_on_mturk" if agreed else "conflicting_decisions"] += 1


def reconcile_campaign(gateway: MTurkGateway, campaign: Campaign) -> dict[str, int]:
    counts: Counter[str] = Counter()
    records = ProviderHit.objects.filter(
        hit__campaign=campaign, provider="mturk", environment=gateway.environment
    ).exclude(remote_status="Disposed")
    # A HIT MTurk calls Reviewable (all submitted, or expired) whose assignments are all
    # decided on our side has nothing left to learn: skip its two calls.
    open_hits = set(
        Assignment.objects.filter(
            hit__campaign=campaign,
            status__in=[AssignmentStatus.SUBMITTED, AssignmentStatus.LEASED],
        ).values_list("hit_id", flat=True)
    )
    for record in records.iterator():
        if record.remote_status == "Reviewable" and record.hit_id not in open_hits:
            counts["hits_settled"] += 1
            continue
        refresh_hit(gateway, record)
        counts["hits"] += 1
        if record.remote_status == "Disposed":
            continue
        seen = set()
        for remote in gateway.paginate(
            "list_assignments_for_hit",
            "Assignments",
            HITId=record.provider_hit_id,
            AssignmentStatuses=STATUSES,
            MaxResults=100,
        ):
            counts["assignments"] += 1
            seen.add(remote["AssignmentId"])
            reconcile_assignment(gateway, remote, counts)
        voided = _void_unrecorded(record, seen, campaign)
        if voided:
            counts["voided_unknown_to_mturk"] += voided
    return dict(counts)


def _void_unrecorded(record: ProviderHit, seen: set[str], campaign: Campaign) -> int:
    """Our submissions on this HIT that MTurk has not recorded although its assignment
    duration has passed since: MTurk never will (a forged id, or a worker who never
    posted to externalSubmit). Voiding them gives their slots back."""
    cutoff = timezone.now() - lease_duration(campaign)
    stale = Assignment.objects.filter(
        hit_id=record.hit_id, status=AssignmentStatus.SUBMITTED, submitted_at__lt=cutoff
    ).exclude(provider_assignment_id__in=seen)
    for assignment in stale:
        logger.warning("Voiding assignment %s: MTurk has no record of it.", assignment.pk)
        assignment_void(assignment=assignment)
    return len(stale)
