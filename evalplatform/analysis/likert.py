"""The Likert analysis: per-criterion summaries, agreement and pairwise Welch tests.

Returns the ``criteria`` tree of DESIGN.md ("Interfaces that must stay stable"), with extra
keys alongside the stable ones.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from itertools import combinations
from typing import Any, Literal

import numpy as np
import pandas as pd

from evalplatform.analysis.agreement import (
    AlphaLevel,
    fleiss_kappa_long,
    krippendorff_alpha_long,
    landis_koch,
)
from evalplatform.analysis.crowd_tests import likert_crowd_tests
from evalplatform.analysis.descriptive import Unit, likert_summary, observations
from evalplatform.analysis.ordering import as_float, first_appearance, ordered
from evalplatform.analysis.significance import (
    Correction,
    Effect,
    adjust_pvalues,
    significant,
    welch_test,
)

Family = Literal["criterion", "all"]


def analyze_likert(
    df: pd.DataFrame,
    *,
    binary_criteria: Collection[str] = frozenset(),
    unit: Unit = "rating",
    alpha: float = 0.05,
    correction: Correction = "holm",
    family: Family = "criterion",
    effect: Effect = "hedges_g",
    alpha_level: AlphaLevel = "interval",
    confidence: float = 0.95,
    system_order: Sequence[str] | None = None,
) -> dict[str, Any]:
    """``{"criteria": {CRIT: {"systems": ..., "fleiss_kappa": ..., "pairwise": [...]}}}``."""
    systems = ordered(first_appearance(df["system"]), system_order)
    summary = likert_summary(df, binary_criteria, unit, confidence, systems)
    obs = observations(df, unit)
    criteria: dict[str, Any] = {}
    for criterion in first_appearance(df["criterion"]):
        rows = df[df["criterion"] == criterion]
        crit_obs = obs[obs["criterion"] == criterion]
        level = "nominal" if criterion in binary_criteria else alpha_level
        criteria[str(criterion)] = {
            "binary": criterion in binary_criteria,
            "systems": _systems_block(summary[summary["criterion"] == criterion]),
            **_agreement_block(rows, level),
            "pairwise": _raw_pairwise(crit_obs, systems, effect),
        }
    _adjust(criteria, correction, family, alpha)
    # The default test (crowd_tests): beside the seed's Welch test, which keeps its key.
    calibrated = likert_crowd_tests(df, systems, correction=correction, alpha=alpha, family=family)
    for criterion, block in calibrated.items():
        criteria[criterion]["calibrated"] = block
    return {"criteria": criteria, "systems": [str(s) for s in systems], "unit": unit}


def _systems_block(summary: pd.DataFrame) -> dict[str, Any]:
    block: dict[str, Any] = {}
    for row in summary.itertuples(index=False):
        block[str(row.system)] = {
            "mean": as_float(row.mean),
            "sd": as_float(row.sd),
            "n": int(row.n),
            "ci95": [as_float(row.ci_low), as_float(row.ci_high)],
            "ci_method": row.ci_method,
            **({"percent": as_float(row.mean * 100)} if row.binary else {}),
        }
    return block


def _agreement_block(rows: pd.DataFrame, level: AlphaLevel) -> dict[str, Any]:
    """Kappa over (item, system) units rated by the modal number of workers, and alpha."""
    kappa = fleiss_kappa_long(rows, ["item", "system"], "score")
    alpha = krippendorff_alpha_long(rows, ["item", "system"], "score", level)
    return {
        **kappa.as_dict(),
        "kappa_band": landis_koch(kappa.kappa),
        "krippendorff_alpha": alpha.alpha,
        "krippendorff_level": alpha.level,
        "krippendorff_units": alpha.units,
    }


def _raw_pairwise(
    obs: pd.DataFrame, systems: Sequence[Any], effect: Effect
) -> list[dict[str, Any]]:
    groups = {s: g["score"].to_numpy(dtype=float) for s, g in obs.groupby("system", sort=False)}
    present = [s for s in systems if s in groups]
    tests = []
    for a, b in combinations(present, 2):
        res = welch_test(groups[a], groups[b], effect)
        tests.append(
            {
                "a": str(a),
                "b": str(b),
                "t": as_float(res.t),
                "df": as_float(res.df),
                "p": as_float(res.p),
                "p_adjusted": None,
                "significant": False,
                "mean_a": as_float(res.mean_a),
                "mean_b": as_float(res.mean_b),
                "n_a": res.n_a,
                "n_b": res.n_b,
                effect: as_float(res.effect),
            }
        )
    return tests


def _adjust(criteria: dict[str, Any], correction: Correction, family: Family, alpha: float) -> None:
    """Fill p_adjusted / significant, correcting within each criterion or across all of them."""
    if family not in ("criterion", "all"):
        raise ValueError(f"family must be 'criterion' or 'all', not {family!r}")
    families = (
        [c["pairwise"] for c in criteria.values()]
        if family == "criterion"
        else [[t for c in criteria.values() for t in c["pairwise"]]]
    )
    for tests in families:
        raw = [np.nan if t["p"] is None else t["p"] for t in tests]
        adjusted = adjust_pvalues(raw, correction)
        flags = significant(adjusted, alpha)
        for test, p_adj, flag in zip(tests, adjusted, flags, strict=True):
            test["p_adjusted"] = as_float(p_adj)
            test["significant"] = bool(flag)
