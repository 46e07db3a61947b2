"""Welch's t-test, effect sizes, the sign test and p-value corrections."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests

from evalplatform.analysis.significance import (
    adjust_pvalues,
    effect_size,
    sign_test,
    significant,
    welch_test,
)


def welch_df(a: np.ndarray, b: np.ndarray) -> float:
    """Welch-Satterthwaite degrees of freedom, written out (scipy's ``res.df`` agrees)."""
    va, vb = np.var(a, ddof=1) / len(a), np.var(b, ddof=1) / len(b)
    return float((va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1)))


def test_welch_matches_r_t_test_worked_example():
    # R: t.test(ts1, ts2) -> "t = -1.8325, df = 17.9, p-value = 0.08356" (Welch is R's default).
    ts1 = [11, 9, 10, 11, 10, 12, 9, 11, 12, 9]
    ts2 = [11, 13, 10, 13, 12, 9, 11, 12, 12, 11]
    res = welch_test(ts1, ts2)
    assert round(res.t, 4) == -1.8325
    assert round(res.df, 1) == 17.9
    assert round(res.p, 5) == 0.08356
    assert (res.mean_a, res.mean_b) == (10.4, 11.4)


@pytest.mark.parametrize("seed", range(5))
def test_welch_matches_scipy_and_the_hand_formula_on_random_data(seed):
    rng = np.random.default_rng(seed)
    a = rng.normal(3.0, 1.0, rng.integers(5, 60))
    b = rng.normal(3.3, 2.0, rng.integers(5, 60))
    res = welch_test(a, b)
    ref = stats.ttest_ind(a, b, equal_var=False)
    assert res.t == pytest.approx(ref.statistic, abs=1e-9)
    assert res.p == pytest.approx(ref.pvalue, abs=1e-9)
    # Welch-Satterthwaite by hand, from the summary statistics.
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    by_hand = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    assert res.df == pytest.approx(by_hand, abs=1e-9)
    assert welch_df(a, b) == pytest.approx(by_hand, abs=1e-9)
    t_hand = (a.mean() - b.mean()) / math.sqrt(va + vb)
    assert res.t == pytest.approx(t_hand, abs=1e-9)
    assert res.p == pytest.approx(2 * stats.t.sf(abs(t_hand), by_hand), abs=1e-9)


def test_welch_df_from_summary_statistics_example():
    # n=20, s=15 vs n=20, s=20: df = 31.25^2 / (11.25^2/19 + 20^2/19) = 35.2 (rounded).
    a = np.array([100 + 15 * z for z in _unit_sample(20)])
    b = np.array([95 + 20 * z for z in _unit_sample(20)])
    assert welch_df(a, b) == pytest.approx(31.25**2 / (11.25**2 / 19 + 20**2 / 19), rel=1e-12)
    assert welch_test(a, b).t == pytest.approx(5 / math.sqrt(31.25), rel=1e-12)


def _unit_sample(n: int) -> np.ndarray:
    """n values with mean exactly 0 and sample SD exactly 1."""
    x = np.arange(n, dtype=float)
    x -= x.mean()
    return x / x.std(ddof=1)


def test_welch_is_undefined_without_variance_or_data():
    assert math.isnan(welch_test([3, 3, 3], [3, 3, 3]).p)
    assert math.isnan(welch_test([3], [2, 4]).t)


def test_hedges_g_and_cohens_d_by_hand():
    a, b = np.array([4.0, 5, 5, 3, 4, 5]), np.array([3.0, 3, 4, 2, 3, 4])
    pooled = math.sqrt(((6 - 1) * a.var(ddof=1) + (6 - 1) * b.var(ddof=1)) / 10)
    d = (a.mean() - b.mean()) / pooled
    assert effect_size(a, b, "cohens_d") == pytest.approx(d, abs=1e-12)
    assert effect_size(a, b, "hedges_g") == pytest.approx(d * (1 - 3 / (4 * 12 - 9)), abs=1e-12)
    assert welch_test(a, b).effect == pytest.approx(d * (1 - 3 / 39), abs=1e-12)


def test_sign_test_matches_binomtest_and_the_binomial_sum():
    assert sign_test(8, 2) == pytest.approx(2 * (45 + 10 + 1) / 1024, abs=1e-12)
    for wins, losses in [(53, 17), (30, 30), (0, 5), (114, 61)]:
        expected = stats.binomtest(wins, wins + losses, 0.5).pvalue
        assert sign_test(wins, losses) == pytest.approx(expected, abs=1e-12)
    assert math.isnan(sign_test(0, 0))


def test_holm_by_hand():
    # Sorted 0.005, 0.01, 0.03, 0.04 -> x4, x3, x2, x1 = 0.02, 0.03, 0.06, 0.04 -> monotone
    # 0.02, 0.03, 0.06, 0.06; back in input order:
    adjusted = adjust_pvalues([0.01, 0.04, 0.03, 0.005], "holm")
    np.testing.assert_allclose(adjusted, [0.03, 0.06, 0.06, 0.02], atol=1e-12)
    np.testing.assert_array_equal(significant(adjusted, 0.05), [True, False, False, True])


@pytest.mark.parametrize("seed", range(5))
def test_holm_equals_statsmodels_multipletests(seed):
    p = np.random.default_rng(seed).uniform(0, 0.2, 12)
    p[3] = p[7]  # a tie
    np.testing.assert_allclose(
        adjust_pvalues(p, "holm"), multipletests(p, method="holm")[1], atol=1e-15
    )


def test_bonferroni_bh_and_none():
    p = [0.01, 0.04, 0.03, 0.005]
    np.testing.assert_allclose(adjust_pvalues(p, "bonferroni"), [0.04, 0.16, 0.12, 0.02])
    # BH: sorted p_(i) * m / i = 0.02, 0.02, 0.04, 0.04 (monotone from the top).
    np.testing.assert_allclose(adjust_pvalues(p, "fdr_bh"), [0.02, 0.04, 0.04, 0.02])
    np.testing.assert_allclose(adjust_pvalues(p, "none"), p)


def test_undefined_tests_stay_out_of_the_family():
    adjusted = adjust_pvalues([0.01, float("nan"), 0.04], "holm")
    assert math.isnan(adjusted[1])
    np.testing.assert_allclose(adjusted[[0, 2]], [0.02, 0.04])
    assert not significant(adjusted, 0.05)[1]


def test_unknown_correction_is_refused():
    with pytest.raises(ValueError, match="correction"):
        adjust_pvalues([0.1], "sidak")
