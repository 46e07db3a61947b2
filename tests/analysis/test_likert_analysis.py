"""Likert summaries and pairwise tests, checked against scipy / statsmodels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from evalplatform.analysis.descriptive import infer_binary_criteria, likert_summary
from evalplatform.analysis.likert import analyze_likert
from evalplatform.analysis.significance import adjust_pvalues
from tests.analysis.simulated import simulate_likert


@pytest.fixture
def ratings() -> pd.DataFrame:
    return simulate_likert(
        {"A": 0.0, "B": 0.3, "C": 0.6},
        criteria=("fluency", "relevance"),
        binary={"emo": {"A": 0.4, "B": 0.5, "C": 0.7}},
        items=40,
        raters=3,
        seed=7,
    )


def test_summary_mean_sd_and_t_interval_match_scipy(ratings):
    table = likert_summary(ratings, binary_criteria={"emo"})
    row = table[(table.criterion == "fluency") & (table.system == "B")].iloc[0]
    x = ratings.query("criterion == 'fluency' and system == 'B'")["score"].to_numpy(float)
    lo, hi = stats.t.interval(0.95, len(x) - 1, loc=x.mean(), scale=stats.sem(x))
    assert (row.n, row.ci_method) == (120, "t")
    assert row["mean"] == pytest.approx(x.mean(), abs=1e-12)
    assert row.sd == pytest.approx(x.std(ddof=1), abs=1e-12)
    assert (row.ci_low, row.ci_high) == (pytest.approx(lo, abs=1e-9), pytest.approx(hi, abs=1e-9))


def test_binary_criterion_gets_a_wilson_interval(ratings):
    table = likert_summary(ratings, binary_criteria={"emo"})
    row = table[(table.criterion == "emo") & (table.system == "C")].iloc[0]
    x = ratings.query("criterion == 'emo' and system == 'C'")["score"]
    lo, hi = proportion_confint(x.sum(), len(x), alpha=0.05, method="wilson")
    assert row.ci_method == "wilson" and row.binary
    assert (row.ci_low, row.ci_high) == (pytest.approx(lo, abs=1e-12), pytest.approx(hi, abs=1e-12))


def test_item_unit_averages_raters_first(ratings):
    table = likert_summary(ratings, unit="item")
    row = table[(table.criterion == "fluency") & (table.system == "A")].iloc[0]
    per_item = ratings.query("criterion == 'fluency' and system == 'A'").groupby("item")["score"]
    assert row.n == 40
    assert row.sd == pytest.approx(per_item.mean().std(ddof=1), abs=1e-12)


def test_binary_inference_needs_a_zero():
    df = pd.DataFrame(
        {
            "item": [1, 2, 1, 2],
            "worker": ["w"] * 4,
            "system": ["A"] * 4,
            "criterion": ["emo", "emo", "flu", "flu"],
            "score": [0, 1, 1, 1],
        }
    )
    assert infer_binary_criteria(df) == frozenset({"emo"})


def test_pairwise_tests_are_welch_with_holm_within_each_criterion(ratings):
    result = analyze_likert(ratings, binary_criteria={"emo"})
    block = result["criteria"]["relevance"]
    assert [(t["a"], t["b"]) for t in block["pairwise"]] == [("A", "B"), ("A", "C"), ("B", "C")]
    raw = []
    for t in block["pairwise"]:
        a = ratings.query("criterion == 'relevance' and system == @t['a']")["score"]
        b = ratings.query("criterion == 'relevance' and system == @t['b']")["score"]
        ref = stats.ttest_ind(a, b, equal_var=False)
        assert t["t"] == pytest.approx(ref.statistic, abs=1e-9)
        assert t["df"] == pytest.approx(ref.df, abs=1e-9)
        raw.append(ref.pvalue)
    np.testing.assert_allclose(
        [t["p_adjusted"] for t in block["pairwise"]], adjust_pvalues(raw, "holm"), atol=1e-12
    )
    assert block["kappa_raters"] == 3 and block["kappa_items"] == 120


def test_correction_across_all_criteria_is_stricter(ratings):
    per_crit = analyze_likert(ratings, binary_criteria={"emo"})
    overall = analyze_likert(ratings, binary_criteria={"emo"}, family="all")
    raw = [t["p"] for c in per_crit["criteria"].values() for t in c["pairwise"]]
    expected = adjust_pvalues(raw, "holm")
    got = [t["p_adjusted"] for c in overall["criteria"].values() for t in c["pairwise"]]
    np.testing.assert_allclose(got, expected, atol=1e-12)
    per = [t["p_adjusted"] for c in per_crit["criteria"].values() for t in c["pairwise"]]
    assert all(g >= p - 1e-15 for g, p in zip(got, per, strict=True))


def test_system_order_controls_pair_orientation(ratings):
    result = analyze_likert(ratings, system_order=("C", "A"))
    assert result["systems"] == ["C", "A", "B"]
    first = result["criteria"]["fluency"]["pairwise"][0]
    assert (first["a"], first["b"]) == ("C", "A") and first["t"] > 0
