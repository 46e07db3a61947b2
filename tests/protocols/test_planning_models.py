"""The protocols' planning hooks: each built-in protocol gives the planner a model whose
decision on a simulated data set is the whole report's, and a protocol without one says so."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from evalplatform.analysis.crowd_simulation import LikertDesign, simulate_likert
from evalplatform.analysis.planning import Design, Problem, planted_significant, worker_pool
from evalplatform.protocols.likert import LikertProtocol
from evalplatform.protocols.registry import BUILTIN, ProtocolSpec, get
from evalplatform.reports.builder import build_report
from evalplatform.reports.config import ReportSettings
from evalplatform.reports.tidy import validate_judgments

SYSTEMS = ("S0", "S1", "S2")
# A difference near the middle of the power curve at 20 items x 2 raters, so that both
# decisions occur among the data sets.
DIFFERENCE = {"likert": 0.5, "ab": 20.0, "ggb": 0.3}


@pytest.mark.parametrize("name", BUILTIN)
def test_without_a_pilot_the_model_uses_documented_defaults(name):
    model = get(name).planning_model(
        pilot=None, criteria={"fluency": (1, 5)}, settings=ReportSettings()
    )
    assert model.source == "defaults" and "Not published crowd data" in model.citation
    assert model.components() and model.unit


@pytest.mark.parametrize("name", BUILTIN)
def test_the_planners_decision_is_the_whole_reports_on_the_same_data(name):
    """The planner runs the protocol's default test as the report calls it: on simulated
    crowds its decision for the planted pair is the one ``build_report`` (validation,
    quality filter, default test, correction) reaches."""
    settings = ReportSettings(bradley_terry=False, correction="holm")
    spec = get(name)
    model = spec.planning_model(pilot=None, criteria={"quality": (1, 5)}, settings=settings)
    problem = Problem(name, model, SYSTEMS, DIFFERENCE[name])
    design = Design(20, 2)
    rng = np.random.default_rng(5)
    decisions = []
    for _ in range(12):
        data = model.simulate(problem, design, worker_pool(problem, design), rng)
        report = build_report(data, name, settings)
        pairs = [p for _, family in spec.default_families(report) for p in family]
        planner = min(model.decide(problem, data).values())
        assert planner == planted_significant(pairs, SYSTEMS)
        decisions.append(planner)
    assert 0 < sum(decisions) < len(decisions)  # both outcomes were compared


def test_a_protocol_without_a_planning_model_says_so():
    class Unplanned(LikertProtocol):
        name = "unplanned"
        title = "Unplanned rating"
        planning_model = ProtocolSpec.planning_model

    with pytest.raises(ValueError, match="no model of Unplanned rating campaigns"):
        Unplanned().planning_model(pilot=None, criteria=None, settings=ReportSettings())


def _likert_model(criteria, pilot=None):
    return get("likert").planning_model(pilot=pilot, criteria=criteria, settings=ReportSettings())


def _simulated(model, difference, items=40, seed=3):
    problem = Problem("likert", model, SYSTEMS, difference)
    design = Design(items, 3)
    return problem, model.simulate(
        problem, design, worker_pool(problem, design), np.random.default_rng(seed)
    )


def test_a_criterion_is_simulated_on_its_own_scale_as_the_campaign_defines_it():
    data = _simulated(_likert_model({"quality": (1, 7)}), 0.5)[1]
    assert data["score"].between(1, 7).all()
    assert data["score"].max() >= 6  # a 1-5 model clips everything at 5
    assert 3.5 < data["score"].mean() < 4.5  # the defaults sit in the middle of the scale


def test_a_pilot_on_a_seven_point_scale_is_fitted_on_that_scale():
    rng = np.random.default_rng(4)
    truth = LikertDesign("pilot", 0.3, 0.6, 0.4, 0.7, base=5.5, items=60, workers=20, scale=(1, 7))
    pilot = simulate_likert(truth, 0.0, rng, systems=SYSTEMS, criterion="quality")
    model = _likert_model(
        {"quality": (1, 7)}, pilot=validate_judgments(pilot, "likert", scale=(1, 7))
    )
    (fitted,) = model.criteria.values()
    assert 5.0 < fitted.base < 6.0
    assert _simulated(model, 0.5)[1]["score"].max() == 7


def test_a_binary_criterion_is_planned_in_shares_of_yes_through_the_reports_test():
    settings = ReportSettings(bradley_terry=False, binary_criteria=frozenset({"correct"}))
    spec = get("likert")
    model = spec.planning_model(
        pilot=None, criteria={"fluency": (1, 5), "correct": (0, 1)}, settings=settings
    )
    assert set(model.families) == {"fluency", "correct"}
    alone = _likert_model({"correct": (0, 1)})
    data = _simulated(alone, 0.15, items=3000)[1]
    yes = data.groupby("system")["score"].mean()
    assert set(data["score"]) == {0, 1}
    assert yes["S0"] - yes["S1"] == pytest.approx(0.15, abs=0.03)
    # the planner's decision on the binary criterion is the report's, on the same data
    decisions = []
    for seed in range(10):
        problem, data = _simulated(model, 0.8, items=25, seed=seed)
        report = build_report(data, "likert", settings)
        calibrated = report.results["criteria"]["correct"]["calibrated"]["pairs"]
        decisions.append(model.decide(problem, data)["correct"])
        assert decisions[-1] == planted_significant(calibrated, SYSTEMS)
    assert 0 < sum(decisions) < len(decisions)  # both outcomes were compared


def test_a_binary_criterion_of_a_pilot_is_fitted_not_left_out():
    rng = np.random.default_rng(6)
    design = LikertDesign("pilot", 0.1, 0.2, 0.1, 0.2, base=0.6, items=60, workers=20, scale=(0, 1))
    pilot = simulate_likert(design, 0.0, rng, systems=SYSTEMS, criterion="correct")
    model = _likert_model(None, pilot=validate_judgments(pilot, "likert"))
    assert model.families == ("correct",)


def test_a_share_of_yes_the_criterion_cannot_reach_is_refused_by_name():
    model = _likert_model({"correct": (0, 1)})
    with pytest.raises(ValueError, match="correct"):
        _simulated(model, 0.9)


def test_beside_a_rating_scale_a_binary_criterion_takes_the_same_fraction_of_its_scale():
    """0.6 points of a 1-5 scale is 15 points more yes."""
    model = _likert_model({"fluency": (1, 5), "correct": (0, 1)})
    data = _simulated(model, 0.6, items=3000)[1]
    yes = data[data["criterion"] == "correct"].groupby("system")["score"].mean()
    assert yes["S0"] - yes["S1"] == pytest.approx(0.15, abs=0.03)


def test_no_difference_on_a_binary_criterion_plants_none():
    data = _simulated(_likert_model({"correct": (0, 1)}), 0.0, items=3000)[1]
    yes = data.groupby("system")["score"].mean()
    assert abs(yes["S0"] - yes["S1"]) < 0.03


def test_a_pilot_holding_the_better_systems_yes_plans_the_other_systems_share():
    """A pilot of the campaign's systems already holds their difference: its share of yes
    is their mean, above the share of the systems that are not ahead. Planting the
    difference on top of that mean put every system nearer the top of the 0/1 scale, and
    the plan promised more power than the crowds gave; the plan keeps the pilot's mean
    over its systems instead, so it plants the shares that drew the pilot."""
    total = math.sqrt(0.1**2 + 0.2**2 + 0.1**2 + 0.2**2)
    base = 0.5 + total * stats.norm.ppf(0.61)  # 61 % yes; the first system 76 %
    ahead = 0.5 + total * stats.norm.ppf(0.76) - base
    truth = LikertDesign(
        "pilot", 0.1, 0.2, 0.1, 0.2, base=base, items=600, workers=60, scale=(0, 1)
    )
    pilot = simulate_likert(truth, ahead, np.random.default_rng(7), criterion="correct")
    drawn = pilot.groupby("system")["score"].mean()
    model = _likert_model(None, pilot=validate_judgments(pilot, "likert"))
    yes = _simulated(model, 0.15, items=4000)[1].groupby("system")["score"].mean()
    assert yes["S0"] - yes["S1"] == pytest.approx(0.15, abs=0.02)
    assert yes[["S1", "S2"]].mean() == pytest.approx(drawn[["S1", "S2"]].mean(), abs=0.02)
    assert yes.mean() == pytest.approx(drawn.mean(), abs=0.02)
