"""Celery tasks for generation. Tasks fetch by id and call services; the model work itself
is in the Django-free ``generation`` package."""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from evalplatform.campaigns.adapters import adapter_check_before_import
from evalplatform.campaigns.candidates import (
    campaign_generation_plan,
    campaign_system_fail,
    campaign_system_settle,
    candidates_store,
    dialogue_input,
    stale_entries,
)
from evalplatform.campaigns.labelling import (
    candidates_label,
    system_labelling_fail,
    system_labelling_plan,
    system_labelling_settle,
)
from evalplatform.campaigns.models import (
    Campaign,
    CampaignSystem,
    Candidate,
    Dialogue,
    System,
)
from generation.backends import load_backend
from generation.errors import GenerationError, TransientGenerationError

logger = logging.getLogger(__name__)


# A batch that runs a checkpoint: acknowledged only when its work is stored and redelivered
# if the worker dies (each task is safe to run twice), retried on transient errors only.
CHECKPOINT_BATCH = {
    "bind": True,
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (TransientGenerationError,),
    "retry_backoff": 10,
    "retry_backoff_max": 300,
    "max_retries": 5,
}


# Safe to run twice: skips existing candidates (unique constraint).
@shared_task(**CHECKPOINT_BATCH, soft_time_limit=50 * 60, time_limit=55 * 60)
def generate_batch(self, entry_id: int, dialogue_ids: list[int]) -> int:  # type: ignore[no-untyped-def]
    """Generate and store the responses of one system to one batch of dialogues."""
    entry = CampaignSystem.objects.select_related("system", "campaign").filter(pk=entry_id).first()
    if entry is None:
        return 0
    done = set(
        Candidate.objects.filter(system=entry.system, dialogue_id__in=dialogue_ids).values_list(
            "dialogue_id", flat=True
        )
    )
    dialogues = list(Dialogue.objects.filter(pk__in=[pk for pk in dialogue_ids if pk not in done]))
    dialogues.sort(key=lambda d: dialogue_ids.index(d.pk))
    stored = 0
    if dialogues:
        try:
            stored = _generate_and_store(entry, dialogues)
        except TransientGenerationError:
            raise
        except Exception as error:  # an adapter or checkpoint can raise anything
            campaign_system_fail(
                entry_id=entry.pk, message=_failure(error, f"generation for {entry}")
            )
            return 0
    campaign_system_settle(entry_id=entry.pk)
    return stored


def campaign_start_generation(*, campaign: Campaign) -> int:
    """Plan the campaign's missing batches and queue one task per batch; returns how many.

    Queued once the plan is committed, so a fast worker never reads a campaign that is not
    there yet."""
    batches = campaign_generation_plan(campaign=campaign)
    for batch in batches:
        generate_batch.delay_on_commit(batch.entry_id, batch.dialogue_ids)
    return len(batches)


def _generate_and_store(entry: CampaignSystem, dialogues: list[Dialogue]) -> int:
    system = entry.system
    inputs = [dialogue_input(d) for d in dialogues]
    adapter_check_before_import(kind=system.kind, spec=system.path)  # the allow-list
    backend = load_backend(system.kind, system.path, settings.GENERATION_DEVICE or None)
    started = time.perf_counter()
    # The gold responses' perplexities come out of the same batches as the responses
    # (scored beside generation's own forward passes), not from a second pass.
    results = backend.generate(
        inputs,
        system.decoding_settings,
        batch_size=settings.GENERATION_BATCH_SIZE,
        score_gold=True,
    )
    if len(results) != len(inputs):
        raise GenerationError(f"backend returned {len(results)} responses for {len(inputs)}")
    logger.info(
        "%s: %d responses in %.1fs", system.name, len(results), time.perf_counter() - started
    )
    keys = {d.external_id: d.pk for d in dialogues}
    return candidates_store(entry=entry, results=results, dialogue_ids=keys)


# Safe to run twice: labels only responses still unlabelled.
@shared_task(**CHECKPOINT_BATCH, soft_time_limit=20 * 60, time_limit=25 * 60)
def label_batch(self, system_id: int, candidate_ids: list[int], checkpoint: str) -> int:  # type: ignore[no-untyped-def]
    """Label one batch of a system's unlabelled responses with ``checkpoint``'s classifier
    (campaigns/labelling.py)."""
    candidates = list(
        Candidate.objects.filter(system_id=system_id, pk__in=candidate_ids, label="")
        .select_related("dialogue")
        .order_by("pk")
    )
    stored = 0
    if candidates:
        try:
            # Imported here: the classifier brings torch and transformers (seconds), which
            # every other importer of this module (the admin, so every manage.py command)
            # never needs.
            from generation.classifier import load_label_predictor

            predictor = load_label_predictor(checkpoint, settings.GENERATION_DEVICE or None)
            predicted = predictor.predict(
                [dialogue_input(c.dialogue) for c in candidates],
                batch_size=settings.GENERATION_BATCH_SIZE,
            )
        except TransientGenerationError:
            raise
        except Exception as error:  # a checkpoint can raise anything while loading
            message = _failure(error, f"labelling of system {system_id}")
            system_labelling_fail(system_id=system_id, message=message)
            return 0
        labels = {c.pk: label for c, label in zip(candidates, predicted, strict=True)}
        stored = candidates_label(system_id=system_id, labels=labels)
    system_labelling_settle(system_id=system_id)
    return stored


def system_start_labelling(*, system: System, checkpoint: str) -> int:
    """Plan the labelling of ``system``'s unlabelled responses with ``checkpoint``'s
    classifier and queue one task per batch, once the plan is committed; returns how many."""
    batches = system_labelling_plan(system=system, checkpoint=checkpoint)
    for ids in batches:
        label_batch.delay_on_commit(system.pk, ids, system.labels_from)
    return len(batches)


def _failure(error: Exception, what: str) -> str:
    """The message a failed batch records: ours say what went wrong; anything else a
    checkpoint raised is logged with its traceback and named by its type. Call it inside
    the ``except`` block."""
    if isinstance(error, SoftTimeLimitExceeded):
        return "The batch ran past its time limit; start it again to retry it."
    if isinstance(error, GenerationError):
        return str(error)
    logger.exception("%s failed", what)
    return f"{type(error).__name__}: {error}"


@shared_task(acks_late=True, soft_time_limit=120, time_limit=180)
def requeue_stale_generation() -> int:
    """Periodic: re-queue the batches of systems whose progress stopped, e.g. because a
    worker was killed outright on a broker that does not redeliver (the filesystem one).
    Each campaign is restarted once, however many of its systems look stale."""
    minutes = settings.GENERATION_STALE_MINUTES
    stale = stale_entries(older_than=timedelta(minutes=minutes))
    campaigns = {
        entry.campaign
        for entry in CampaignSystem.objects.filter(pk__in=stale).select_related("campaign")
    }
    return sum(campaign_start_generation(campaign=campaign) for campaign in campaigns)
