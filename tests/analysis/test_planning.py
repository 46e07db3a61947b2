"""The power planner: fitted variance components and predicted power against simulated crowds.

Few data sets per design keep this module fast: the planner's prediction (``PLAN_SETS``
simulated sets from components fitted on a pilot) and the empirical power (``CROWD_SETS``
crowds drawn from the planted truth, through the same default test) must agree within 5
points plus twice the Monte-Carlo standard error of their difference (with these counts
about 10 points). ``benchmarks/planning.py`` runs the full check (1000 crowds per design,
the whole report on a share of them) where the Monte-Carlo error is about 2 points.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from evalplatform.analysis.ab_components import (
    AbComponents,
    AbLayout,
    ab_conditional_points,
    fit_ab,
    moment_fit,
)
from evalplatform.analysis.crowd_simulation import (
    AbDesign,
    LikertDesign,
    simulate_ab,
    simulate_ggb,
    simulate_likert,
)
from evalplatform.analysis.ggb_components import fit_ggb, ggb_latent_shift, ggb_moment_fit
from evalplatform.analysis.plan_search import plan_designs
from evalplatform.analysis.planning import (
    CostModel,
    Design,
    PlanningModel,
    Problem,
    simulated_power,
    worker_pool,
)
from evalplatform.analysis.variance_components import (
    Components,
    fit_calibrated,
    fit_components,
    simulate_on_layout,
)
from evalplatform.protocols.planning import AbPlanning, GgbPlanning, LikertPlanning
from evalplatform.protocols.registry import get
from evalplatform.reports.config import ReportSettings

SYSTEMS = ("S0", "S1", "S2")
PLAN_SETS = 150
CROWD_SETS = 150
LIKERT = Components(0.3, 0.6, 0.4, 0.7)
GGB = Components(0.8, 0.3, 0.3, 0.7, base=0.0)
AB = AbComponents(item_sd=1.0, worker_side_sd=0.3, tie=0.1)


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


def test_a_small_pilots_fit_is_corrected_on_the_variances_that_set_the_power():
    """The calibrated fit moves its estimate until refits of the pilot's layout reproduce
    the pilot's own moment fit on average; it must do so for the variances, which a
    paired test's variance of per-item differences sums, not for the SDs. A 15-item pilot
    makes the difference plain: SD-matched, the refits' response plus worker variance
    overshot the pilot's by 0.06-0.08 (a small pilot's plan came out too cautious)."""
    truth = LikertDesign("t", 0.3, 0.4, 0.4, 0.7, items=15, workers=12)
    pilot = simulate_likert(truth, 0.0, np.random.default_rng(12))
    fit = fit_calibrated(pilot, rounds=4, replicates=48)
    rng = np.random.default_rng(13)
    refits = [fit_components(simulate_on_layout(pilot, fit, rng, (1, 5))) for _ in range(200)]
    observed = fit_components(pilot)
    shared = np.mean([r.response_sd**2 + r.worker_sd**2 for r in refits])
    assert shared == pytest.approx(observed.response_sd**2 + observed.worker_sd**2, abs=0.03)


def _ab_pilot(seed: int, items: int, side: float = 0.6):
    c = AbComponents(item_sd=1.2, worker_side_sd=side, tie=0.2)
    d = AbDesign("t", c.item_sd, c.worker_side_sd, tie=c.tie, items=items, workers=60)
    # a planted preference: the pairs with S0 lean one way, the third pair not at all
    return simulate_ab(d, ab_conditional_points(c, 15), np.random.default_rng(seed))


def test_ab_moment_fit_under_states_the_side_bias_and_the_calibrated_fit_does_not():
    """The item lean hides a worker's side preference from the moment estimator; the
    simulation-calibrated fit recovers it (and the lean, and the tie share)."""
    raw, fits = [], []
    for seed in range(6):
        pilot = _ab_pilot(seed, 300)
        raw.append(moment_fit(*AbLayout.from_tidy(pilot, SYSTEMS))[1])
        fit = fit_ab(pilot, SYSTEMS)
        fits.append((fit.item_sd, fit.worker_side_sd, fit.tie))
    item, side, tie = np.mean(fits, axis=0)
    assert np.mean(raw) < 0.6 - 0.12
    assert abs(side - 0.6) < 0.08 and abs(item - 1.2) < 0.1 and abs(tie - 0.2) < 0.01


def test_ab_conditional_points_give_the_asked_preference_averaged_over_items():
    c = AbComponents(item_sd=1.0, worker_side_sd=0.3, tie=0.1)
    d = AbDesign("t", c.item_sd, c.worker_side_sd, tie=c.tie, items=20000, raters=1)
    df = simulate_ab(d, ab_conditional_points(c, 20), np.random.default_rng(2), systems=("X", "Y"))
    decided = df[df["choice"] != "tie"]
    x_won = (decided["choice"] == "a") == (decided["system_a"] == "X")
    assert abs(x_won.mean() - 0.70) < 0.01


def test_ggb_moment_fit_is_biased_and_the_calibrated_fit_is_less_so():
    """The cuts squash the label score: the moment fit inflates the noise; calibration
    brings the latent components back towards the planted ones."""
    d = LikertDesign("t", 0.8, 0.4, 0.3, 0.7, base=0.0, items=300, workers=60)
    pilot = simulate_ggb(d, 0.0, np.random.default_rng(9))
    raw, fit = ggb_moment_fit(pilot), fit_ggb(pilot)
    truth = np.array([0.8, 0.4, 0.3, 0.7])
    raw_error = np.abs(
        np.array([raw.item_sd, raw.response_sd, raw.worker_sd, raw.noise_sd]) - truth
    )
    fit_error = np.abs(
        np.array([fit.item_sd, fit.response_sd, fit.worker_sd, fit.noise_sd]) - truth
    )
    assert raw_error.sum() > fit_error.sum() + 0.05, (raw, fit)


def test_ggb_latent_shift_moves_the_expected_label_score_by_the_difference():
    c = Components(0.5, 0.3, 0.3, 0.7, base=0.2)
    shift = ggb_latent_shift(c, 0.2)
    rng = np.random.default_rng(6)
    d = LikertDesign("t", c.item_sd, c.response_sd, c.worker_sd, c.noise_sd, c.base, 4000, 1, 50)
    df = simulate_ggb(d, shift, rng)
    score = df["label"].map({"bad": 0, "okay": 1, "good": 2})
    diff = score[df["system"] == "S0"].mean() - score[df["system"] == "S1"].mean()
    assert abs(diff - 0.2) < 0.03


def _empirical(truth: Problem, design: Design, seed: int) -> float:
    rng = np.random.default_rng(seed)
    workers = worker_pool(truth, design)
    sets = (truth.model.one_set(truth, design, workers, rng) for _ in range(CROWD_SETS))
    return sum(min(s.values()) for s in sets) / CROWD_SETS


def _fitted(protocol: str, truth: Problem, pilot_items: int, seed: int) -> Problem:
    """The protocol's planning model fitted on a pilot drawn from the truth (the planted
    difference included), as ``manage.py plan --pilot`` fits it."""
    pilot_design = Design(pilot_items, 3)
    rng = np.random.default_rng(seed)
    pilot = truth.model.simulate(truth, pilot_design, 60, rng)
    model = get(protocol).planning_model(pilot=pilot, criteria=None, settings=ReportSettings())
    assert model.source == "pilot"
    return Problem(protocol, model, truth.systems, truth.difference)


CASES: list[tuple[str, PlanningModel, float, int, Design]] = [
    *(("likert", LikertPlanning({"quality": LIKERT}), 0.5, 200, d) for d in
      (Design(20, 3), Design(40, 2), Design(60, 1))),
    *(("ggb", GgbPlanning(GGB), 0.3, 200, d) for d in
      (Design(20, 3), Design(40, 2), Design(60, 1))),
    *(("ab", AbPlanning(AB), 15.0, 150, d) for d in
      (Design(30, 3), Design(50, 2), Design(80, 1))),
]  # fmt: skip


@pytest.mark.parametrize(("protocol", "model", "difference", "pilot_items", "design"), CASES)
def test_predicted_power_from_a_pilot_matches_simulated_crowds(
    protocol, model, difference, pilot_items, design
):
    truth = Problem(protocol, model, SYSTEMS, difference)
    fitted = _fitted(protocol, truth, pilot_items, seed=10)
    predicted = simulated_power(fitted, design, sets=PLAN_SETS, seed=1).estimate
    empirical = _empirical(truth, design, seed=99)
    assert _agree(predicted, empirical), (design, predicted, empirical, fitted.model)


def test_a_planner_that_ignores_the_response_effect_is_caught():
    """The check can fail: treating every rating as independent (all variance as noise,
    none shared by a response's raters) overstates the power of five raters per response
    beyond the tolerance."""
    design = Design(20, 5)
    naive = Components(0.0, 0.0, 0.0, math.sqrt(0.3**2 + 0.6**2 + 0.4**2 + 0.7**2))
    wrong = Problem("likert", LikertPlanning({"quality": naive}), SYSTEMS, 0.5)
    predicted = simulated_power(wrong, design, sets=PLAN_SETS, seed=1).estimate
    truth = Problem("likert", LikertPlanning({"quality": LIKERT}), SYSTEMS, 0.5)
    assert not _agree(predicted, _empirical(truth, design, seed=99)), predicted


def test_the_cheapest_design_reaches_the_target_and_costs_least_among_those_that_do():
    problem = Problem("likert", LikertPlanning({"quality": LIKERT}), SYSTEMS, 0.7)
    cost = CostModel(
        design_cost=lambda hits, raters: hits * raters * (1.0 + (0.2 if raters >= 10 else 0)),
        minutes_per_hit=6,
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


def test_a_searched_design_far_from_the_target_stops_early_and_one_near_it_does_not():
    problem = Problem("likert", LikertPlanning({"quality": LIKERT}), SYSTEMS, 0.5)
    far = simulated_power(problem, Design(200, 3), sets=200, seed=1, early=True)
    assert far.sets == 50 and far.estimate > 0.95
    full = simulated_power(problem, Design(200, 3), sets=200, seed=1)
    assert full.sets == 200
    # the early stop only cuts the same sequence of data sets short
    assert simulated_power(problem, Design(200, 3), sets=50, seed=1).hits == far.hits
