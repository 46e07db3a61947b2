"""Each built-in protocol's comparisons as streams of per-item values, for the anytime-valid
monitoring of ``analysis.monitoring`` (the protocols' ``monitored`` hooks call these).

``df`` is a campaign's tidy judgments with an ``arrival`` column (larger is later: the rank
of the submission that brought the row); gold responses are not compared.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import combinations

import numpy as np
import pandas as pd

from evalplatform.analysis.ab import canonical_ab
from evalplatform.analysis.confidence_sequences import difference_bounds
from evalplatform.analysis.crowd_tests import AB_SCORE, GGB_SCORE
from evalplatform.analysis.monitoring import (
    MonitoredComparison,
    complete_item_scores,
    response_table,
)
from evalplatform.analysis.ordering import first_appearance, ordered
from evalplatform.protocols.differences import difference_share

AB_FAMILY = "A/B pairs"
GGB_FAMILY = "all test sets"


def _text(values: pd.Series) -> pd.Series:
    """``values.astype(str)``; a categorical without missing values stays one, its few
    categories converted instead of a string per row (millions in a campaign's report)."""
    if isinstance(values.dtype, pd.CategoricalDtype) and not values.isna().any():
        names = [str(c) for c in values.cat.categories]
        if len(set(names)) == len(names):
            return values.cat.rename_categories(names)
    return values.astype(str)


def _scores(labels: pd.Series, scores: Mapping[str, float]) -> np.ndarray:
    """Each label's score as a float (NaN for a label without one), looked up once per
    category for a categorical."""
    text = _text(labels)
    if isinstance(text.dtype, pd.CategoricalDtype):
        lookup = [scores.get(c, np.nan) for c in text.cat.categories]
        return np.asarray(lookup, dtype=float)[text.cat.codes.to_numpy()]
    return text.map(scores).to_numpy(dtype=float)


def _not_gold(df: pd.DataFrame) -> pd.DataFrame:
    if "is_gold" in df.columns:
        df = df[~df["is_gold"].fillna(False).astype(bool)]
    return df[(_text(df["system"]) != "gold").to_numpy(dtype=bool)]


def _systems(seen: pd.Series, system_order: Sequence[str] | None) -> list[str]:
    """The campaign's systems (``system_order``), then any other seen in the data: a pair
    nobody has judged yet is a comparison still undecided, not one missing."""
    found = [str(s) for s in ordered(first_appearance(_text(seen)), system_order)]
    return [*(system_order or ()), *(s for s in found if s not in (system_order or ()))]


def likert_monitored(
    df: pd.DataFrame,
    *,
    scales: Mapping[str, tuple[int, int]],
    raters: int,
    system_order: Sequence[str] | None = None,
) -> list[MonitoredComparison]:
    """Every pair of systems on every criterion: per-item differences of mean scores."""
    rows = _not_gold(df)
    systems = _systems(rows["system"], system_order)
    seen = [str(c) for c in first_appearance(_text(rows["criterion"]))]
    if unknown := [c for c in seen if c not in scales]:
        raise ValueError(f"criteria {', '.join(map(repr, unknown))} have no scale to monitor on")
    out = []
    for criterion in scales:
        part = rows[(_text(rows["criterion"]) == criterion).to_numpy(dtype=bool)]
        table = response_table(part, value="score")
        bounds = difference_bounds(scales[criterion])
        share = difference_share(scales[criterion], scales)
        for a, b in combinations(systems, 2):
            values = table.differences(a, b, raters)
            out.append(MonitoredComparison(criterion, a, b, values, bounds, share))
    return out


def ab_monitored(
    df: pd.DataFrame, *, raters: int, system_order: Sequence[str] | None = None
) -> list[MonitoredComparison]:
    """Every A/B pair: per-item mean preference for a (+1 win, -1 loss, 0 tie)."""
    seen = pd.concat([df["system_a"], df["system_b"]])
    systems = _systems(seen, system_order)
    canon = canonical_ab(df, systems)
    canon = canon.assign(preference=canon["outcome"].map(AB_SCORE).astype(float))
    by_pair = dict(iter(canon.groupby(["a", "b"], sort=False, observed=True)))
    out = []
    for a, b in combinations(systems, 2):
        part = by_pair.get((a, b), canon.iloc[:0])
        values = complete_item_scores(part, value="preference", raters=raters)
        out.append(MonitoredComparison(AB_FAMILY, a, b, values, (-1.0, 1.0)))
    return out


def ab_net_preference(points: float, components: Mapping[str, Mapping[str, float]]) -> float | None:
    """A plan's preference difference (percentage points above 50 % among non-ties) as the
    monitored net preference, where a tie counts 0: only the non-tied share of judgments,
    at the tie rate the plan assumed, carries the difference. None when the plan names no
    tie rate (publishing must not fail on an old plan)."""
    ties = (components.get("preference") or {}).get("tie")
    if ties is None:
        return None
    return (1 - float(ties)) * 2 * points / 100


def ggb_monitored(
    df: pd.DataFrame, *, raters: int, system_order: Sequence[str] | None = None
) -> list[MonitoredComparison]:
    """Every pair of systems over all test sets: per-item differences of mean label scores
    (bad 0, okay 1, good 2)."""
    rows = _not_gold(df)
    rows = rows.assign(label_score=_scores(rows["label"], GGB_SCORE))
    if "subset" not in rows.columns:
        rows = rows.assign(subset="all")
    table = response_table(rows, value="label_score", context=("subset", "item"))
    out = []
    for a, b in combinations(_systems(rows["system"], system_order), 2):
        values = table.differences(a, b, raters)
        out.append(MonitoredComparison(GGB_FAMILY, a, b, values, (-2.0, 2.0)))
    return out


def likert_kappa_units(df: pd.DataFrame) -> list[tuple[str, pd.DataFrame, list[str], str]]:
    rows = _not_gold(df)
    return [
        (str(c), part, ["item", "system"], "score")
        for c, part in rows.groupby("criterion", sort=False, observed=True)
    ]


def ab_kappa_units(
    df: pd.DataFrame, system_order: Sequence[str] | None
) -> list[tuple[str, pd.DataFrame, list[str], str]]:
    canon = canonical_ab(df, system_order)
    return [
        (f"{a} vs {b}", part, ["item"], "outcome")
        for (a, b), part in canon.groupby(["a", "b"], sort=False, observed=True)
    ]


def ggb_kappa_units(df: pd.DataFrame) -> list[tuple[str, pd.DataFrame, list[str], str]]:
    return [("all", _not_gold(df), ["item", "system"], "label")]
