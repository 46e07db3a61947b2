"""Inter-rater agreement: Fleiss' kappa and Krippendorff's alpha on long tables.

A "unit" is what raters judged independently: for Likert and good/okay/bad the pair
(item, system), for A/B the (item, pair). Fleiss' kappa needs the same number of raters on
every unit, so it uses the units with the most common rater count (and says how many);
Krippendorff's alpha copes with missing ratings and uses every unit with two or more.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import krippendorff
import numpy as np
import pandas as pd
from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss_kappa

AlphaLevel = Literal["nominal", "ordinal", "interval", "ratio"]

# Landis & Koch (1977), "The measurement of observer agreement for categorical data".
# Below 0 is "poor"; each band includes its upper bound.
_BANDS = ((0.20, "slight"), (0.40, "fair"), (0.60, "moderate"), (0.80, "substantial"))


@dataclass(frozen=True)
class KappaResult:
    kappa: float | None  # None when undefined (no units, or a single category used)
    items: int  # units used (those with the modal rater count)
    raters: int  # raters per unit used
    units_total: int  # units with at least one rating

    def as_dict(self) -> dict[str, Any]:
        return {
            "fleiss_kappa": self.kappa,
            "kappa_items": self.items,
            "kappa_raters": self.raters,
            "kappa_units_total": self.units_total,
        }


@dataclass(frozen=True)
class AlphaResult:
    alpha: float | None
    level: str
    units: int  # units with two or more ratings (the pairable ones)


def landis_koch(kappa: float | None) -> str:
    """The Landis & Koch band of a kappa: poor (< 0), slight (0-.20), fair, moderate, ..."""
    if kappa is None or not np.isfinite(kappa):
        return "undefined"
    if kappa < 0:
        return "poor"
    for upper, name in _BANDS:
        if kappa <= upper:
            return name
    return "almost perfect"


def _unit_codes(df: pd.DataFrame, unit_cols: Sequence[str]) -> np.ndarray:
    return df.groupby(list(unit_cols), sort=False, observed=True).ngroup().to_numpy()


def count_table(units: np.ndarray, values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Units x categories counts (the table ``aggregate_raters`` builds), vectorised.

    statsmodels' ``aggregate_raters`` loops over rows in Python, too slow for a million
    units; this gives the same table (checked in the tests) with one ``bincount``.
    Categories are sorted; ``units`` are codes 0..U-1.
    """
    codes, categories = pd.factorize(values, sort=True)
    n_units = int(units.max()) + 1 if len(units) else 0
    flat = units.astype(np.int64) * len(categories) + codes
    table = np.bincount(flat, minlength=n_units * len(categories))
    return table.reshape(n_units, len(categories)), np.asarray(categories)


def modal_rater_count(per_unit: np.ndarray) -> int:
    """Most common number of ratings per unit among units with >= 2; ties go to more raters."""
    counts = np.bincount(per_unit)
    counts[:2] = 0
    if counts.sum() == 0:
        return 0
    best = counts.max()
    return int(np.flatnonzero(counts == best).max())


def fleiss_kappa_table(table: np.ndarray) -> float | None:
    """statsmodels' Fleiss' kappa, or None where it is 0/0 (a single category overall)."""
    table = np.asarray(table, dtype=float)
    if table.shape[0] == 0:
        return None
    shares = table.sum(axis=0) / table.sum()
    if np.isclose((shares**2).sum(), 1.0):
        return None  # chance agreement is 1: kappa is undefined, not perfect
    return float(sm_fleiss_kappa(table, method="fleiss"))


def fleiss_kappa_long(df: pd.DataFrame, unit_cols: Sequence[str], value_col: str) -> KappaResult:
    """Fleiss' kappa of ``value_col`` over units, using units with the modal rater count."""
    if df.empty:
        return KappaResult(None, 0, 0, 0)
    units = _unit_codes(df, unit_cols)
    table, _ = count_table(units, df[value_col])
    per_unit = table.sum(axis=1)
    raters = modal_rater_count(per_unit)
    used = table[per_unit == raters] if raters else table[:0]
    return KappaResult(fleiss_kappa_table(used), int(used.shape[0]), raters, int(table.shape[0]))


def krippendorff_alpha_long(
    df: pd.DataFrame,
    unit_cols: Sequence[str],
    value_col: str,
    level: AlphaLevel = "nominal",
    value_order: Sequence[Any] | None = None,
) -> AlphaResult:
    """Krippendorff's alpha from the units x values count matrix (all units, missing allowed).

    ``value_order`` fixes the order of categories for the ordinal level (e.g. bad < okay <
    good); numeric values are otherwise sorted, which interval and ratio need.
    """
    if df.empty:
        return AlphaResult(None, level, 0)
    units = _unit_codes(df, unit_cols)
    values = df[value_col]
    if value_order is not None:
        values = pd.Categorical(values, categories=list(value_order), ordered=True).codes
        values = pd.Series(values)
    table, categories = count_table(units, values)
    pairable = int((table.sum(axis=1) >= 2).sum())
    if pairable == 0 or len(categories) < 2:
        return AlphaResult(None, level, pairable)
    domain = np.asarray(categories, dtype=float) if level != "nominal" else None
    result = krippendorff.alpha(value_counts=table, value_domain=domain, level_of_measurement=level)
    return AlphaResult(float(result), level, pairable)


def fleiss_kappa_interval(
    table: np.ndarray, *, resamples: int = 1000, seed: int = 0, level: float = 0.95
) -> tuple[float, float] | None:
    """Percentile bootstrap interval of Fleiss' kappa, resampling units (rows of a units x
    categories table with the same number of raters on every row), seeded.

    Units are what was rated independently, so they are what is resampled; Fleiss' (1971)
    variance holds only under kappa = 0 and so gives no interval. None when kappa is
    undefined or fewer than two units are left.
    """
    table = np.asarray(table, dtype=float)
    if table.shape[0] < 2 or fleiss_kappa_table(table) is None:
        return None
    raters = table.sum(axis=1)
    agreement = ((table**2).sum(axis=1) - raters) / (raters * (raters - 1))
    shares = table / raters[:, None]
    rng = np.random.default_rng(seed)
    pick = rng.integers(0, table.shape[0], (resamples, table.shape[0]))
    observed = agreement[pick].mean(axis=1)
    chance = (shares[pick].mean(axis=1) ** 2).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        kappas = (observed - chance) / (1 - chance)
    kappas = kappas[np.isfinite(kappas)]
    if len(kappas) == 0:
        return None
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(kappas, [tail, 100 - tail])
    return float(low), float(high)


def fleiss_kappa_long_interval(
    df: pd.DataFrame, unit_cols: Sequence[str], value_col: str, *, seed: int = 0
) -> tuple[float, float] | None:
    """The bootstrap interval of ``fleiss_kappa_long``'s kappa (same units used)."""
    if df.empty:
        return None
    table, _ = count_table(_unit_codes(df, unit_cols), df[value_col])
    per_unit = table.sum(axis=1)
    raters = modal_rater_count(per_unit)
    return fleiss_kappa_interval(table[per_unit == raters], seed=seed) if raters else None
