"""Reads for the provider-state and review page and the campaign counters."""

from __future__ import annotations

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
