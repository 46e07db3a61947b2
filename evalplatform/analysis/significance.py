"""Significance tests: Welch's t-test, the sign test and multiple-comparison corrections.

Welch's test (seed 000) does not assume equal variances, which matters when one system is
rated consistently and another is erratic. The effect size is Hedges' g by default
(Cohen's d with the pooled SD, times the small-sample correction J = 1 - 3 / (4(n1+n2) - 9));
``effect="cohens_d"`` gives d itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

import numpy as np
from scipy import stats
from statsmodels.stats.multitest import multipletests

Correction = Literal["holm", "bonferroni", "fdr_bh", "none"]
Effect = Literal["hedges_g", "cohens_d"]
CORRECTIONS: tuple[str, ...] = ("holm", "bonferroni", "fdr_bh", "none")
CORRECTION_NAMES = {
    "holm": "Holm-Bonferroni",
    "bonferroni": "Bonferroni",
    "fdr_bh": "Benjamini-Hochberg (false discovery rate)",
    "none": "no correction",
}


@dataclass(frozen=True)
class WelchResult:
    t: float
    df: float
    p: float
    mean_a: float
    mean_b: float
    n_a: int
    n_b: int
    effect: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def effect_size(a: np.ndarray, b: np.ndarray, kind: Effect = "hedges_g") -> float:
    """Standardised mean difference a - b with the pooled SD (nan when undefined)."""
    na, nb = len(a), len(b)
    if na < 2 or nb < 2:
        return float("nan")
    pooled = ((na - 1) * np.var(a, ddof=1) + (nb - 1) * np.var(b, ddof=1)) / (na + nb - 2)
    if pooled == 0:
        return float("nan")
    d = (np.mean(a) - np.mean(b)) / np.sqrt(pooled)
    if kind == "cohens_d":
        return float(d)
    if kind != "hedges_g":
        raise ValueError(f"effect must be 'hedges_g' or 'cohens_d', not {kind!r}")
    return float(d * (1 - 3 / (4 * (na + nb) - 9)))


def welch_test(a: Sequence[float], b: Sequence[float], effect: Effect = "hedges_g") -> WelchResult:
    """Welch's unequal-variance t-test of mean(a) vs mean(b), two-sided.

    With fewer than two observations on a side, or no variance on either side, the test
    is undefined and t, df and p are nan (reported as null, never as significant).
    """
    x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    undefined = len(x) < 2 or len(y) < 2 or (np.var(x) == 0 and np.var(y) == 0)
    if undefined:
        t = dof = p = float("nan")
    else:
        res = stats.ttest_ind(x, y, equal_var=False)
        t, p, dof = float(res.statistic), float(res.pvalue), float(res.df)
    return WelchResult(
        t=t,
        df=dof,
        p=p,
        mean_a=float(np.mean(x)) if len(x) else float("nan"),
        mean_b=float(np.mean(y)) if len(y) else float("nan"),
        n_a=len(x),
        n_b=len(y),
        effect=effect_size(x, y, effect),
    )


def sign_test(wins: int, losses: int) -> float:
    """Two-sided exact sign test of wins vs losses (ties left out), p under H0: p = 1/2."""
    if wins + losses == 0:
        return float("nan")
    return float(stats.binomtest(int(wins), int(wins + losses), 0.5).pvalue)


def adjust_pvalues(pvalues: Sequence[float], method: Correction = "holm") -> np.ndarray:
    """Adjusted p-values for a family of tests; nan entries stay nan and are not counted.

    Undefined tests are left out of the family rather than counted as p = 1, so they do not
    make the correction stricter for the tests that did run.
    """
    p = np.asarray(pvalues, dtype=float)
    if method not in CORRECTIONS:
        raise ValueError(f"correction must be one of {', '.join(CORRECTIONS)}, not {method!r}")
    out = p.copy()
    ok = np.isfinite(p)
    if method == "holm" and ok.any():
        out[ok] = holm(p[ok])
    elif method != "none" and ok.any():
        out[ok] = multipletests(p[ok], method=method)[1]
    return out


def holm(pvalues: np.ndarray) -> np.ndarray:
    """Holm's step-down adjusted p-values (equal to statsmodels' ``multipletests(method=
    "holm")``, which the tests check). Written out because statsmodels' Holm branch calls
    ``gc.collect()`` on every call: 30 ms in a small process, seconds in a large one, and
    the report runs it once per criterion."""
    m = len(pvalues)
    order = np.argsort(pvalues, kind="stable")
    stepped = np.maximum.accumulate(pvalues[order] * (m - np.arange(m)))
    out = np.empty(m)
    out[order] = np.minimum(stepped, 1.0)
    return out


def significant(adjusted: np.ndarray, alpha: float) -> np.ndarray:
    return np.isfinite(adjusted) & (adjusted < alpha)
