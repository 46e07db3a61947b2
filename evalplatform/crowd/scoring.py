"""The gold (bonus) rule, on plain values so that the submit service and the worker's
"Bonus Validate" check apply exactly the same rule."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

POINT_LABELS = frozenset({"good", "okay"})


@dataclass(frozen=True)
class GoldAnswer:
    """One answer about a gold response: its criterion's kind and scale, and the value."""

    kind: str
    score: int | None
    label: str
    scale_min: int = 1
    scale_max: int = 5


def gold_point(answers: Iterable[GoldAnswer]) -> bool:
    """Whether the answers about one gold response earn the point.

    Good/okay/bad (seed 002): the gold response lies in Good or Okay. Likert: every scale
    answer about it is at least the middle of the scale. Binary criteria are left out: the
    gold response has no predicted emotion of its own to be judged against.
    """
    answers = list(answers)
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
