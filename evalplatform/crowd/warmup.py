"""The warm-up example on the instructions page: a made-up dialogue the worker answers and
checks with "Validate". Expected answers stay here on the server; nothing is stored.

The example follows the campaign's protocol and criteria: good/okay/bad sorts three
responses, Likert rates a clearly good and a clearly broken response on the campaign's
criteria, A/B compares the two.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from evalplatform.campaigns.models import Criterion, CriterionKind, Protocol

TURNS: tuple[tuple[int, str], ...] = (
    (1, "I finally passed my driving test today, after failing it twice!"),
    (2, "No way! How did it feel when they told you?"),
    (1, "Honestly I almost cried. I was so nervous the whole time."),
)


@dataclass(frozen=True)
class WarmupCandidate:
    text: str
    label: str  # the predicted emotion shown for binary criteria
    good: bool  # a clearly good response (True) or a clearly bad one
    ggb: frozenset[str] = field(default_factory=frozenset)  # acceptable bins


GGB_CANDIDATES = (
    WarmupCandidate(
        "Congratulations! Third time lucky - you must be so relieved and proud.",
        "proud",
        True,
        frozenset({"good"}),
    ),
    WarmupCandidate("Cool. What car do you drive?", "neutral", True, frozenset({"okay", "good"})),
    WarmupCandidate(
        "I do not like potatoes potatoes in the morning.", "angry", False, frozenset({"bad"})
    ),
)
RATED_CANDIDATES = (GGB_CANDIDATES[0], GGB_CANDIDATES[2])
BIN_NAMES = {"good": "Good", "okay": "Okay", "bad": "Bad"}


def warmup_candidates(protocol: str) -> tuple[WarmupCandidate, ...]:
    return GGB_CANDIDATES if protocol == Protocol.GGB else RATED_CANDIDATES


@dataclass(frozen=True)
class WarmupResult:
    correct: bool
    feedback: list[str]


def warmup_check(
    *, protocol: str, criteria: Sequence[Criterion], answers: dict[tuple[int | None, str], str]
) -> WarmupResult:
    """Check the worker's warm-up answers, keyed by (response position or None, criterion
    name), and say what to change."""
    candidates = warmup_candidates(protocol)
    feedback: list[str] = []
    if protocol == Protocol.GGB:
        for position, candidate in enumerate(candidates):
            placed = next((v for (p, _), v in answers.items() if p == position), None)
            if placed is None:
                feedback.append(f"Response {position + 1} is not sorted yet.")
            elif placed not in candidate.ggb:
                expected = " or ".join(BIN_NAMES[b] for b in sorted(candidate.ggb))
                feedback.append(
                    f"Response {position + 1} is in {BIN_NAMES.get(placed, placed)}; "
                    f"a better place is {expected}: "
                    + (
                        "it answers the speaker with care."
                        if candidate.good
                        else "it ignores what the speaker said."
                    )
                )
    elif protocol == Protocol.AB:
        for criterion in criteria:
            choice = answers.get((None, criterion.name))
            if choice is None:
                feedback.append(f"Answer “{criterion.question}”.")
            elif choice != "a":
                feedback.append(
                    "Response A is the better one here: it answers the speaker with care, "
                    "while Response B ignores what they said."
                )
    else:
        feedback.extend(_likert_feedback(candidates, criteria, answers))
    return WarmupResult(correct=not feedback, feedback=feedback or ["Well done: that is right."])


def _likert_feedback(
    candidates: Sequence[WarmupCandidate],
    criteria: Sequence[Criterion],
    answers: dict[tuple[int | None, str], str],
) -> list[str]:
    feedback = []
    for position, candidate in enumerate(candidates):
        for criterion in criteria:
            raw = answers.get((position, criterion.name))
            if raw is None or not raw.lstrip("-").isdigit():
                feedback.append(f"Response {position + 1}: answer “{criterion.question}”.")
                continue
            value = int(raw)
            if criterion.kind == CriterionKind.BINARY:
                ok = value == (1 if candidate.good else 0)
            else:
                middle = (criterion.scale_min + criterion.scale_max) / 2
                # Lenient on the good one (3 of 5 passes), firm on the broken one.
                ok = value >= middle if candidate.good else value < middle
            if not ok:
                feedback.append(
                    f"Response {position + 1}, “{criterion.question}”: look again - this "
                    + ("response is a good one." if candidate.good else "response is poor.")
                )
    return feedback
