"""Anytime-valid monitoring of a campaign's comparisons while it collects (pure).

Each comparison (two systems on one Likert criterion, one A/B pair, two systems' good/okay/bad
label scores) is a stream of per-item values in the order the items were completed: the
difference of the two systems' mean ratings of the item, or the item's mean preference. The
item is the unit, as in the default test (``crowd_tests``); an item enters the stream once it
has every rating it was planned to get, so a value never changes after it has been seen.
Worker-bias correction and the quality filter use all the data at once (they are not
predictable), so the stream uses raw ratings: under a planted null the per-item differences
still have mean 0, which is all the coverage guarantee needs.

Every comparison gets an empirical-Bernstein confidence sequence (``confidence_sequences``)
at alpha / comparisons: with probability 1 - alpha no sequence of the whole campaign ever
misses its true difference, however often the campaign is looked at. Hence:
- **decided**: the sequence excludes 0 (the sign of the difference is known);
- **futile**: the sequence lies strictly inside (-delta, delta), delta being the smallest
  difference worth detecting: the difference is known to be smaller than that;
- **undecided**: neither yet.
A campaign whose comparisons are all decided or futile can stop: more data changes no
conclusion the campaign was run to reach.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from evalplatform.analysis.confidence_sequences import empirical_bernstein_cs
from evalplatform.analysis.crowd_tests import correct_family, paired_test

DECIDED = "decided"
FUTILE = "futile"
UNDECIDED = "undecided"
SETTLED = (DECIDED, FUTILE)


@dataclass(frozen=True)
class MonitoredComparison:
    """One comparison's per-item values (a minus b), oldest first, and their bounds."""

    family: str  # what the comparison belongs to: a criterion, "A/B pairs", a test set
    a: str
    b: str
    values: np.ndarray = field(repr=False)
    bounds: tuple[float, float]
    # The campaign's smallest difference times this is the comparison's, in its own unit
    # (a yes/no criterion's share of yes beside rating scales: protocols.differences).
    difference_share: float = 1.0

    @property
    def key(self) -> str:
        return f"{self.family}: {self.a} vs {self.b}"


@dataclass(frozen=True)
class ComparisonState:
    """Where one comparison stands after its latest item."""

    family: str
    a: str
    b: str
    items: int
    estimate: float | None
    lower: float | None
    upper: float | None
    alpha: float
    status: str

    @property
    def key(self) -> str:
        return f"{self.family}: {self.a} vs {self.b}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "family": self.family,
            "a": self.a,
            "b": self.b,
            "items": self.items,
            "estimate": self.estimate,
            "cs": [self.lower, self.upper],
            "alpha": self.alpha,
            "status": self.status,
        }


def status_of(lower: float, upper: float, smallest_difference: float | None) -> str:
    """Decided when the interval leaves 0 out; futile when it sits inside (-delta, delta)."""
    if lower > 0 or upper < 0:
        return DECIDED
    if (
        smallest_difference is not None
        and -smallest_difference < lower
        and upper < (smallest_difference)
    ):
        return FUTILE
    return UNDECIDED


def comparison_states(
    comparisons: Sequence[MonitoredComparison],
    *,
    alpha: float = 0.05,
    smallest_difference: float | None = None,
) -> list[ComparisonState]:
    """Every comparison's confidence sequence at alpha / comparisons (Bonferroni across the
    campaign, valid under any dependence between comparisons), read at its latest item."""
    share = alpha / max(len(comparisons), 1)
    out = []
    for c in comparisons:
        if len(c.values) == 0:
            out.append(ComparisonState(c.family, c.a, c.b, 0, None, None, None, share, UNDECIDED))
            continue
        cs = empirical_bernstein_cs(c.values, c.bounds, share)
        lower, upper = float(cs.lower[-1]), float(cs.upper[-1])
        out.append(
            ComparisonState(
                family=c.family,
                a=c.a,
                b=c.b,
                items=len(c.values),
                estimate=float(cs.mean[-1]),
                lower=lower,
                upper=upper,
                alpha=share,
                status=status_of(
                    lower,
                    upper,
                    None
                    if smallest_difference is None
                    else smallest_difference * c.difference_share,
                ),
            )
        )
    return out


def all_settled(states: Sequence[ComparisonState]) -> bool:
    """True when there is something to judge and every comparison is decided or futile."""
    return bool(states) and all(s.status in SETTLED for s in states)


@dataclass(frozen=True)
class ResponseTable:
    """Items x systems: the mean of each response's values, how many there are and when the
    latest arrived (NaN / 0 / -inf where a system has none for the item)."""

    systems: list[str]
    mean: np.ndarray
    n: np.ndarray
    arrival: np.ndarray

    def differences(self, a: str, b: str, raters: int) -> np.ndarray:
        """Per item where both ``a`` and ``b`` have at least ``raters`` values: a's mean
        minus b's, oldest completion first."""
        if a not in self.systems or b not in self.systems:
            return np.zeros(0)
        i, j = self.systems.index(a), self.systems.index(b)
        done = (self.n[:, i] >= raters) & (self.n[:, j] >= raters)
        arrival = np.maximum(self.arrival[done, i], self.arrival[done, j])
        order = np.argsort(arrival, kind="stable")
        return (self.mean[done, i] - self.mean[done, j])[order]


def response_table(
    rows: pd.DataFrame, *, value: str, context: Sequence[str] = ("item",)
) -> ResponseTable:
    """``rows`` (``context``, ``system``, ``value``, ``arrival``) as a ``ResponseTable``, by
    bincount on group codes: a groupby per pair costs tens of milliseconds, this one pass."""
    if rows.empty:
        empty = np.zeros((0, 0))
        return ResponseTable([], empty, empty, empty)
    items = rows.groupby(list(context), sort=False, observed=True).ngroup().to_numpy()
    system = rows["system"]
    if not isinstance(system.dtype, pd.CategoricalDtype) or system.isna().any():
        system = system.astype(str)  # a categorical is factorized on its codes, not strings
    codes, systems = pd.factorize(system)
    shape = (int(items.max()) + 1, len(systems))
    flat = items * shape[1] + codes
    size = shape[0] * shape[1]
    n = np.bincount(flat, minlength=size)
    total = np.bincount(flat, weights=rows[value].to_numpy(dtype=float), minlength=size)
    latest = np.full(size, -np.inf)
    np.maximum.at(latest, flat, rows["arrival"].to_numpy(dtype=float))
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(n > 0, total / np.maximum(n, 1), np.nan)
    return ResponseTable(
        [str(s) for s in systems], mean.reshape(shape), n.reshape(shape), latest.reshape(shape)
    )


def complete_item_differences(
    rows: pd.DataFrame,
    a: str,
    b: str,
    *,
    value: str,
    raters: int,
    context: Sequence[str] = ("item",),
) -> np.ndarray:
    """Per item, mean of ``a``'s values minus mean of ``b``'s, in the order the items were
    completed (``arrival``: larger is later), counting only items where both systems have
    at least ``raters`` ratings."""
    return response_table(rows, value=value, context=context).differences(a, b, raters)


def complete_item_scores(
    rows: pd.DataFrame, *, value: str, raters: int, context: Sequence[str] = ("item",)
) -> np.ndarray:
    """Per item with at least ``raters`` values: their mean, in completion order."""
    table = response_table(rows.assign(system="all"), value=value, context=context)
    if not table.systems:
        return np.zeros(0)
    done = table.n[:, 0] >= raters
    order = np.argsort(table.arrival[done, 0], kind="stable")
    return table.mean[done, 0][order]


def fixed_sample_tests(
    comparisons: Sequence[MonitoredComparison], *, alpha: float = 0.05, correction: str = "holm"
) -> list[dict[str, Any]]:
    """The fixed-sample form of the same comparisons, for the report to set beside the
    sequences: a t-test over the same per-item values, corrected across the campaign.
    Valid only for a sample size fixed in advance, which a stopped campaign does not have."""
    tests = [paired_test(c.a, c.b, c.values, np.zeros_like(c.values)) for c in comparisons]
    corrected = correct_family(tests, correction, alpha)  # type: ignore[arg-type]
    return [
        {
            "difference": t.difference,
            "ci95": list(t.ci95),
            "p": t.p,
            "p_adjusted": t.p_adjusted,
            "significant": t.significant,
        }
        for t in corrected
    ]
