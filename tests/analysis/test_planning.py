"""The power planner: fitted variance components and predicted power against simulated crowds.

Few data sets per design keep this module fast (about 30 s on one core): the planner's
prediction (``PLAN_SETS`` simulated sets from components fitted on a pilot) and the empirical
power (``CROWD_SETS`` crowds drawn from the planted truth, through the default test) must
agree within 5 points plus twice the Monte-Carlo standard error of their difference (with
these counts about 10 points). ``benchmarks/planning.py`` runs the full check (1000 crowds
per design, through the whole report) where the Monte-Carlo error is about 2 points.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from evalplatform.analysis.ab import canonical_ab
from evalplatform.analysis.crowd_simulation import (
    AbDesign,
    LikertDesign,
    simulate_ab,
    simulate_ggb,
    simulate_likert,
)
from evalplatform.analysis.planning import (
    CostModel,
    Design,
    Problem,
    one_ab_set,
    one_ggb_set,
    one_likert_set,
    plan_designs,
    simulated_power,
)
from evalplatform.analysis.variance_components import (
    Components,
    fit_ab,
    fit_calibrated,
    fit_components,
    fit_ggb,
    fit_likert,
    ggb_latent_shift,
)

SYSTEMS = ("S0", "S1", "S2")
PLAN_SETS = 150
CROWD_SETS = 150
LIKERT_TRUTH = LikertDesign("truth", 0.3, 0.6, 0.4, 0.7, items=300, workers=60)
GGB_TRUTH = LikertDesign("truth", 0.8, 0.3, 0.3, 0.7, base=0.0, items=300, workers=60)
AB_TRUTH = AbDesign("truth", 1.0, 0.3, tie=0.1, items=300, workers=60)


def _agree(predicted: float, empirical: float) -> bool:
    p = (predicted + empirical) / 2
    se = math.sqrt(p * (1 - p) * (1 / PLAN_SETS + 1 / CROWD_SETS))
    return abs(predicted - empirical) <= 0.05 + 2 * se


def test_moment_estimator_recovers_planted_components_of_continuous_ratings():
    rng = np.random.default_rng(3)
    truth = LikertDesign("t", 0.5, 0.4, 0.6, 0.8, items=400, workers=80, scale=(-99, 99))
    df = simulate_likert(truth, 0.0, rng).assign(score=lambda d: d["score"].astype(float))
    # A scale wide enough that nothing is clipped; the simulator's rounding to integers is
    # taken off by Sheppard's correction (``rounded=True``).
    fit = fit_components(df, rounded=True)
    for got, want in [
        (fit.item_sd, 0.5),
        (fit.response_sd, 0.4),
        (fit.worker_sd, 0.6),
        (fit.noise_sd, 0.8),
    ]:
        assert abs(got - want) < 0.1, (fit, truth)


def test_moment_estimator_finds_no_worker_bias_where_none_was_planted():
    rng = np.random.default_rng(4)
    truth = LikertDesign("t", 0.5, 0.5, 0.0, 0.8, items=400, workers=80, scale=(-99, 99))
    fit = fit_components(simulate_likert(truth, 0.0, rng))
    assert fit.worker_sd < 0.12 and abs(fit.response_sd - 0.5) < 0.1


def test_calibrated_fit_undoes_the_shrinking_of_a_clipped_lopsided_scale():
    """Near 5 the raw moment fit shrinks every component; the simulation-calibrated fit
    recovers the planted response and noise SDs (the raw one misses by over 0.1)."""
    truth = LikertDesign("t", 0.3, 0.6, 0.4, 0.7, base=4.5, items=300, workers=60)
    pilot = simulate_likert(truth, 0.0, np.random.default_rng(10))
    raw, fit = fit_components(pilot), fit_calibrated(pilot)
    assert abs(raw.noise_sd - 0.7) > 0.1 and abs(raw.response_sd - 0.6) > 0.1
    assert abs(fit.noise_sd - 0.7) < 0.05 and abs(fit.response_sd - 0.6) < 0.1
    assert abs(fit.base - 4.5) < 0.15


def test_ab_fit_recovers_item_lean_and_side_bias():
    rng = np.random.default_rng(5)
    truth = AbDesign("t", 1.2, 0.6, tie=0.2, items=600, workers=60)
    df = simulate_ab(truth, 0.0, rng)
    fit = fit_ab(canonical_ab(df, SYSTEMS), df)
    assert abs(fit.item_sd - 1.2) < 0.25 and abs(fit.worker_side_sd - 0.6) < 0.2
    assert abs(fit.tie - 0.2) < 0.02


def test_ggb_latent_shift_moves_the_expected_label_score_by_the_difference():
    c = Components(0.5, 0.3, 0.3, 0.7, base=0.2)
    shift = ggb_latent_shift(c, 0.2)
    rng = np.random.default_rng(6)
    d = LikertDesign("t", c.item_sd, c.response_sd, c.worker_sd, c.noise_sd, c.base, 4000, 1, 50)
    df = simulate_ggb(d, shift, rng)
    score = df["label"].map({"bad": 0, "okay": 1, "good": 2})
    diff = score[df["system"] == "S0"].mean() - score[df["system"] == "S1"].mean()
    assert abs(diff - 0.2) < 0.03


def _empirical(one_set, design: Design, seed: int) -> float:
    rng = np.random.default_rng(seed)
    return sum(one_set(design, rng) for _ in range(CROWD_SETS)) / CROWD_SETS


@pytest.mark.parametrize("design", [Design(20, 3), Design(40, 2), Design(60, 1)])
def test_likert_predicted_power_matches_simulated_crowds(design):
    pilot = simulate_likert(LIKERT_TRUTH, 0.0, np.random.default_rng(10))
    problem = Problem("likert", SYSTEMS, 0.5, likert=fit_likert(pilot))
    predicted = simulated_power(problem, design, sets=PLAN_SETS, seed=1).estimate
    truth = Problem("likert", SYSTEMS, 0.5)
    planted = Components(0.3, 0.6, 0.4, 0.7)
    empirical = _empirical(lambda d, rng: one_likert_set(truth, planted, d, rng), design, 99)
    assert _agree(predicted, empirical), (design, predicted, empirical)


@pytest.mark.parametrize("design", [Design(20, 3), Design(40, 2), Design(60, 1)])
def test_ggb_predicted_power_matches_simulated_crowds(design):
    pilot = simulate_ggb(GGB_TRUTH, 0.0, np.random.default_rng(11))
    fitted = fit_ggb(pilot)
    planted = Components(0.8, 0.3, 0.3, 0.7, base=0.0)
    difference = 0.3
    predicted = simulated_power(
        Problem("ggb", SYSTEMS, difference, ggb=fitted), design, sets=PLAN_SETS, seed=1
    ).estimate
    truth = Problem("ggb", SYSTEMS, difference, ggb=planted)
    shift = ggb_latent_shift(planted, difference)
    empirical = _empirical(lambda d, rng: one_ggb_set(truth, shift, d, rng), design, 98)
    assert _agree(predicted, empirical), (design, predicted, empirical)


@pytest.mark.parametrize("design", [Design(30, 3), Design(50, 2), Design(80, 1)])
def test_ab_predicted_power_matches_simulated_crowds(design):
    pilot = simulate_ab(AB_TRUTH, 0.0, np.random.default_rng(12))
    fitted = fit_ab(canonical_ab(pilot, SYSTEMS), pilot)
    predicted = simulated_power(
        Problem("ab", SYSTEMS, 20, ab=fitted), design, sets=PLAN_SETS, seed=1
    ).estimate
    truth = Problem("ab", SYSTEMS, 20)
    empirical = _empirical(lambda d, rng: one_ab_set(truth, d, rng), design, 97)
    assert _agree(predicted, empirical), (design, predicted, empirical)


def test_a_planner_that_ignores_the_response_effect_is_caught():
    """The check can fail: treating every rating as independent (all variance as noise,
    none shared by a response's raters) overstates the power of three raters per response
    beyond the tolerance."""
    design = Design(20, 3)
    planted = Components(0.3, 0.6, 0.4, 0.7)
    naive = Components(0.0, 0.0, 0.0, math.sqrt(0.3**2 + 0.6**2 + 0.4**2 + 0.7**2))
    wrong = Problem("likert", SYSTEMS, 0.5, likert={"quality": naive})
    predicted = simulated_power(wrong, design, sets=PLAN_SETS, seed=1).estimate
    truth = Problem("likert", SYSTEMS, 0.5)
    empirical = _empirical(lambda d, rng: one_likert_set(truth, planted, d, rng), design, 99)
    assert not _agree(predicted, empirical), (predicted, empirical)


def test_the_cheapest_design_reaches_the_target_and_costs_least_among_those_that_do():
    problem = Problem("likert", SYSTEMS, 0.7)
    cost = CostModel(
        per_assignment=lambda raters: 1.0 + (0.2 if raters >= 10 else 0), minutes_per_hit=6
    )
    plan = plan_designs(problem, cost, raters=(1, 3), sets=60, seed=2, current=Design(20, 3))
    assert plan.cheapest is not None and plan.cheapest.power.estimate >= 0.8
    passing = [r for r in plan.rows if r.power.estimate >= 0.8]
    assert plan.cheapest.cost == min(r.cost for r in passing)
    # every raters value was searched until a design below the target sat under a passing one
    for raters in (1, 3):
        powers = [r.power.estimate for r in plan.rows if r.design.raters == raters]
        assert max(powers) >= 0.8
    row = plan.cheapest
    assert row.assignments == row.hits * row.design.raters
    assert row.hits == math.ceil(row.design.items / 10)
    assert row.hours == pytest.approx(row.assignments * 6 / 60)
    assert plan.current is not None and plan.current.design == Design(20, 3)
