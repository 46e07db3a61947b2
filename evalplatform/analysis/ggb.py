"""Good / okay / bad sorting judgments (seed 002): normalised shares and agreement.

Shares are counted per (subset, system) and normalised over the three labels, so each
system's good + okay + bad is 1 on each test set, as in seed 002's Table 5. Gold rows
(the ground-truth reply added as a bonus check) are left out: they judge the worker, not
a system.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from evalplatform.analysis.agreement import (
    AlphaLevel,
    fleiss_kappa_long,
    krippendorff_alpha_long,
    landis_koch,
)
from evalplatform.analysis.columns import ALL_SUBSETS, GGB_LABELS
from evalplatform.analysis.crowd_tests import ggb_crowd_tests
from evalplatform.analysis.ordering import as_float, first_appearance, ordered
from evalplatform.analysis.significance import Correction

_ORDER_BAD_TO_GOOD = ("bad", "okay", "good")


def scored_rows(df: pd.DataFrame) -> pd.DataFrame:
    """Rows that score a system: gold rows dropped, ``subset`` filled with ``all`` if absent."""
    rows = df[~df["is_gold"].astype(bool)] if "is_gold" in df.columns else df
    if "subset" not in rows.columns:
        rows = rows.assign(subset=ALL_SUBSETS)
    return rows


def ggb_counts(rows: pd.DataFrame) -> tuple[list[Any], list[Any], np.ndarray]:
    """(subsets, systems, counts[subset, system, label]) in first-appearance order.

    One ``bincount`` over factorised codes: a groupby over millions of rows with three
    keys costs ten times more, and this runs on every report.
    """
    sub_codes, subsets = pd.factorize(rows["subset"])
    sys_codes, systems = pd.factorize(rows["system"])
    lab_codes = pd.Categorical(rows["label"], categories=list(GGB_LABELS)).codes
    shape = (len(subsets), len(systems), len(GGB_LABELS))
    flat = (sub_codes.astype(np.int64) * shape[1] + sys_codes) * shape[2] + lab_codes
    counts = np.bincount(flat, minlength=int(np.prod(shape))).reshape(shape)
    return list(subsets), list(systems), counts


def ggb_shares(
    df: pd.DataFrame,
    system_order: Sequence[str] | None = None,
    subset_order: Sequence[str] | None = None,
) -> dict[str, dict[str, dict[str, Any]]]:
    """``{SUBSET: {SYS: {"good", "okay", "bad", "n"}}}`` with shares summing to 1."""
    subsets, systems, counts = ggb_counts(scored_rows(df))
    sub_index = {s: i for i, s in enumerate(subsets)}
    sys_index = {s: i for i, s in enumerate(systems)}
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for subset in ordered(subsets, subset_order):
        block: dict[str, dict[str, Any]] = {}
        for system in ordered(systems, system_order):
            cell = counts[sub_index[subset], sys_index[system]]
            n = int(cell.sum())
            if n == 0:
                continue
            block[str(system)] = {lab: float(cell[k] / n) for k, lab in enumerate(GGB_LABELS)}
            block[str(system)]["n"] = n
        out[str(subset)] = block
    return out


def ggb_overall(df: pd.DataFrame, system_order: Sequence[str] | None = None) -> dict[str, Any]:
    """Shares over all subsets pooled (an extra next to the per-subset tables)."""
    pooled = scored_rows(df).assign(subset=ALL_SUBSETS)
    return ggb_shares(pooled, system_order)[ALL_SUBSETS]


def ggb_agreement(df: pd.DataFrame, level: AlphaLevel = "nominal") -> dict[str, Any]:
    """Fleiss' kappa over labels, units (item, system), gold rows excluded; and alpha.

    For the ordinal level alpha orders the labels bad < okay < good.
    """
    rows = scored_rows(df)
    kappa = fleiss_kappa_long(rows, ["item", "system"], "label")
    order = _ORDER_BAD_TO_GOOD if level != "nominal" else None
    alpha = krippendorff_alpha_long(rows, ["item", "system"], "label", level, order)
    return {
        **kappa.as_dict(),
        "kappa_band": landis_koch(kappa.kappa),
        "krippendorff_alpha": as_float(alpha.alpha),
        "krippendorff_level": alpha.level,
        "krippendorff_units": alpha.units,
    }


def ggb_subset_kappas(
    df: pd.DataFrame, subset_order: Sequence[str] | None = None
) -> dict[str, Any]:
    rows = scored_rows(df)
    out = {}
    for subset in ordered(first_appearance(rows["subset"]), subset_order):
        kappa = fleiss_kappa_long(rows[rows["subset"] == subset], ["item", "system"], "label")
        out[str(subset)] = {**kappa.as_dict(), "kappa_band": landis_koch(kappa.kappa)}
    return out


def ggb_calibrated(
    df: pd.DataFrame,
    system_order: Sequence[str] | None = None,
    subset_order: Sequence[str] | None = None,
    *,
    correction: Correction = "holm",
    alpha: float = 0.05,
) -> dict[str, Any]:
    """The default test on the ordered labels (crowd_tests): every pair of systems per test
    set (``subsets``) and over all test sets (``overall``), gold rows excluded."""
    rows = scored_rows(df)
    systems = ordered(first_appearance(rows["system"]), system_order)
    subsets = ordered(first_appearance(rows["subset"]), subset_order)
    return ggb_crowd_tests(rows, systems, subsets, correction=correction, alpha=alpha)
