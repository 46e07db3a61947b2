"""Agreement statistics against published reference values."""

from __future__ import annotations

import krippendorff
import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.inter_rater import aggregate_raters

from evalplatform.analysis.agreement import (
    count_table,
    fleiss_kappa_long,
    fleiss_kappa_table,
    krippendorff_alpha_long,
    landis_koch,
    modal_rater_count,
)

# Fleiss (1971) as tabulated on Wikipedia "Fleiss' kappa": 10 subjects, 14 raters,
# 5 categories (counts per category); kappa = 0.210.
WIKIPEDIA_TABLE = np.array(
    [
        [0, 0, 0, 0, 14],
        [0, 2, 6, 4, 2],
        [0, 0, 3, 5, 6],
        [0, 3, 9, 2, 0],
        [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0],
        [3, 2, 6, 3, 0],
        [2, 5, 3, 2, 2],
        [6, 5, 2, 1, 0],
        [0, 2, 2, 3, 7],
    ]
)

# Fleiss (1971) psychiatric diagnoses, 30 subjects x 6 raters (statsmodels' test data; R's
# irr::kappam.fleiss(diagnoses) gives 0.4302445).
DIAGNOSES = np.array(
    [
        [4, 4, 4, 4, 4, 4],
        [2, 2, 2, 5, 5, 5],
        [2, 3, 3, 3, 3, 5],
        [5, 5, 5, 5, 5, 5],
        [2, 2, 2, 4, 4, 4],
        [1, 1, 3, 3, 3, 3],
        [3, 3, 3, 3, 5, 5],
        [1, 1, 3, 3, 3, 4],
        [1, 1, 4, 4, 4, 4],
        [5, 5, 5, 5, 5, 5],
        [1, 4, 4, 4, 4, 4],
        [1, 2, 4, 4, 4, 4],
        [2, 2, 2, 3, 3, 3],
        [1, 4, 4, 4, 4, 4],
        [2, 2, 4, 4, 4, 5],
        [3, 3, 3, 3, 3, 5],
        [1, 1, 1, 4, 5, 5],
        [1, 1, 1, 1, 1, 2],
        [2, 2, 4, 4, 4, 4],
        [1, 3, 3, 5, 5, 5],
        [5, 5, 5, 5, 5, 5],
        [2, 4, 4, 4, 4, 4],
        [2, 2, 4, 5, 5, 5],
        [1, 1, 4, 4, 4, 4],
        [1, 4, 4, 4, 4, 5],
        [2, 2, 2, 2, 2, 4],
        [1, 1, 1, 1, 5, 5],
        [2, 2, 4, 4, 4, 4],
        [1, 3, 3, 3, 3, 3],
        [5, 5, 5, 5, 5, 5],
    ]
)

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", the 4-observer,
# 12-unit example with missing values. Published: nominal .743, ordinal .815,
# interval .849, ratio .797.
NAN = np.nan
KRIPPENDORFF_2011 = np.array(
    [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
        [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
    ]
)


def _long(wide: np.ndarray) -> pd.DataFrame:
    """Subjects x raters matrix -> long rows ``item, worker, value`` (NaN = not rated)."""
    rows = [
        {"item": i, "worker": f"r{j}", "value": v}
        for i, row in enumerate(wide)
        for j, v in enumerate(row)
        if not np.isnan(v)
    ]
    return pd.DataFrame(rows)


def test_fleiss_kappa_matches_wikipedia_example():
    assert fleiss_kappa_table(WIKIPEDIA_TABLE) == pytest.approx(0.210, abs=5e-4)


def test_fleiss_kappa_long_matches_fleiss_1971_diagnoses():
    result = fleiss_kappa_long(_long(DIAGNOSES.astype(float)), ["item"], "value")
    assert result.kappa == pytest.approx(0.4302445, abs=1e-7)
    assert (result.items, result.raters, result.units_total) == (30, 6, 30)


def test_count_table_equals_statsmodels_aggregate_raters():
    rng = np.random.default_rng(3)
    wide = rng.integers(1, 6, size=(200, 5))
    expected, categories = aggregate_raters(wide)
    df = _long(wide.astype(float))
    table, cats = count_table(df["item"].to_numpy(), df["value"])
    np.testing.assert_array_equal(table, expected)
    np.testing.assert_array_equal(cats, categories)


def test_kappa_uses_units_with_the_modal_rater_count():
    wide = DIAGNOSES.astype(float).copy()
    wide[:5, 5] = np.nan  # five subjects lose a rater: 25 units of 6, 5 of 5
    result = fleiss_kappa_long(_long(wide), ["item"], "value")
    assert (result.items, result.raters, result.units_total) == (25, 6, 30)
    full = fleiss_kappa_table(aggregate_raters(DIAGNOSES[5:])[0])
    assert result.kappa == pytest.approx(full, abs=1e-12)


def test_modal_rater_count_ignores_single_ratings_and_prefers_more_raters_on_ties():
    assert modal_rater_count(np.array([1, 1, 1, 1, 3, 3, 2])) == 3
    assert modal_rater_count(np.array([2, 2, 3, 3])) == 3
    assert modal_rater_count(np.array([1, 1])) == 0


def test_kappa_is_undefined_when_one_category_is_used():
    df = pd.DataFrame({"item": [1, 1, 2, 2], "worker": list("abab"), "value": [3, 3, 3, 3]})
    result = fleiss_kappa_long(df, ["item"], "value")
    assert result.kappa is None and result.items == 2


@pytest.mark.parametrize(
    ("level", "published"),
    [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)],
)
def test_krippendorff_alpha_matches_krippendorff_2011(level, published):
    # Units are columns there; long form has one row per (unit, observer) value.
    result = krippendorff_alpha_long(_long(KRIPPENDORFF_2011.T), ["item"], "value", level)
    assert result.alpha == pytest.approx(published, abs=5e-4)
    reference = krippendorff.alpha(KRIPPENDORFF_2011, level_of_measurement=level)
    assert result.alpha == pytest.approx(reference, abs=1e-12)
    assert result.units == 11  # unit 12 has a single value: not pairable


def test_krippendorff_ordinal_respects_the_given_label_order():
    df = pd.DataFrame(
        {
            "item": [1, 1, 2, 2, 3, 3, 4, 4],
            "worker": list("abababab"),
            "label": ["good", "okay", "bad", "bad", "okay", "okay", "good", "good"],
        }
    )
    order = ("bad", "okay", "good")
    result = krippendorff_alpha_long(df, ["item"], "label", "ordinal", order)
    codes = df.assign(v=df["label"].map({"bad": 0, "okay": 1, "good": 2}))
    wide = codes.pivot(index="worker", columns="item", values="v").to_numpy(dtype=float)
    assert result.alpha == pytest.approx(
        krippendorff.alpha(wide, level_of_measurement="ordinal"), abs=1e-12
    )


@pytest.mark.parametrize(
    ("kappa", "band"),
    [
        (-0.1, "poor"),
        (0.0, "slight"),
        (0.2, "slight"),
        (0.21, "fair"),
        (0.4, "fair"),
        (0.53, "moderate"),
        (0.65, "substantial"),
        (0.81, "almost perfect"),
        (None, "undefined"),
    ],
)
def test_landis_koch_bands(kappa, band):
    assert landis_koch(kappa) == band
