"""The calibration harness, small and seeded: the default test must hold its level.

``benchmarks/calibration.py`` runs 500 data sets per design and prints the README's table;
this runs 100 null data sets per design, so the bound is loose per design (a rate is
rejected when even its 99 % Clopper-Pearson lower limit is above 5 %) and tighter pooled
over the designs. Seeded, so the outcome is the same on every run; about 20 s on one core.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from benchmarks.calibration import (
    AB_DESIGNS,
    LIKERT_DESIGNS,
    ab_default,
    ab_simulator,
    likert_default,
    likert_paired_item_means,
    likert_simulator,
    likert_welch_per_rating,
)
from benchmarks.calibration_quality import QUALITY_DESIGNS, QualityTally, quality_tallies

NULL_SETS = 100
POWER_SETS = 40
LEVEL = 0.05


def _false_positives(simulate, method, seed: int) -> int:
    rng = np.random.default_rng(seed)
    return sum(any(method(simulate(0.0, rng)).values()) for _ in range(NULL_SETS))


def _exceeds(hits: int, sets: int) -> bool:
    """True when the rate is above the level beyond Monte-Carlo error (99 % lower limit)."""
    ci = stats.binomtest(hits, sets).proportion_ci(confidence_level=0.99, method="exact")
    return ci.low > LEVEL


@pytest.fixture(scope="module")
def likert_null_hits() -> dict[str, int]:
    return {
        d.name: _false_positives(likert_simulator(d), likert_default, seed=11 + k)
        for k, d in enumerate(LIKERT_DESIGNS)
    }


@pytest.fixture(scope="module")
def ab_null_hits() -> dict[str, int]:
    return {
        d.name: _false_positives(ab_simulator(d), ab_default, seed=31 + k)
        for k, d in enumerate(AB_DESIGNS)
    }


def test_likert_default_holds_the_family_wise_level_under_every_null_design(likert_null_hits):
    for design, hits in likert_null_hits.items():
        assert not _exceeds(hits, NULL_SETS), f"{design}: {hits}/{NULL_SETS} false positives"
    assert not _exceeds(sum(likert_null_hits.values()), NULL_SETS * len(likert_null_hits))


def test_ab_default_holds_the_family_wise_level_under_every_null_design(ab_null_hits):
    for design, hits in ab_null_hits.items():
        assert not _exceeds(hits, NULL_SETS), f"{design}: {hits}/{NULL_SETS} false positives"
    assert not _exceeds(sum(ab_null_hits.values()), NULL_SETS * len(ab_null_hits))


def test_the_bound_catches_welch_per_rating_when_responses_share_an_effect():
    """The check can fail: the seed's Welch test per rating, on the issue's design (a
    response effect shared by its raters), is caught above the level."""
    design = next(d for d in LIKERT_DESIGNS if d.name == "response effect dominant")
    hits = _false_positives(likert_simulator(design), likert_welch_per_rating, seed=7)
    assert _exceeds(hits, NULL_SETS)


def test_likert_default_is_as_powerful_as_the_paired_t_on_item_means_under_worker_bias():
    design = next(d for d in LIKERT_DESIGNS if d.name == "strong worker bias")
    simulate = likert_simulator(design)
    rng = np.random.default_rng(5)
    default = reference = 0
    for _ in range(POWER_SETS):
        data = simulate(0.5, rng)
        default += likert_default(data)[("S0", "S1")]
        reference += likert_paired_item_means(data)[("S0", "S1")]
    assert default >= reference


QUALITY_SETS = 6


@pytest.fixture(scope="module")
def quality_rates() -> dict[str, QualityTally]:
    """The default filter on a few seeded crowds per design of the quality harness."""
    return {
        name: quality_tallies(protocol, make, QUALITY_SETS, seed=41 + k, rules=(True,))[True]
        for k, (name, (protocol, make)) in enumerate(QUALITY_DESIGNS.items())
    }


def test_the_quality_filter_keeps_honest_workers_in_every_design(quality_rates):
    for design, tally in quality_rates.items():
        removed, total = tally.counts["honest"]
        assert removed <= 0.02 * total, f"{design}: {removed}/{total} honest workers removed"


def test_the_quality_filter_removes_distinguishable_liners_and_rushers(quality_rates):
    """At least 95 %, pooled over the designs (six crowds each are too few for a per-design
    bound; the item-lean design has its own test below). A liner who answers what the
    crowd answers is not counted: it cannot be told apart from an honest worker."""
    for kind in ("distinguishable", "rusher"):
        removed = sum(t.counts[kind][0] for t in quality_rates.values())
        total = sum(t.counts[kind][1] for t in quality_rates.values())
        assert removed >= 0.95 * total, f"{kind}: {removed}/{total} removed"


def test_liners_on_a_lopsided_criterion_are_caught_by_the_form_s_other_criterion(quality_rates):
    """A straight-liner repeats one answer on every criterion; where the form also asks
    something the truth does not settle, the liners the lopsided criterion alone hides
    are removed too."""
    tally = quality_rates["binary 0.98 / 0.93 and a 60 / 50 % criterion, 12 workers"]
    removed, total = tally.counts["liner"]
    assert removed >= 0.95 * total, f"{removed}/{total} liners removed"


ITEM_LEAN_CROWDS = 20


def test_rushers_are_removed_where_item_leans_dominate():
    """The A/B design where each item leans its own way: honest workers disagree with each
    other on half of the items, so a rusher's random clicks must be told apart by how
    surprising they are to the crowd (a tie where every reader picked a system), against
    a crowd of the workers who took their time. At least 95 % of 60 rushers removed (2 %
    escape in the full harness; at most 3 here), honest workers at most 2 %."""
    name = "A/B item lean dominant, balanced placement, 20 points"
    protocol, make = QUALITY_DESIGNS[name]
    tally = quality_tallies(protocol, make, ITEM_LEAN_CROWDS, seed=61, rules=(True,))[True]
    removed, total = tally.counts["rusher"]
    assert removed >= 0.95 * total, f"{removed}/{total} rushers removed"
    removed, total = tally.counts["honest"]
    assert removed <= 0.02 * total, f"{removed}/{total} honest workers removed"
