"""Bradley-Terry: MM against a direct likelihood maximisation, comparisons by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import minimize

from evalplatform.analysis.ab import canonical_ab
from evalplatform.analysis.bradley_terry import (
    Comparisons,
    bradley_terry,
    comparisons_from_ab,
    comparisons_from_ggb,
    fit_strengths,
)
from tests.analysis.simulated import simulate_ab


def _mle(wins: np.ndarray, prior: float) -> np.ndarray:
    """The same model maximised with BFGS: sum_{s,t} w_st log sigmoid(theta_s - theta_t)."""
    w = wins + 0.5 * prior * ((wins + wins.T) > 0)

    def nll(theta: np.ndarray) -> float:
        diff = theta[:, None] - theta[None, :]
        return float((w * np.logaddexp(0, -diff)).sum())

    res = minimize(nll, np.zeros(len(w)), method="BFGS", options={"gtol": 1e-12})
    return res.x - res.x.mean()


@pytest.mark.parametrize("seed", range(3))
def test_mm_reaches_the_maximum_likelihood(seed):
    rng = np.random.default_rng(seed)
    wins = rng.integers(0, 40, (5, 5)).astype(float)
    np.fill_diagonal(wins, 0)
    np.testing.assert_allclose(fit_strengths(wins, prior=1.0), _mle(wins, 1.0), atol=1e-6)


def test_two_systems_closed_form_with_the_virtual_tie():
    wins = np.array([[0.0, 3.0], [1.0, 0.0]])  # A beat B 3 times, lost once
    theta = fit_strengths(wins, prior=1.0)
    # 3.5 : 1.5 after one virtual tie -> theta_A - theta_B = log(3.5 / 1.5).
    assert theta[0] - theta[1] == pytest.approx(math.log(3.5 / 1.5), abs=1e-9)


def test_ab_comparisons_count_ties_as_half_wins():
    df = pd.DataFrame(
        {
            "item": ["1", "1", "2"],
            "worker": ["w1", "w2", "w1"],
            "system_a": ["A", "A", "A"],
            "system_b": ["B", "B", "B"],
            "choice": ["a", "tie", "b"],
        }
    )
    comp = comparisons_from_ab(canonical_ab(df, ["A"]), ["A", "B"])
    assert comp.wins.shape == (2, 2, 2)  # items x systems x systems
    np.testing.assert_allclose(comp.wins[0], [[0, 1.5], [0.5, 0]])  # item 1: win + tie
    np.testing.assert_allclose(comp.wins[1], [[0, 0], [1, 0]])  # item 2: B won
    np.testing.assert_allclose(comp.total, [[0, 1.5], [1.5, 0]])


def test_ggb_comparisons_from_label_order_within_an_answer():
    rows = pd.DataFrame(
        {
            "item": ["1", "1", "1"],
            "worker": ["w", "w", "w"],
            "system": ["A", "B", "C"],
            "label": ["good", "okay", "okay"],
        }
    )
    comp = comparisons_from_ggb(rows, ["A", "B", "C"])
    np.testing.assert_allclose(comp.total, [[0, 1, 1], [0, 0, 0.5], [0, 0.5, 0]])


def test_bootstrap_is_seeded_and_brackets_the_estimate():
    df = simulate_ab([("X", "Y", 0.6, 0.2), ("Y", "Z", 0.5, 0.2)], items=60, raters=3, seed=1)
    canon = canonical_ab(df, ["X", "Y", "Z"])
    comp = comparisons_from_ab(canon, ["X", "Y", "Z"])
    one = bradley_terry(comp, bootstrap=200, seed=5)
    two = bradley_terry(comp, bootstrap=200, seed=5)
    other = bradley_terry(comp, bootstrap=200, seed=6)
    assert one == two and one != other
    assert [r["system"] for r in one["strengths"]] == ["X", "Y", "Z"]
    for row in one["strengths"]:
        lo, hi = row["ci95"]
        assert lo <= row["theta"] <= hi


def test_disconnected_systems_are_not_fitted():
    wins = np.zeros((1, 4, 4))
    wins[0, 0, 1] = wins[0, 2, 3] = 1
    result = bradley_terry(Comparisons(["A", "B", "C", "D"], wins), bootstrap=0)
    assert result["fitted"] is False and "connected" in result["reason"]
