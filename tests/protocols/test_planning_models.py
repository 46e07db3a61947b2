"""The protocols' planning hooks: each built-in protocol gives the planner a model whose
decision on a simulated data set is the whole report's, and a protocol without one says so."""

from __future__ import annotations

import numpy as np
import pytest

from evalplatform.analysis.planning import Design, Problem, planted_significant, worker_pool
from evalplatform.protocols.likert import LikertProtocol
from evalplatform.protocols.registry import BUILTIN, ProtocolSpec, get
from evalplatform.reports.builder import build_report
from evalplatform.reports.config import ReportSettings

SYSTEMS = ("S0", "S1", "S2")
# A difference near the middle of the power curve at 20 items x 2 raters, so that both
# decisions occur among the data sets.
DIFFERENCE = {"likert": 0.5, "ab": 20.0, "ggb": 0.3}


@pytest.mark.parametrize("name", BUILTIN)
def test_without_a_pilot_the_model_uses_documented_defaults(name):
    model = get(name).planning_model(pilot=None, criteria=("fluency",), settings=ReportSettings())
    assert model.source == "defaults" and "Not published crowd data" in model.citation
    assert model.components() and model.unit


@pytest.mark.parametrize("name", BUILTIN)
def test_the_planners_decision_is_the_whole_reports_on_the_same_data(name):
    """The planner runs the protocol's default test as the report calls it: on simulated
    crowds its decision for the planted pair is the one ``build_report`` (validation,
    quality filter, default test, correction) reaches."""
    settings = ReportSettings(bradley_terry=False, correction="holm")
    spec = get(name)
    model = spec.planning_model(pilot=None, criteria=("quality",), settings=settings)
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
