"""Per-worker statistics: volume, time per item, gold accuracy, answer concentration."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from evalplatform.analysis.columns import TidySchema


def item_seconds(df: pd.DataFrame) -> pd.DataFrame:
    """Seconds per (worker, item), once per item: the maximum over its rows.

    ``seconds`` is time on the item, repeated on each candidate's row; summing rows would
    count a 4-candidate item four times.
    """
    keys = ["worker", "item"] + (["assignment"] if "assignment" in df.columns else [])
    return df.groupby(keys, sort=False, observed=True)["seconds"].max().reset_index()


def bonus_points(df: pd.DataFrame, scope: str, labels: Sequence[str]) -> pd.Series:
    """Gold rows labelled with one of ``labels`` (a bonus point each), per ``scope`` value."""
    earned = df["is_gold"].astype(bool) & df["label"].isin(list(labels))
    return earned.groupby(df[scope], sort=False, observed=True).sum()


def worker_stats(
    df: pd.DataFrame, protocol: TidySchema, bonus_labels: Sequence[str]
) -> pd.DataFrame:
    """One row per worker: rows, items, assignments, top answer and its share, time, gold.

    ``top_share`` is the share of the worker's most frequent answer (the straight-lining
    signal); ``gold_accuracy`` the share of gold candidates put in ``bonus_labels``.
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
        gold = df[df["is_gold"].astype(bool)]
        hit = gold["label"].isin(list(bonus_labels)).groupby(gold["worker"], observed=True)
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
