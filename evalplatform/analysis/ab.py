"""A/B preference judgments: win/loss/tie tables, agreement per pair and sign tests.

Left/right placement is balanced when HITs are built, so one pair of systems shows up as
both (X, Y) and (Y, X). Each pair gets one canonical orientation, the earlier system of the
pair being "a", and rows seen the other way round have their choice mirrored (a <-> b).
The order is ``system_order`` when given; otherwise systems compared with more distinct
opponents come first (the "Ours" of "Ours vs baseline" is compared with every baseline),
then first appearance in the file. Percentages are from the canonical
"a" side, as in the seeds' "Ours vs baseline" tables. ``both_bad``, when used, is kept apart
from ``tie`` in the table; the sign test only compares wins with losses.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from evalplatform.analysis.agreement import fleiss_kappa_long, landis_koch
from evalplatform.analysis.columns import AB_OUTCOMES
from evalplatform.analysis.crowd_tests import ab_crowd_tests
from evalplatform.analysis.ordering import as_float, first_appearance, ordered
from evalplatform.analysis.significance import (
    Correction,
    adjust_pvalues,
    sign_test,
    significant,
)

_MIRROR = {"a": "b", "b": "a", "tie": "tie", "both_bad": "both_bad"}
_OUTCOME = {"a": "win", "b": "loss", "tie": "tie", "both_bad": "both_bad"}


def ab_system_order(df: pd.DataFrame, system_order: Sequence[str] | None = None) -> list[str]:
    """Systems in table order: ``system_order`` first, then by distinct opponents, then
    first appearance."""
    sa, sb = df["system_a"].astype(str), df["system_b"].astype(str)
    seen = [str(s) for s in first_appearance(sa, sb)]
    pairs = pd.DataFrame({"x": pd.concat([sa, sb]), "y": pd.concat([sb, sa])}).drop_duplicates()
    opponents = pairs.groupby("x")["y"].nunique()
    hubs_first = sorted(seen, key=lambda s: (-int(opponents.get(s, 0)), seen.index(s)))
    return [str(s) for s in ordered(hubs_first, system_order)]


def canonical_ab(df: pd.DataFrame, system_order: Sequence[str] | None = None) -> pd.DataFrame:
    """Rows ``item, worker, a, b, outcome`` with every pair in one orientation.

    ``outcome`` is win / loss / tie / both_bad for system ``a``. Other columns are kept.
    """
    sa, sb = df["system_a"].astype(str), df["system_b"].astype(str)
    rank = {s: i for i, s in enumerate(ab_system_order(df, system_order))}
    keep = sa.map(rank) < sb.map(rank)
    choice = df["choice"].astype(str)
    out = df.drop(columns=["system_a", "system_b", "choice"]).copy()
    out["a"] = np.where(keep, sa, sb)
    out["b"] = np.where(keep, sb, sa)
    mirrored = choice.where(keep, choice.map(_MIRROR))
    out["outcome"] = mirrored.map(_OUTCOME)
    return out


def ab_pairs(
    df: pd.DataFrame,
    *,
    system_order: Sequence[str] | None = None,
    correction: Correction = "holm",
    alpha: float = 0.05,
) -> list[dict[str, Any]]:
    """The ``pairs`` list of DESIGN.md: win/loss/tie % of n from a's side, kappa, sign test p.

    Pairs are listed in order of first appearance in the data (a campaign's export lists
    them as the campaign defined them; the seed tables follow the paper's order).
    """
    canon = canonical_ab(df, system_order)
    pairs = []
    for (a, b), rows in canon.groupby(["a", "b"], sort=False):
        pairs.append(_pair_row(str(a), str(b), rows))
    adjusted = adjust_pvalues([np.nan if p["p"] is None else p["p"] for p in pairs], correction)
    for pair, p_adj, flag in zip(pairs, adjusted, significant(adjusted, alpha), strict=True):
        pair["p_adjusted"] = as_float(p_adj)
        pair["significant"] = bool(flag)
    _add_calibrated(pairs, canon, correction, alpha)
    return pairs


def _add_calibrated(
    pairs: list[dict[str, Any]], canon: pd.DataFrame, correction: Correction, alpha: float
) -> None:
    """The default test (one vote per item, crowd_tests) under ``calibrated`` in each pair,
    beside the seed's per-judgment sign test, which keeps its keys."""
    block = ab_crowd_tests(canon, correction=correction, alpha=alpha)
    by_pair = {(t["a"], t["b"]): t for t in block["pairs"]}
    for pair in pairs:
        test = by_pair[(pair["a"], pair["b"])]
        pair["calibrated"] = {
            **{k: v for k, v in test.items() if k not in ("a", "b")},
            "method": block["method"],
            "unit": block["unit"],
            "correction": correction,
        }


def _pair_row(a: str, b: str, rows: pd.DataFrame) -> dict[str, Any]:
    counts = rows["outcome"].value_counts()
    n = len(rows)
    count = {o: int(counts.get(o, 0)) for o in AB_OUTCOMES}
    kappa = fleiss_kappa_long(rows, ["item"], "outcome")
    row: dict[str, Any] = {
        "a": a,
        "b": b,
        "win": 100.0 * count["win"] / n,
        "loss": 100.0 * count["loss"] / n,
        "tie": 100.0 * count["tie"] / n,
        "n": n,
        **kappa.as_dict(),
        "kappa_band": landis_koch(kappa.kappa),
        "p": as_float(sign_test(count["win"], count["loss"])),
        "counts": count,
        "test": "sign test (exact binomial, ties excluded)",
    }
    if count["both_bad"]:
        row["both_bad"] = 100.0 * count["both_bad"] / n
    return row


def ab_overall_kappa(df: pd.DataFrame, system_order: Sequence[str] | None = None) -> dict[str, Any]:
    """Fleiss' kappa over all pairs at once (seed 003 reports a single kappa)."""
    canon = canonical_ab(df, system_order)
    kappa = fleiss_kappa_long(canon, ["a", "b", "item"], "outcome")
    return {**kappa.as_dict(), "kappa_band": landis_koch(kappa.kappa)}
