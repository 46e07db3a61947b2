"""The warm-up example's dialogue and responses (pure data; the checks live in each
protocol). Expected answers stay on the server; nothing is stored."""

from __future__ import annotations

from dataclasses import dataclass, field

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
# A clearly good and a clearly broken response: rated (Likert) or compared (A/B).
RATED_CANDIDATES = (GGB_CANDIDATES[0], GGB_CANDIDATES[2])
