"""Anytime-valid confidence sequences: the published closed forms, and coverage when one
looks after every item (seeded, a few seconds)."""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pytest
from scipy import integrate, stats

from evalplatform.analysis.confidence_sequences import (
    difference_bounds,
    empirical_bernstein_cs,
    family_cs,
    normal_mixture_radius,
    stitching_radius,
)
from evalplatform.analysis.crowd_simulation import LikertDesign, simulate_likert
from evalplatform.analysis.crowd_tests import response_means

RUNS = 200
ITEMS = 150
LEVEL = 0.05


@pytest.mark.parametrize("v", [1.0, 10.0, 100.0, 1e4])
def test_stitching_boundary_is_the_papers_sub_gaussian_closed_form(v):
    """Howard et al. (2021), eq. (2): with eta = 2, s = 1.4, m = 1 and c = 0 the stitched
    boundary is 1.7 sqrt(v (log log 2v + 0.72 log(5.2 / alpha))), constants rounded."""
    alpha = 0.05
    k = (2**0.25 + 2**-0.25) / np.sqrt(2) * np.sqrt(1.4)
    exact_constant = np.log(float(stats.zipf.pmf(1, 1.4) ** -1) / np.log(2) ** 1.4)
    exact = k * np.sqrt(
        v * (np.log(np.log(2 * v)) + np.log(1 / alpha) / 1.4 + exact_constant / 1.4)
    )
    assert float(stitching_radius(v, alpha, c=0.0)) == pytest.approx(exact, rel=1e-9)
    published = 1.7 * np.sqrt(v * (np.log(np.log(2 * v)) + 0.72 * np.log(5.2 / alpha)))
    assert float(stitching_radius(v, alpha, c=0.0)) == pytest.approx(published, rel=0.02)


@pytest.mark.parametrize(("v", "rho"), [(10.0, 1.0), (250.0, 12.0)])
def test_normal_mixture_radius_is_where_the_mixture_martingale_reaches_one_over_alpha(v, rho):
    """At s = radius, the mixture of exp(l s - l^2 v / 2) over l ~ N(0, 1/rho) is 1/alpha."""
    alpha = 0.05
    s = float(normal_mixture_radius(v, alpha, rho))

    def integrand(lam: float) -> float:
        return np.exp(lam * s - lam**2 * v / 2) * stats.norm.pdf(lam, 0, 1 / np.sqrt(rho))

    mixture, _ = integrate.quad(integrand, -np.inf, np.inf)
    assert mixture == pytest.approx(1 / alpha, rel=1e-6)


def _null_item_differences(rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Three identical systems; per-item differences of raw per-response means, in the
    order the items arrive."""
    design = LikertDesign("null", 0.3, 0.7, 0.4, 0.7, items=ITEMS, workers=40)
    df = simulate_likert(design, 0.0, rng)
    wide = response_means(df.assign(worker=0), "score").pivot(
        index="item", columns="system", values="value"
    )
    return {f"{a}-{b}": (wide[a] - wide[b]).to_numpy() for a, b in combinations(wide.columns, 2)}


def _naive_family_rejects(diffs: dict[str, np.ndarray]) -> bool:
    """A fixed-sample t-interval recomputed after every item (peeking), Bonferroni."""
    share = LEVEL / len(diffs)
    for d in diffs.values():
        n = np.arange(1, len(d) + 1)
        mean = np.cumsum(d) / n
        var = (np.cumsum(d**2) - n * mean**2) / np.maximum(n - 1, 1)
        se = np.sqrt(np.maximum(var, 1e-12) / n)
        t = stats.t.ppf(1 - share / 2, np.maximum(n - 1, 1))
        if np.any((np.abs(mean) > t * se)[4:]):
            return True
    return False


@pytest.fixture(scope="module")
def null_runs() -> list[dict[str, np.ndarray]]:
    rng = np.random.default_rng(2026)
    return [_null_item_differences(rng) for _ in range(RUNS)]


def test_family_cs_under_a_planted_null_excludes_zero_in_at_most_alpha_of_runs(null_runs):
    bounds = difference_bounds((1, 5))
    misses = sum(
        any(cs.excludes(0.0).any() for cs in family_cs(d, bounds, LEVEL).values())
        for d in null_runs
    )
    low = stats.binomtest(misses, RUNS).proportion_ci(0.99, method="exact").low
    assert misses / RUNS <= LEVEL and low <= LEVEL, (
        f"{misses}/{RUNS} runs excluded zero at some look"
    )


def test_the_coverage_check_catches_peeking_at_a_fixed_sample_interval(null_runs):
    """The check can fail: the fixed-sample interval looked at after every item excludes
    zero in far more than alpha of the same runs."""
    misses = sum(_naive_family_rejects(d) for d in null_runs)
    low = stats.binomtest(misses, RUNS).proportion_ci(0.99, method="exact").low
    assert low > LEVEL, f"{misses}/{RUNS}"


def test_the_cs_decides_a_planted_difference_and_narrows_over_time():
    rng = np.random.default_rng(9)
    x = np.clip(np.rint(rng.normal(0.8, 1.0, 600)), -4, 4)
    cs = empirical_bernstein_cs(x, (-4, 4), 0.05)
    assert cs.first_exclusion(0.0) is not None and cs.first_exclusion(0.0) < 600
    assert np.all(np.diff(cs.upper - cs.lower) <= 1e-12)
    assert cs.lower[-1] <= 0.8 <= cs.upper[-1]


def test_bonferroni_splits_alpha_across_the_family():
    x = np.linspace(-1, 1, 50)
    one = empirical_bernstein_cs(x, (-1, 1), 0.05 / 3)
    family = family_cs({"a": x, "b": x, "c": x}, (-1, 1), 0.05)
    np.testing.assert_allclose(family["b"].lower, one.lower)


@pytest.mark.parametrize(("c", "expected"), [(3.0, 64.48755), (-1.0, 28.99389)])
def test_stitching_boundary_matches_the_authors_package(c, expected):
    """Howard's ``confseq`` (test/uniform_boundaries_unittest.cpp, values from the authors'
    R reference implementation): PolyStitchingBound(v_min=10, c, s=1.4, eta=2) at v=100,
    alpha=0.05."""
    assert float(stitching_radius(100.0, 0.05, c=c, v_min=10.0)) == pytest.approx(
        expected, abs=1e-5
    )


def test_normal_mixture_boundary_matches_the_authors_package():
    """``confseq``'s TwoSidedNormalMixture with rho = best_rho(100, 0.05) = 12.60056 bounds
    S_t at 30.35209 when V_t = 100 and alpha = 0.05."""
    assert float(normal_mixture_radius(100.0, 0.05, 12.60056)) == pytest.approx(30.35209, abs=1e-4)
