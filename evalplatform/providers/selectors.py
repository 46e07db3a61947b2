"""Reads for the provider-state and review page, its audit of money decisions, and the
campaign counters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum

from evalplatform.campaigns.models import Campaign
from evalplatform.crowd.models import Assignment, AssignmentStatus
from evalplatform.providers.models import (
    BonusPayment,
    CallState,
    ProlificBulkBonus,
    ProlificStudy,
    ProviderHit,
    QualificationGrant,
    ReviewDecision,
)


def _by(queryset: Any, field: str) -> dict[str, int]:
    return {row[field]: row["n"] for row in queryset.values(field).annotate(n=Count("pk"))}


def campaign_provider_counts(campaign: Campaign) -> dict[str, int]:
    """For the campaign overview (console.selectors)."""
    if campaign.provider == "local":
        return {}
    bonuses = BonusPayment.objects.filter(assignment__hit__campaign=campaign)
    return {
        "HITs on the provider": ProviderHit.objects.filter(hit__campaign=campaign).count(),
        "approved on the provider": ReviewDecision.objects.filter(
            assignment__hit__campaign=campaign, decision="approve", state=CallState.SENT
        ).count(),
        "bonuses paid": bonuses.filter(state=CallState.SENT).count(),
        "bonuses to check by hand": bonuses.filter(state=CallState.UNCERTAIN).count(),
    }


def campaign_provider_state(campaign: Campaign) -> dict[str, Any]:
    hits = ProviderHit.objects.filter(hit__campaign=campaign)
    decisions = ReviewDecision.objects.filter(assignment__hit__campaign=campaign)
    bonuses = BonusPayment.objects.filter(assignment__hit__campaign=campaign)
    paid = bonuses.filter(state=CallState.SENT).aggregate(s=Sum("amount"))["s"] or Decimal("0")
    submitted = (
        Assignment.objects.filter(hit__campaign=campaign, status=AssignmentStatus.SUBMITTED)
        .exclude(review_decision__state=CallState.SENT)
        .select_related("worker", "hit")
        .order_by("submitted_at", "pk")
    )
    return {
        "environments": sorted(set(hits.values_list("environment", flat=True))),
        "hits_by_status": _by(hits, "remote_status"),
        "hits_published": hits.count(),
        "last_synced": hits.order_by("-synced_at").values_list("synced_at", flat=True).first(),
        "assignments_by_status": _by(Assignment.objects.filter(hit__campaign=campaign), "status"),
        "decisions": [
            (r["decision"], r["state"], r["n"])
            for r in decisions.values("decision", "state").annotate(n=Count("pk"))
        ],
        "failed_decisions": list(
            decisions.exclude(state=CallState.SENT).select_related("assignment")[:50]
        ),
        "bonuses_by_state": _by(bonuses, "state"),
        "bonuses_paid_total": paid,
        "uncertain_bonuses": list(
            bonuses.filter(state__in=[CallState.UNCERTAIN, CallState.FAILED]).select_related(
                "assignment", "worker"
            )[:100]
        ),
        "limit_grants": QualificationGrant.objects.filter(
            qualification__campaign=campaign, state=CallState.SENT
        ).count(),
        "study": ProlificStudy.objects.filter(campaign=campaign).first(),
        "bulks": list(ProlificBulkBonus.objects.filter(study__campaign=campaign)),
        "to_review": list(submitted[:200]),
        "to_review_total": submitted.count(),
    }


@dataclass(frozen=True)
class MoneyDecision:
    """One approval, rejection or bonus as the audit shows it: what, to whom, who decided
    and when (the ledger row is written at the moment of decision)."""

    kind: str  # approve | reject | bonus
    assignment_id: int
    provider_assignment_id: str
    worker: str
    amount: Decimal | None
    rule: str
    reason: str
    state: str
    decided_by: str
    decided_at: datetime
    sent_at: datetime | None


def _decider(row: ReviewDecision | BonusPayment) -> str:
    return row.decided_by_label or "(not recorded)"


def campaign_money_decisions(
    campaign: Campaign, *, latest: int | None = None
) -> list[MoneyDecision]:
    """Every decision and bonus of the campaign, oldest first; only the ``latest`` ones
    when given (a page shows a few, the CSV all)."""
    decisions = ReviewDecision.objects.filter(assignment__hit__campaign=campaign).select_related(
        "assignment__worker"
    )
    bonuses = BonusPayment.objects.filter(assignment__hit__campaign=campaign).select_related(
        "assignment", "worker"
    )
    if latest is not None:
        decisions = decisions.order_by("-created_at", "-pk")[:latest]
        bonuses = bonuses.order_by("-created_at", "-pk")[:latest]
    rows = [
        MoneyDecision(
            kind=d.decision,
            assignment_id=d.assignment_id,
            provider_assignment_id=d.assignment.provider_assignment_id,
            worker=d.assignment.worker.external_id,
            amount=None,
            rule="",
            reason=d.reason,
            state=d.state,
            decided_by=_decider(d),
            decided_at=d.created_at,
            sent_at=d.sent_at,
        )
        for d in decisions
    ]
    rows += [
        MoneyDecision(
            kind="bonus",
            assignment_id=b.assignment_id,
            provider_assignment_id=b.assignment.provider_assignment_id,
            worker=b.worker.external_id,
            amount=b.amount,
            rule=b.rule,
            reason=b.reason,
            state=b.state,
            decided_by=_decider(b),
            decided_at=b.created_at,
            sent_at=b.sent_at,
        )
        for b in bonuses
    ]
    rows.sort(key=lambda row: (row.decided_at, row.kind == "bonus", row.assignment_id))
    return rows if latest is None else rows[-latest:]
