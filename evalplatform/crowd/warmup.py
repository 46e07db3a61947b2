"""The warm-up example on the instructions page: a made-up dialogue the worker answers and
checks with "Validate". Expected answers stay here on the server; nothing is stored.

The example follows the campaign's protocol and criteria (its registry entry says which
responses it shows and what counts as right): good/okay/bad sorts three responses, Likert
rates a clearly good and a clearly broken response on the campaign's criteria, A/B
compares the two.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from evalplatform.campaigns.models import Criterion
from evalplatform.protocols.registry import get
from evalplatform.protocols.warmup import TURNS, WarmupCandidate

__all__ = ["TURNS", "WarmupResult", "warmup_candidates", "warmup_check"]


def warmup_candidates(protocol: str) -> tuple[WarmupCandidate, ...]:
    return get(protocol).warmup_candidates()


@dataclass(frozen=True)
class WarmupResult:
    correct: bool
    feedback: list[str]


def warmup_check(
    *, protocol: str, criteria: Sequence[Criterion], answers: dict[tuple[int | None, str], str]
) -> WarmupResult:
    """Check the worker's warm-up answers, keyed by (response position or None, criterion
    name), and say what to change."""
    spec = get(protocol)
    feedback = spec.warmup_feedback(spec.warmup_candidates(), criteria, answers)
    return WarmupResult(correct=not feedback, feedback=feedback or ["Well done: that is right."])
