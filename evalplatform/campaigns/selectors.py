"""Reads on campaigns: counts, generation progress and criterion scales for the admin, the
API, planning and monitoring."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from evalplatform.campaigns.models import (
    Campaign,
    CampaignSystem,
    Candidate,
    CriterionKind,
    SampledDialogue,
)


@dataclass(frozen=True)
class SystemProgress:
    system: str
    status: str
    done: int
    total: int
    per_second: float | None
    error: str


def campaign_by_name_or_id(name_or_id: str) -> Campaign | None:
    """The campaign a command-line argument names: its name, or its id."""
    query = Campaign.objects.filter(name=name_or_id)
    if name_or_id.isdigit():
        query = query | Campaign.objects.filter(pk=int(name_or_id))
    return query.first()


def campaign_list() -> QuerySet[Campaign]:
    return Campaign.objects.select_related("dataset").annotate(n_systems=Count("entries"))


def campaign_generation_progress(campaign: Campaign) -> list[SystemProgress]:
    """Done / total and rate per system, counted from the candidates that exist."""
    sample = SampledDialogue.objects.filter(campaign=campaign).values("dialogue_id")
    progress = []
    now = timezone.now()
    # Counted inside the one query of the entries, not one query per system.
    done_per_system = (
        Candidate.objects.filter(system=OuterRef("system_id"), dialogue_id__in=sample)
        .order_by()
        .values("system")
        .annotate(n=Count("pk"))
        .values("n")
    )
    entries = (
        CampaignSystem.objects.filter(campaign=campaign)
        .select_related("system")
        .annotate(done=Coalesce(Subquery(done_per_system), 0))
    )
    for entry in entries:
        done = int(entry.done)
        total = entry.generation_total
        rate = None
        if entry.generation_started_at and done:
            end = entry.generation_finished_at or now
            seconds = (end - entry.generation_started_at).total_seconds()
            rate = done / seconds if seconds > 0 else None
        progress.append(
            SystemProgress(
                system=entry.system.name,
                status=entry.generation_status,
                done=done,
                total=total,
                per_second=rate,
                error=entry.generation_error,
            )
        )
    return progress


def campaign_counts(campaign: Campaign) -> dict[str, int]:
    """Sizes a researcher looks at, as far as campaigns knows them: the sample and the
    systems (the console adds the crowd's and the provider's counts)."""
    return {
        "sampled_dialogues": SampledDialogue.objects.filter(campaign=campaign).count(),
        "systems": campaign.entries.count(),
    }


def campaign_criterion_scales(campaign: Campaign) -> dict[str, tuple[int, int]]:
    """The campaign's rated criteria (scale and yes/no) with their scales in campaign order;
    a yes/no criterion is stored as 0/1 whatever its unused scale fields say."""
    rated = campaign.criteria.filter(kind__in=(CriterionKind.SCALE, CriterionKind.BINARY))
    return {
        name: (0, 1) if kind == CriterionKind.BINARY else (low, high)
        for name, kind, low, high in rated.order_by("position").values_list(
            "name", "kind", "scale_min", "scale_max"
        )
    }
