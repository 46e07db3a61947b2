"""Column names and category vocabularies of the tidy judgment tables (DESIGN.md).

One row is one judgment by one worker; each protocol's registry entry
(``evalplatform.protocols``) names its required columns. The built-in ones:
- likert: ``item, worker, system, criterion, score`` (score an int; 0/1 on a binary criterion)
- ab: ``item, worker, system_a, system_b, choice`` (``a``, ``b``, ``tie``; optional ``both_bad``)
- ggb: ``item, worker, system, label`` (``good``, ``okay``, ``bad``)

Optional columns the analysis uses when present (the rest are ignored):
- ``subset``: test set of the item (ggb tables per subset; ``all`` when absent)
- ``is_gold``: the row judges a gold (ground-truth) candidate, used for bonus points and
  excluded from system scores
- ``assignment``: the assignment (HIT x worker) the row belongs to
- ``seconds``: seconds the worker spent on the item (the same value on every row of that
  item and worker; the filter takes the maximum per item, not the sum over rows)
- ``simulated``: the row was produced by a simulated rater, kept in exports and flagged
"""

from __future__ import annotations

from typing import Final, Protocol

OPTIONAL: Final = ("subset", "is_gold", "assignment", "seconds", "simulated")


class TidySchema(Protocol):
    """What the quality filter and the worker statistics need to know of a protocol (its
    registry entry, ``evalplatform.protocols``, provides it)."""

    @property
    def response(self) -> str:
        """The column that holds a worker's answer (straight-lining looks at it)."""
        ...

    @property
    def gold_bonus(self) -> bool:
        """Whether gold rows earn bonus points (a gold response put in ``bonus_labels``)."""
        ...

    @property
    def judgment_key(self) -> tuple[str, ...]:
        """The columns that identify one judgment (``item, worker, system[, criterion]``)."""
        ...

    @property
    def pairwise(self) -> bool:
        """Whether an item shows a pair of systems (``PAIR_COLUMNS``, answers a / b / ...)."""
        ...


GGB_LABELS: Final = ("good", "okay", "bad")
# Higher is better; used for the pairwise comparisons behind Bradley-Terry and for the
# numeric label score correlated with automatic metrics.
GGB_RANK: Final = {"bad": 0, "okay": 1, "good": 2}

# A pairwise protocol's rows name the systems shown on the two sides in these columns.
PAIR_COLUMNS: Final = ("system_a", "system_b")
AB_CHOICES: Final = ("a", "b", "tie", "both_bad")
# Outcomes seen from the canonical "a" system of a pair.
AB_OUTCOMES: Final = ("win", "loss", "tie", "both_bad")

ALL_SUBSETS: Final = "all"
