"""Bringing our records in line with a Prolific study's submissions.

Returned and timed-out submissions give their slot back (our assignment is marked
returned); approvals and rejections made on Prolific's website are recorded once.
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any

from evalplatform.crowd.errors import CrowdError
from evalplatform.crowd.models import Assignment, AssignmentStatus
from evalplatform.crowd.services import assignment_approve, assignment_reject, assignment_return
from evalplatform.providers import ledger
from evalplatform.providers.models import Decision, ProlificStudy
from evalplatform.providers.prolific.client import ProlificClient

logger = logging.getLogger(__name__)
GONE = {"RETURNED", "TIMED-OUT"}
STATUS_MAP = {
    "AWAITING REVIEW": "submitted",
    "APPROVED": "approved",
    "REJECTED": "rejected",
    "RETURNED": "returned",
    "TIMED-OUT": "timed_out",
}


def participant(submission: dict[str, Any]) -> str:
    return str(submission.get("participant_id") or submission.get("participant") or "")


def our_status(status: str) -> str:
    return STATUS_MAP.get(status, status.lower())


def verification_problem(
    assignment: Assignment, remote: dict[str, Any], study: ProlificStudy
) -> str:
    if remote.get("id") != assignment.provider_assignment_id:
        return "Prolific's submission id differs from ours."
    if remote.get("study_id") not in (None, study.study_id):
        return "The submission belongs to another study."
    if participant(remote) != assignment.worker.external_id:
        return "Prolific's participant differs from the one we served."
    if assignment.status not in (
        AssignmentStatus.SUBMITTED,
        AssignmentStatus.APPROVED,
        AssignmentStatus.REJECTED,
    ):
        return f"The assignment is {assignment.status} on our side, never submitted to us."
    if remote.get("status") not in ("AWAITING REVIEW", "APPROVED", "REJECTED"):
        return f"Prolific's submission is {remote.get('status')}, not completed."
    return ""


def _record(ours: Assignment, decision: str, counts: Counter[str]) -> None:
    agreed = ledger.decision_reconciled(
        assignment=ours,
        remote=decision,
        reason="" if decision == Decision.APPROVE else "Rejected on Prolific's website.",
    )
    if agreed and decision == Decision.APPROVE:
        assignment_approve(assignment=ours)
    else:
        assignment_reject(assignment=ours)
    counts[f"{decision}d_on_prolific" if agreed else "conflicting_decisions"] += 1


def reconcile_study(client: ProlificClient, study: ProlificStudy) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for remote in client.list_submissions(study.study_id):
        counts["submissions"] += 1
        ours = (
            Assignment.objects.select_related("worker", "hit")
            .filter(provider_assignment_id=remote.get("id", ""))
            .first()
        )
        if ours is None:
            counts["unknown_on_prolific"] += 1
            continue
        status = remote.get("status", "")
        if status in GONE:
            if ours.status in (AssignmentStatus.LEASED, AssignmentStatus.EXPIRED):
                try:
                    assignment_return(assignment=ours)
                    counts["slots_reclaimed"] += 1
                except CrowdError as error:
                    logger.warning("Could not return assignment %s: %s", ours.pk, error)
            continue
        if verification_problem(ours, remote, study):
            counts["mismatched"] += 1
            continue
        if status == "AWAITING REVIEW":
            counts["awaiting_review"] += 1
        elif status == "APPROVED" and ours.status == AssignmentStatus.SUBMITTED:
            _record(ours, Decision.APPROVE, counts)
        elif status == "REJECTED" and ours.status == AssignmentStatus.SUBMITTED:
            _record(ours, Decision.REJECT, counts)
    return dict(counts)
