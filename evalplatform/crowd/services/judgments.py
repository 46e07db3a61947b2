"""Saving a worker's answers, each validated on the server and upserted on its unique key."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from evalplatform.campaigns.models import Criterion, CriterionKind
from evalplatform.crowd.errors import AssignmentClosed, InvalidAnswer
from evalplatform.crowd.models import (
    Assignment,
    AssignmentStatus,
    Item,
    ItemCandidate,
    Judgment,
)

NUMERIC_KINDS = (CriterionKind.SCALE, CriterionKind.BINARY)
# A/B answers are about the pair shown, not about one response.
ITEM_LEVEL_KINDS = (CriterionKind.CHOICE,)


def lock_open_assignment(assignment: Assignment, *, now: datetime) -> Assignment:
    """Lock the assignment row and check it still takes answers (leased, time left).
    Locking serialises one assignment's writes against each other and against expiry."""
    locked = (
        Assignment.objects.select_for_update()
        .select_related("hit__campaign", "worker")
        .get(pk=assignment.pk)
    )
    if locked.status in (
        AssignmentStatus.SUBMITTED,
        AssignmentStatus.APPROVED,
        AssignmentStatus.REJECTED,
    ):
        raise AssignmentClosed("This HIT was already submitted; its answers can no longer change.")
    if locked.status != AssignmentStatus.LEASED:
        raise AssignmentClosed("This HIT is no longer yours: it was returned or its time ran out.")
    if locked.lease_expires_at <= now:
        raise AssignmentClosed(
            "Your time for this HIT ran out at "
            f"{locked.lease_expires_at:%H:%M} UTC; answers can no longer be saved."
        )
    return locked


@transaction.atomic
def judgment_save(
    *,
    assignment: Assignment,
    item_position: int,
    criterion: str,
    value: str,
    candidate_position: int | None = None,
    now: datetime | None = None,
) -> Judgment:
    """Store one answer of a leased assignment, or change it.

    ``item_position`` is the dialogue's position in the HIT, ``candidate_position`` the
    response's position in the item as shown (None for A/B, whose answer is about the
    pair), ``criterion`` the criterion's name and ``value`` one of
    ``Criterion.allowed_values()``. Idempotent: sending the same answer again changes
    nothing. Refused with ``InvalidAnswer`` / ``AssignmentClosed`` and nothing stored when
    anything does not fit.
    """
    now = now or timezone.now()
    locked = lock_open_assignment(assignment, now=now)
    campaign = locked.hit.campaign
    item = Item.objects.filter(hit_id=locked.hit_id, position=item_position).first()
    if item is None:
        raise InvalidAnswer(f"Dialogue {_human(item_position)} is not part of this HIT.")
    question = Criterion.objects.filter(campaign=campaign, name=criterion).first()
    if question is None:
        raise InvalidAnswer(f"This HIT asks no question named {criterion!r}.")
    question.campaign = campaign  # allowed_values reads the campaign's A/B options
    shown = _shown_candidate(item, question, candidate_position)
    allowed = question.allowed_values()
    if value not in allowed:
        raise InvalidAnswer(
            f"{value!r} is not an answer to {question.name!r}: choose one of {', '.join(allowed)}."
        )
    score = int(value) if question.kind in NUMERIC_KINDS else None
    label = "" if question.kind in NUMERIC_KINDS else value
    keys = {"assignment": locked, "item": item, "item_candidate": shown, "criterion": question}
    judgment = Judgment.objects.filter(**keys).first()
    if judgment is None:
        return Judgment.objects.create(
            **keys, score=score, label=label, simulated=locked.worker.simulated
        )
    if (judgment.score, judgment.label) != (score, label):
        judgment.score, judgment.label = score, label
        judgment.save(update_fields=["score", "label", "updated_at"])
    return judgment


def _shown_candidate(
    item: Item, question: Criterion, candidate_position: int | None
) -> ItemCandidate | None:
    if question.kind in ITEM_LEVEL_KINDS:
        if candidate_position is not None:
            raise InvalidAnswer(
                "This question is about the two responses together: send no response."
            )
        return None
    if candidate_position is None:
        raise InvalidAnswer("Say which response this answer is about.")
    shown = ItemCandidate.objects.filter(item=item, position=candidate_position).first()
    if shown is None:
        raise InvalidAnswer(
            f"Response {_human(candidate_position)} is not part of dialogue "
            f"{_human(item.position)}."
        )
    return shown


def _human(position: int) -> str:
    """Positions count from 0 in the API and from 1 on the page."""
    return str(position + 1) if position >= 0 else str(position)
