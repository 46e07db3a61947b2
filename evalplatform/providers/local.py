"""The ``local`` crowd provider: invite links and participant codes, no third party.

The researcher makes invites on the campaign's admin page ("Invite links and codes");
participants open their link (or type their code at ``/w/join/``) and work on our own
pages. Our database is the provider's record, so reconciling only expires abandoned
leases, approvals and rejections are recorded on the assignment and in the review ledger
(done at once: there is no call to make), and a bonus is recorded as owed (once per
assignment) for the researcher to pay by hand.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from evalplatform.campaigns.models import Campaign
from evalplatform.crowd.models import Assignment, AssignmentStatus, Worker
from evalplatform.crowd.services import (
    assignment_approve,
    assignment_expire_leases,
    assignment_reject,
    campaign_publish_hits,
    hits_expire,
    owed_bonus_record,
    worker_block,
)
from evalplatform.providers import ledger
from evalplatform.providers.base import CostEstimate, RemoteSubmission
from evalplatform.providers.costs import campaign_estimate
from evalplatform.providers.models import CallState, Decision

REMOTE_STATUS = {
    AssignmentStatus.SUBMITTED: "submitted",
    AssignmentStatus.APPROVED: "approved",
    AssignmentStatus.REJECTED: "rejected",
    AssignmentStatus.RETURNED: "returned",
    AssignmentStatus.EXPIRED: "timed_out",
}


class LocalProvider:
    """Implements ``providers.base.CrowdProvider`` on our own tables."""

    name = "local"

    def estimate_cost(self, campaign: Campaign) -> CostEstimate:
        return campaign_estimate(campaign, "local")

    def publish(self, campaign: Campaign) -> int:
        """Build the HITs (once) and open them to invitees: ready -> published."""
        return campaign_publish_hits(campaign=campaign)

    def fetch_submissions(self, campaign: Campaign) -> list[RemoteSubmission]:
        rows = (
            Assignment.objects.filter(hit__campaign=campaign, status__in=REMOTE_STATUS)
            .select_related("hit", "worker")
            .order_by("pk")
        )
        return [
            RemoteSubmission(
                provider_assignment_id=row.provider_assignment_id or f"local-{row.pk}",
                provider_hit_id=row.hit.provider_hit_id or f"local-{row.hit_id}",
                worker_external_id=row.worker.external_id,
                status=REMOTE_STATUS[AssignmentStatus(row.status)],
                completion_code=row.completion_code,
            )
            for row in rows
        ]

    @transaction.atomic
    def approve(self, assignment: Assignment) -> None:
        assignment_approve(assignment=assignment)  # refuses what was not submitted
        ledger.decision_record(
            assignment=assignment, decision=Decision.APPROVE, state=CallState.SENT
        )

    @transaction.atomic
    def reject(self, assignment: Assignment, *, reason: str) -> None:
        # The reason lives in the review ledger; locally the status says the rest.
        assignment_reject(assignment=assignment)
        ledger.decision_record(
            assignment=assignment, decision=Decision.REJECT, reason=reason, state=CallState.SENT
        )

    def pay_bonus(self, assignment: Assignment, *, amount: Decimal, reason: str) -> None:
        owed_bonus_record(assignment=assignment, amount=amount, reason=reason)

    def block_worker(self, worker: Worker, *, reason: str) -> None:
        worker_block(worker=worker, reason=reason)

    def expire(self, campaign: Campaign) -> None:
        hits_expire(campaign=campaign)

    def reconcile(self, campaign: Campaign) -> dict[str, int]:
        # Our tables are the record; only leases that ran out need bringing in line.
        return {"expired": assignment_expire_leases()}
