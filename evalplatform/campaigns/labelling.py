"""Labelling a system's responses with a classifier, for the yes/no criterion that judges a
response against its predicted emotion (emotion accuracy).

A system whose responses carry no label (imported without a label column, or generated from
a checkpoint without a classification head) cannot be asked that question. The researcher
picks a checkpoint that has one (``<checkpoint>/classifier/``, generation/classifier.py),
typically the dataset's emotion classifier, and its predictions become the labels of the
responses that had none. The classifier reads the dialogue's context only, so a response is
labelled with what that classifier predicts for its context. Labels that came with a
response are never changed.

``tasks.system_start_labelling`` plans and queues the work: one task per batch of
responses, on the generation queue (the classifier wants the GPU machines). Work is
idempotent: a batch labels only responses still unlabelled, so running it twice, or
starting again after a failure, changes nothing already done.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction

from evalplatform.campaigns.models import Candidate, LabellingStatus, System
from evalplatform.common.errors import ApplicationError

RESPONSES_PER_TASK = 256
MESSAGE_LENGTH = 500


def unlabelled_candidate_ids(system: System) -> list[int]:
    return list(
        Candidate.objects.filter(system=system, label="")
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@transaction.atomic
def system_labelling_plan(*, system: System, checkpoint: str) -> list[list[int]]:
    """Record that ``checkpoint``'s classifier labels ``system``'s unlabelled responses and
    return them in batches (response ids), for the caller to queue. Refused while a
    labelling of the system is running, and when there is nothing to label."""
    checkpoint = checkpoint.strip()
    if not checkpoint:
        raise ApplicationError("Give the checkpoint directory whose classifier/ folder labels.")
    locked = System.objects.select_for_update().get(pk=system.pk)
    if locked.labels_status == LabellingStatus.RUNNING:
        raise ApplicationError(
            f"{locked.name}'s responses are being labelled already (with "
            f"{locked.labels_from}); wait until that finishes or fails."
        )
    ids = unlabelled_candidate_ids(locked)
    if not ids:
        raise ApplicationError(
            f"Every response of {locked.name} has a predicted label already; nothing to label."
        )
    locked.labels_from = checkpoint
    locked.labels_status = LabellingStatus.RUNNING
    locked.labels_message = f"{len(ids)} responses to label."
    locked.save(update_fields=["labels_from", "labels_status", "labels_message", "updated_at"])
    system.labels_from, system.labels_status = locked.labels_from, locked.labels_status
    return [
        ids[start : start + RESPONSES_PER_TASK] for start in range(0, len(ids), RESPONSES_PER_TASK)
    ]


@transaction.atomic
def candidates_label(*, system_id: int, labels: dict[int, str]) -> int:
    """Store predicted labels (response id -> label) on the system's responses that still
    have none; returns how many were stored. One UPDATE per distinct label."""
    by_label: dict[str, list[int]] = defaultdict(list)
    for candidate_id, label in labels.items():
        if label:
            by_label[label].append(candidate_id)
    return sum(
        Candidate.objects.filter(system_id=system_id, pk__in=ids, label="").update(label=label)
        for label, ids in by_label.items()
    )


@transaction.atomic
def system_labelling_settle(*, system_id: int) -> None:
    """After a batch: the labelling is done once no response of the system is unlabelled."""
    system = System.objects.select_for_update().filter(pk=system_id).first()
    if system is None or system.labels_status != LabellingStatus.RUNNING:
        return
    left = Candidate.objects.filter(system=system, label="").count()
    if left:
        system.labels_message = f"{left} responses left to label."
    else:
        system.labels_status = LabellingStatus.DONE
        labelled = Candidate.objects.filter(system=system).count()
        system.labels_message = f"Every response labelled ({labelled})."
    system.save(update_fields=["labels_status", "labels_message", "updated_at"])


@transaction.atomic
def system_labelling_fail(*, system_id: int, message: str) -> None:
    """A batch failed for good (bad checkpoint, no classifier): the researcher reads why on
    the system's page and may start again; labels stored so far stay."""
    System.objects.filter(pk=system_id).update(
        labels_status=LabellingStatus.FAILED, labels_message=message[:MESSAGE_LENGTH]
    )
