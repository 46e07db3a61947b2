"""Per-worker statistics: volume, time per item, gold accuracy, answer concentration."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from evalplatform.analysis.columns import GGB_RANK, TidySchema

# When a gold reply earns its bonus point (the campaign's ``gold_rule``, as plain data):
# ``acceptable`` (seed 002) when it is put in one of the bonus labels; ``ranked_top`` when,
# besides, no other reply of its dialogue is placed higher and at least one lower, so that
# putting every reply in one bin earns nothing.
ACCEPTABLE = "acceptable"
RANKED_TOP = "ranked_top"
GOLD_RULES = (ACCEPTABLE, RANKED_TOP)


def item_seconds(df: pd.DataFrame) -> pd.DataFrame:
    """Seconds per (worker, item), once per item: the maximum over its rows.

    ``seconds`` is time on the item, repeated on each candidate's row; summing rows would
    count a 4-candidate item four times.
    """
    keys = ["worker", "item"] + (["assignment"] if "assignment" in df.columns else [])
    return df.groupby(keys, sort=False, observed=True)["seconds"].max().reset_index()


def gold_earned(df: pd.DataFrame, labels: Sequence[str], rule: str = ACCEPTABLE) -> pd.Series:
    """Per row, whether it is a gold row that earns its bonus point under ``rule``: the
    other replies of its dialogue are the worker's non-gold rows of the same item (and
    assignment); filler cards never reach the tidy data."""
    gold = df["is_gold"].astype(bool)
    earned = gold & df["label"].isin(list(labels))
    if rule == ACCEPTABLE:
        return earned
    if rule != RANKED_TOP:
        raise ValueError(f"unknown gold_rule {rule!r}; choose from {', '.join(GOLD_RULES)}")
    rank = df["label"].map(GGB_RANK).astype(float)
    keys = [df[c] for c in ("worker", "item", "assignment") if c in df.columns]
    neighbours = rank.where(~gold).groupby(keys, sort=False, observed=True)
    highest, lowest = neighbours.transform("max"), neighbours.transform("min")
    # A gold reply with no neighbour cannot be ranked above anything: no point (as at submit).
    return earned & highest.notna() & (rank >= highest) & (rank > lowest)


def bonus_points(
    df: pd.DataFrame, scope: str, labels: Sequence[str], rule: str = ACCEPTABLE
) -> pd.Series:
    """Gold rows that earn a bonus point under ``rule``, counted per ``scope`` value."""
    return gold_earned(df, labels, rule).groupby(df[scope], sort=False, observed=True).sum()


def worker_stats(
    df: pd.DataFrame,
    protocol: TidySchema,
    bonus_labels: Sequence[str],
    gold_rule: str = ACCEPTABLE,
) -> pd.DataFrame:
    """One row per worker: rows, items, assignments, top answer and its share, time, gold.

    ``top_share`` is the share of the worker's most frequent answer (the straight-lining
    signal); ``gold_accuracy`` the share of gold candidates that earn their point under
    ``gold_rule`` (put in ``bonus_labels``, and ranked on top for ``ranked_top``).
    """
    response = protocol.response
    grouped = df.groupby("worker", sort=False, observed=True)
    stats = pd.DataFrame({"rows": grouped.size(), "items": grouped["item"].nunique()})
    if "assignment" in df.columns:
        stats["assignments"] = grouped["assignment"].nunique()
    top = df.groupby(["worker", response], sort=False, observed=True).size()
    top = top.sort_values(ascending=False, kind="stable").groupby(level=0, sort=False).head(1)
    top = top.reset_index(level=1)
    stats["top_answer"] = top[response].astype(str)
    stats["top_share"] = _top_share(df, response).reindex(stats.index)
    if "seconds" in df.columns:
        per_item = item_seconds(df).groupby("worker", sort=False)["seconds"]
        stats["median_seconds_per_item"] = per_item.median()
        stats["total_minutes"] = per_item.sum() / 60.0
    if "is_gold" in df.columns and protocol.gold_bonus:
        is_gold = df["is_gold"].astype(bool)
        earned = gold_earned(df, bonus_labels, gold_rule)[is_gold]
        hit = earned.groupby(df.loc[is_gold, "worker"], observed=True)
        stats["gold_rows"] = hit.size().reindex(stats.index).fillna(0).astype(int)
        stats["gold_accuracy"] = hit.mean().reindex(stats.index)
    stats = stats.reset_index().rename(columns={"index": "worker"})
    return stats.replace({np.inf: np.nan})


def _top_share(df: pd.DataFrame, response: str) -> pd.Series:
    """Per worker, the share of their most frequent answer within each criterion, averaged
    over criteria weighted by answers. Within a criterion because scales differ: a worker
    who puts 5 on every scale and 1 on every yes/no question is a straight-liner, though no
    single value is 95 % of their answers."""
    keys = ["worker", "criterion"] if "criterion" in df.columns else ["worker"]
    counts = df.groupby([*keys, response], sort=False, observed=True).size()
    top_per_key = counts.groupby(level=list(range(len(keys))), sort=False).max()
    top = top_per_key.groupby(level=0, sort=False).sum()
    return top / df.groupby("worker", sort=False, observed=True).size()
