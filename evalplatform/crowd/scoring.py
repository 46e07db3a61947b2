"""The gold (bonus) rule, on plain values, applied once at submit.

Two rules (the campaign's ``gold_rule``):
- ``acceptable`` (seed 002): the gold response lies in Good or Okay; Likert: every scale
  answer about it is at least the middle of the scale.
- ``ranked_top``: acceptable, and no other response of its dialogue placed higher, and at
  least one placed lower. Putting every response in the same bin, or rating all alike,
  earns nothing; a worker who reads and ranks the person's reply first does.
Binary criteria are left out: the gold response has no predicted emotion of its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from evalplatform.analysis.worker_stats import ACCEPTABLE, RANKED_TOP

POINT_LABELS = frozenset({"good", "okay"})
LABEL_RANK = {"bad": 0.0, "okay": 1.0, "good": 2.0}


@dataclass(frozen=True)
class GoldAnswer:
    """One answer about a response: its criterion's kind and scale, and the value."""

    kind: str
    score: int | None
    label: str
    scale_min: int = 1
    scale_max: int = 5


def _acceptable(answers: Sequence[GoldAnswer]) -> bool:
    labels = [answer.label for answer in answers if answer.kind == "label"]
    if labels:
        return all(label in POINT_LABELS for label in labels)
    scales = [answer for answer in answers if answer.kind == "scale"]
    if not scales:
        return False
    return all(
        answer.score is not None and 2 * answer.score >= answer.scale_min + answer.scale_max
        for answer in scales
    )


def placement(answers: Iterable[GoldAnswer]) -> float | None:
    """Where a response was placed, comparable within one dialogue: its bin (bad 0, okay
    1, good 2), or the mean of its scale answers on a 0..1 scale; None when unanswered."""
    answers = list(answers)
    labels = [LABEL_RANK[a.label] for a in answers if a.kind == "label" and a.label in LABEL_RANK]
    if labels:
        return sum(labels) / len(labels)
    scales = [
        (a.score - a.scale_min) / ((a.scale_max - a.scale_min) or 1)
        for a in answers
        if a.kind == "scale" and a.score is not None
    ]
    return sum(scales) / len(scales) if scales else None


def gold_point(
    answers: Iterable[GoldAnswer],
    others: Sequence[Sequence[GoldAnswer]] = (),
    rule: str = ACCEPTABLE,
) -> bool:
    """Whether the answers about one gold response earn the point; ``others`` are the
    answers about each other response of its dialogue (used by ``ranked_top``)."""
    answers = list(answers)
    if not _acceptable(answers):
        return False
    if rule != RANKED_TOP:
        return True
    gold = placement(answers)
    ranks = [placement(other) for other in others]
    if gold is None or not ranks or any(rank is None for rank in ranks):
        return False
    placed = [rank for rank in ranks if rank is not None]
    return gold >= max(placed) and gold > min(placed)
