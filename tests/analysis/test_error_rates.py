"""Power and false-positive rate of the report's tests on simulated raters.

A planted difference must be found; identical systems must come out significant at about
the nominal rate over many seeds (a binomial test decides "about": it fails only when the
observed rate is implausible at the 0.1% level, so the test is neither flaky nor toothless).
"""

from __future__ import annotations

from scipy import stats

from evalplatform.analysis.ab import ab_pairs
from evalplatform.analysis.likert import analyze_likert
from tests.analysis.simulated import simulate_ab, simulate_likert

SEEDS = range(200)
ALPHA = 0.05


def _significant(df, **kwargs) -> bool:
    result = analyze_likert(df, alpha=ALPHA, **kwargs)
    return any(t["significant"] for t in result["criteria"]["fluency"]["pairwise"])


def _plausible_rate(hits: int, n: int, rate: float) -> bool:
    return stats.binomtest(hits, n, rate).pvalue > 0.001


def test_planted_difference_is_found():
    found = sum(
        _significant(simulate_likert({"A": 0.0, "B": 0.5}, items=60, raters=3, seed=s))
        for s in range(20)
    )
    assert found == 20


def test_identical_systems_are_significant_at_the_nominal_rate():
    hits = sum(
        _significant(simulate_likert({"A": 0.0, "B": 0.0}, items=30, raters=3, seed=s))
        for s in SEEDS
    )
    assert _plausible_rate(hits, len(SEEDS), ALPHA), hits


def test_holm_keeps_the_familywise_rate_for_four_identical_systems():
    systems = {"A": 0.0, "B": 0.0, "C": 0.0, "D": 0.0}  # six pairwise tests per seed
    hits = uncorrected = 0
    for seed in SEEDS:
        df = simulate_likert(systems, items=20, raters=3, seed=seed)
        hits += _significant(df)
        uncorrected += _significant(df, correction="none")
    # Holm bounds the chance of any false positive by alpha (conservatively: the six tests
    # are correlated), so only the upper side is checked; without it the rate is far higher.
    assert stats.binomtest(hits, len(SEEDS), ALPHA, alternative="greater").pvalue > 0.001, hits
    assert uncorrected > 2 * hits


def test_item_unit_keeps_the_rate_when_raters_share_a_response_effect():
    # Ratings of one response are correlated (response_sd): treating every rating as
    # independent inflates the false-positive rate; averaging raters first does not.
    def sample(seed: int):
        return simulate_likert(
            {"A": 0.0, "B": 0.0}, items=30, raters=3, seed=seed, response_sd=1.0, rater_sd=0.7
        )

    by_rating = sum(_significant(sample(s), unit="rating") for s in range(100))
    by_item = sum(_significant(sample(s), unit="item") for s in SEEDS)
    assert by_rating > 2 * ALPHA * 100, by_rating  # about 3x the nominal rate here
    assert _plausible_rate(by_item, len(SEEDS), ALPHA), by_item


def test_sign_test_false_positive_rate_for_equally_good_systems():
    hits = 0
    for s in SEEDS:
        df = simulate_ab([("X", "Y", 0.35, 0.3)], items=40, raters=3, seed=s)
        hits += ab_pairs(df, system_order=["X"], alpha=ALPHA)[0]["significant"]
    # The exact sign test is conservative (discrete), so only the upper side is checked.
    assert stats.binomtest(hits, len(SEEDS), ALPHA, alternative="greater").pvalue > 0.001, hits


def test_sign_test_finds_a_planted_preference():
    found = sum(
        ab_pairs(
            simulate_ab([("X", "Y", 0.5, 0.3)], items=100, raters=3, seed=s), system_order=["X"]
        )[0]["significant"]
        for s in range(20)
    )
    assert found >= 19
