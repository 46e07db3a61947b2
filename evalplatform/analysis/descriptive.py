"""Per-system, per-criterion descriptive statistics of Likert judgments.

Scale criteria: mean, sd (ddof=1), n and a t-based confidence interval. Binary (0/1)
criteria: the same mean (a proportion; shown as a percentage) with a Wilson interval, which
unlike the Wald interval stays inside [0, 1] and keeps its coverage near 0 and 1.

``unit`` decides what one observation is. ``"rating"`` (default, what the seed papers did)
treats every rating as an observation; ``"item"`` first averages the raters of each
(item, system) response, which respects that ratings of one response are not independent.
With ``"item"`` a binary criterion becomes a per-response proportion, so its interval is
t-based as well.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from evalplatform.analysis.ordering import first_appearance, ordered

Unit = Literal["rating", "item"]


def infer_binary_criteria(df: pd.DataFrame) -> frozenset[str]:
    """Criteria whose scores are all 0 or 1 and that use 0 at least once.

    Requiring a 0 keeps a 1-5 criterion on which everybody answered 1 from being read as
    binary; pass ``binary_criteria`` explicitly when that distinction matters.
    """
    grouped = df.groupby("criterion", sort=False, observed=True)["score"]
    flags = grouped.agg(lambda s: bool(s.isin((0, 1)).all() and (s == 0).any()))
    return frozenset(str(c) for c, is_binary in flags.items() if is_binary)


def observations(df: pd.DataFrame, unit: Unit = "rating") -> pd.DataFrame:
    """Rows ``criterion, system, item, score`` at the chosen unit of analysis."""
    cols = ["criterion", "system", "item", "score"]
    if unit == "rating":
        return df[cols]
    if unit != "item":
        raise ValueError(f"unit must be 'rating' or 'item', not {unit!r}")
    keys = ["criterion", "system", "item"]
    means = df.groupby(keys, sort=False, observed=True)["score"].mean()
    return means.reset_index()


def likert_summary(
    df: pd.DataFrame,
    binary_criteria: Collection[str] = frozenset(),
    unit: Unit = "rating",
    confidence: float = 0.95,
    system_order: Sequence[str] | None = None,
) -> pd.DataFrame:
    """One row per (criterion, system): n, mean, sd, ci_low, ci_high, binary, ci_method."""
    obs = observations(df, unit)
    grouped = obs.groupby(["criterion", "system"], sort=False, observed=True)["score"]
    table = grouped.agg(n="count", mean="mean", sd="std", total="sum").reset_index()
    table["binary"] = table["criterion"].isin(set(binary_criteria))
    wilson = table["binary"] & (unit == "rating")
    table["ci_method"] = np.where(wilson, "wilson", "t")
    low, high = _t_interval(table, confidence)
    w_low, w_high = _wilson_interval(table[wilson], confidence)
    low[wilson.to_numpy()], high[wilson.to_numpy()] = w_low, w_high
    table["ci_low"], table["ci_high"] = low, high
    return _sort(table.drop(columns="total"), df, system_order)


def _t_interval(table: pd.DataFrame, confidence: float) -> tuple[np.ndarray, np.ndarray]:
    n = table["n"].to_numpy(dtype=float)
    dof = np.where(n > 1, n - 1, np.nan)  # one observation has no spread: no interval
    half = stats.t.ppf(0.5 + confidence / 2, dof) * table["sd"].to_numpy() / np.sqrt(n)
    mean = table["mean"].to_numpy(dtype=float)
    return mean - half, mean + half


def _wilson_interval(table: pd.DataFrame, confidence: float) -> tuple[np.ndarray, np.ndarray]:
    n = table["n"].to_numpy(dtype=float)
    successes = table["total"].to_numpy(dtype=float)
    low, high = proportion_confint(successes, n, alpha=1 - confidence, method="wilson")
    return np.asarray(low, dtype=float), np.asarray(high, dtype=float)


def _sort(
    table: pd.DataFrame, df: pd.DataFrame, system_order: Sequence[str] | None
) -> pd.DataFrame:
    criteria = first_appearance(df["criterion"])
    systems = ordered(first_appearance(df["system"]), system_order)
    crit_rank = {c: i for i, c in enumerate(criteria)}
    sys_rank = {s: i for i, s in enumerate(systems)}
    # As objects: a categorical key column (a categorical frame's) maps to a categorical,
    # which does not multiply; the table has one row per (criterion, system).
    criterion, system = table["criterion"].astype(object), table["system"].astype(object)
    key = criterion.map(crit_rank) * (len(systems) + 1) + system.map(sys_rank)
    return table.assign(_key=key).sort_values("_key").drop(columns="_key").reset_index(drop=True)
