"""Filling a campaign's candidates: one response per (sampled dialogue, system).

The researcher starts generation (``tasks.campaign_start_generation``): the services here
plan and record the batches, and one Celery task per batch of dialogues per system runs on
the ``generation`` queue. Work is idempotent end to end: a batch skips dialogues that already
have a candidate, and the (system, dialogue) uniqueness constraint makes a duplicate
impossible even when two workers race on the same batch. Progress is counted from the
candidates that exist, never from a counter that a lost task could leave wrong.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from evalplatform.campaigns.models import (
    Campaign,
    CampaignStatus,
    CampaignSystem,
    Candidate,
    Dialogue,
    GenerationStatus,
    SampledDialogue,
    SystemKind,
)
from evalplatform.campaigns.services import campaign_draw_sample, campaign_transition
from evalplatform.common.errors import InvalidTransition
from generation.types import DialogueInput, GenerationResult, Turn

logger = logging.getLogger(__name__)


def dialogue_input(dialogue: Dialogue) -> DialogueInput:
    return DialogueInput(
        key=dialogue.external_id,
        turns=tuple(Turn(speaker=t["speaker"], text=t["text"]) for t in dialogue.turns),
        emotion=dialogue.emotion,
        situation=dialogue.situation,
        gold=dialogue.gold_response,
    )


def missing_dialogue_ids(entry: CampaignSystem) -> list[int]:
    """Sampled dialogues that still have no candidate from this system, in sample order."""
    done = Candidate.objects.filter(system=entry.system).values("dialogue_id")
    return list(
        SampledDialogue.objects.filter(campaign=entry.campaign)
        .exclude(dialogue_id__in=done)
        .order_by("position")
        .values_list("dialogue_id", flat=True)
    )


@dataclass(frozen=True)
class GenerationBatch:
    """One task's worth of work: a batch of dialogues for one system of a campaign."""

    entry_id: int
    dialogue_ids: list[int]


def campaign_generation_plan(*, campaign: Campaign) -> list[GenerationBatch]:
    """Draw the sample, mark the systems that have work as running and return their missing
    batches; the caller queues them (``tasks.campaign_start_generation``).

    From a draft this starts generation; while generating it plans again what failed or was
    lost (a worker killed outright), so starting twice is safe.
    """
    if campaign.status not in (CampaignStatus.DRAFT, CampaignStatus.GENERATING):
        raise InvalidTransition(
            f"Campaign {campaign.name!r} is {campaign.status}; generation runs from a draft."
        )
    with transaction.atomic():
        sample = campaign_draw_sample(campaign=campaign)
        if campaign.status == CampaignStatus.DRAFT:
            campaign_transition(campaign=campaign, to=CampaignStatus.GENERATING)
        batches = []
        without_work = []
        for entry in CampaignSystem.objects.select_for_update().filter(campaign=campaign):
            planned = _prepare_entry(entry, total=len(sample))
            batches.extend(planned)
            if not planned:
                without_work.append(entry.pk)
        # A system with nothing to generate (imported, or complete) has no batch whose task
        # would settle it: settle it now, or the campaign waits for it for ever.
        for entry_id in without_work:
            campaign_system_settle(entry_id=entry_id)
    return batches


def _prepare_entry(entry: CampaignSystem, *, total: int) -> list[GenerationBatch]:
    missing = missing_dialogue_ids(entry)
    entry.generation_total = total
    entry.generation_done = total - len(missing)
    if entry.system.kind == SystemKind.IMPORTED or not missing:
        entry.save(update_fields=["generation_total", "generation_done"])
        return []
    entry.generation_status = GenerationStatus.RUNNING
    entry.generation_error = ""
    # Restarted now: the watchdog measures staleness from here, not from the first start.
    entry.generation_started_at = timezone.now()
    entry.generation_finished_at = None
    entry.save()
    size = settings.GENERATION_DIALOGUES_PER_TASK
    return [GenerationBatch(entry.pk, missing[i : i + size]) for i in range(0, len(missing), size)]


def candidates_store(
    *,
    entry: CampaignSystem,
    results: Iterable[GenerationResult],
    dialogue_ids: dict[str, int],
) -> int:
    """Store a finished batch in one statement; a candidate that a concurrent worker already
    wrote is left alone (the unique constraint decides)."""
    decoding = entry.system.decoding_settings.to_dict()
    rows = [
        Candidate(
            system=entry.system,
            dialogue_id=dialogue_ids[result.key],
            text=result.response,
            label=result.label[:100],
            decoding=decoding,
            generation_seconds=result.seconds,
            gold_perplexity=result.gold_perplexity,
        )
        for result in results
    ]
    Candidate.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


@transaction.atomic
def campaign_system_settle(*, entry_id: int) -> CampaignSystem:
    """Recount one system's progress; mark it done when complete, and the campaign ready
    when every system is done."""
    entry = (
        CampaignSystem.objects.select_for_update()
        .select_related("system", "campaign")
        .get(pk=entry_id)
    )
    missing = missing_dialogue_ids(entry)
    entry.generation_done = entry.generation_total - len(missing)
    if not missing and entry.generation_status != GenerationStatus.DONE:
        entry.generation_status = GenerationStatus.DONE
        entry.generation_finished_at = timezone.now()
    elif missing and entry.system.kind == SystemKind.IMPORTED:
        entry.generation_status = GenerationStatus.FAILED
        first = Dialogue.objects.get(pk=missing[0]).external_id
        entry.generation_error = (
            f"Imported system {entry.system.name!r} has no response for {len(missing)} sampled "
            f"dialogues (first: {first!r}); import them, then start generation again."
        )
    entry.save()
    _campaign_ready_if_complete(entry.campaign)
    return entry


def _campaign_ready_if_complete(campaign: Campaign) -> None:
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    pending = campaign.entries.exclude(generation_status=GenerationStatus.DONE)
    if campaign.status == CampaignStatus.GENERATING and not pending.exists():
        campaign_transition(campaign=campaign, to=CampaignStatus.READY)


@transaction.atomic
def campaign_system_fail(*, entry_id: int, message: str) -> None:
    """Record a system's failure on the campaign; other systems carry on. A failure of a
    duplicate batch (re-queued by the watchdog) after the system completed changes
    nothing: what exists is complete."""
    entry = CampaignSystem.objects.select_for_update().get(pk=entry_id)
    if not missing_dialogue_ids(entry):
        campaign_system_settle(entry_id=entry_id)
        return
    entry.generation_status = GenerationStatus.FAILED
    entry.generation_error = message[:2000]
    entry.save(update_fields=["generation_status", "generation_error"])


def stale_entries(*, older_than: timedelta) -> list[int]:
    """Running systems whose progress has not moved for a while: their batches were lost
    (a worker killed outright on a broker without redelivery)."""
    cutoff = timezone.now() - older_than
    entries = CampaignSystem.objects.filter(
        generation_status=GenerationStatus.RUNNING,
        campaign__status=CampaignStatus.GENERATING,
        generation_started_at__lt=cutoff,
    )
    stale = []
    for entry in entries:
        latest = (
            Candidate.objects.filter(system=entry.system)
            .order_by("-created_at")
            .values_list("created_at", flat=True)
            .first()
        )
        if latest is None or latest < cutoff:
            stale.append(entry.pk)
    return stale
