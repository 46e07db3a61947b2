"""How well automatic metrics track human judgments (Pearson and Spearman, with p-values).

System level: one point per system (with 3-6 systems a p-value says little; the report
prints n next to it). Item level: one point per (item, system) response, human score = the
mean over its raters. Each protocol's registry entry gives its human scores
(``item_scores``, ``system_scores``): Likert, the mean per criterion; good/okay/bad, a
label score (bad 0, okay 0.5, good 1); A/B, Bradley-Terry strength (system level only:
an A/B judgment scores a pair, not a response).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from evalplatform.analysis.ordering import as_float

METRICS = ("bleu", "distinct_1", "distinct_2", "avg_length", "length", "embedding_similarity")


def correlate(x: np.ndarray, y: np.ndarray) -> dict[str, Any]:
    """Pearson r and Spearman rho with two-sided p; None when n < 3 or a side is constant."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    ok = np.isfinite(x) & np.isfinite(y)
    x, y = x[ok], y[ok]
    out: dict[str, Any] = {
        "n": len(x),
        "pearson_r": None,
        "pearson_p": None,
        "spearman_rho": None,
        "spearman_p": None,
    }
    if len(x) < 3 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return out
    pr, sr = stats.pearsonr(x, y), stats.spearmanr(x, y)
    out.update(
        pearson_r=as_float(pr.statistic),
        pearson_p=as_float(pr.pvalue),
        spearman_rho=as_float(sr.statistic),
        spearman_p=as_float(sr.pvalue),
    )
    return out


def _pairs(
    human: pd.DataFrame, metrics: pd.DataFrame, keys: list[str], level: str
) -> list[dict[str, Any]]:
    left = human.assign(**{k: human[k].astype(str) for k in keys})
    right = metrics.assign(**{k: metrics[k].astype(str) for k in keys})
    joined = left.merge(right, on=keys, how="inner", suffixes=("", "_metric"))
    human_cols = [c for c in human.columns if c not in keys]
    metric_cols = [c for c in metrics.columns if c in METRICS]
    out = []
    for h in human_cols:
        for m in metric_cols:
            m_col = f"{m}_metric" if m in human_cols else m
            res = correlate(joined[m_col].to_numpy(dtype=float), joined[h].to_numpy(dtype=float))
            out.append({"level": level, "metric": m, "human": str(h), **res})
    return out


def metric_correlations(
    human_items: pd.DataFrame,
    item_metrics: pd.DataFrame,
    system_metrics: pd.DataFrame,
    human_systems: pd.DataFrame | None = None,
) -> list[dict[str, Any]]:
    """Correlations at system level, then item level.

    ``human_systems`` (columns ``system`` + measures) defaults to the item scores averaged per
    system; A/B passes its Bradley-Terry strengths here and no item scores.
    """
    if human_systems is None:
        measures = [c for c in human_items.columns if c not in ("item", "system")]
        human_systems = human_items.groupby("system", sort=False)[measures].mean().reset_index()
    out = _pairs(human_systems, system_metrics, ["system"], "system")
    if len(human_items) and len(item_metrics):
        out += _pairs(human_items, item_metrics, ["item", "system"], "item")
    return out
