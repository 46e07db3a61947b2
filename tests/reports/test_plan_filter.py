"""The planner runs the report's quality filter, with the campaign's rules, on every
simulated data set before the default test."""

from __future__ import annotations

import numpy as np

from evalplatform.analysis.planning import Design, simulated_power
from evalplatform.reports.config import ReportSettings
from evalplatform.reports.planning import PlanInputs, plan_problem

# Rules strict enough to remove honest workers: anyone giving one answer to 40 % of
# three or more items, whatever the others answered.
STRICT = {
    "straightline_share": 0.4,
    "straightline_min_answers": 3,
    "straightline_against_crowd": False,
}


def _power(quality: dict) -> float:
    inputs = PlanInputs(
        protocol="likert",
        systems=("A", "B", "C"),
        criteria={"quality": (1, 5)},
        settings=ReportSettings(quality=quality),
    )
    problem = plan_problem(inputs, difference=0.6, target=0.8, pilot=None)
    return simulated_power(problem, Design(30, 3), sets=60, seed=4).estimate


def test_what_the_campaigns_filter_removes_is_lost_to_the_planned_power():
    # the same seeds draw the same data sets: only the filter differs
    assert _power(STRICT) < _power({}) - 0.05


def test_the_filter_is_the_reports_with_the_campaigns_rules():
    inputs = PlanInputs(
        protocol="likert",
        systems=("A", "B"),
        criteria={"quality": (1, 5)},
        settings=ReportSettings(quality=STRICT),
    )
    problem = plan_problem(inputs, difference=0.6, target=0.8, pilot=None)
    assert problem.screen is not None
    model = problem.model
    data = model.simulate(problem, Design(30, 3), 20, np.random.default_rng(1))
    kept = problem.screen(data)
    assert 0 < len(kept) < len(data)
