"""Planning a campaign (reads the ORM, writes nothing): the inputs of the power planner
(``analysis/planning.py``) gathered from a campaign, and the plan.

``plan_campaign`` is what the admin page, the API and the Celery task call;
``campaign_plan_inputs`` and ``plan_from`` let ``manage.py plan`` put its options on top of
a campaign's, or plan without one. A pilot is a tidy judgments frame (the ``analyze``
columns; ``reports.tidy.read_judgments`` reads an uploaded CSV); the protocol's planning
model fits its variance components. Without one the model uses its documented defaults.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

from evalplatform.analysis.plan_search import Progress, plan_designs
from evalplatform.analysis.planning import RATERS, CostModel, Design, Plan, Problem, Screen
from evalplatform.analysis.quality import quality_kept
from evalplatform.campaigns.models import Campaign
from evalplatform.campaigns.selectors import campaign_criterion_scales
from evalplatform.protocols.registry import ProtocolSpec, get
from evalplatform.providers.costs import Pay, design_cost
from evalplatform.reports.campaign_report import campaign_report_settings
from evalplatform.reports.config import ReportSettings
from evalplatform.reports.tidy import validate_judgments


class PlanError(ValueError):
    """The inputs cannot be planned; the message says what to change."""


@dataclass(frozen=True)
class PlanInputs:
    """Everything a plan needs besides the difference, the target and the simulation."""

    protocol: str
    systems: tuple[str, ...]  # empty: the pilot's
    # A campaign's rated criteria and their scales (binary: (0, 1)); None: no campaign.
    criteria: Mapping[str, tuple[int, int]] | None = None
    # The report's analysis settings: alpha, correction and its family.
    settings: ReportSettings = field(default_factory=ReportSettings)
    provider: str = "local"
    reward: Decimal = Decimal("1.00")
    bonus: Decimal = Decimal("0")
    masters: bool = False
    minutes_per_hit: float = 10.0
    items_per_hit: int = 10
    hits_per_worker: float = 2.0
    current: Design | None = None
    raters: tuple[int, ...] = field(default=RATERS)


def design_pricing(inputs: PlanInputs) -> Callable[[int, int], float]:
    """A design's cost (``hits``, ``raters`` a HIT) by the provider's own pricing rules: the
    estimate the campaign would show for that design (``providers/costs.py``)."""
    pay = Pay(inputs.reward, inputs.bonus, inputs.masters)
    try:
        design_cost(inputs.provider, pay, hits=0, assignments_per_hit=1)
    except ValueError as error:
        raise PlanError(str(error)) from None

    def cost(hits: int, raters: int) -> float:
        estimate = design_cost(inputs.provider, pay, hits=hits, assignments_per_hit=raters)
        return float(estimate.total)

    return cost


def campaign_plan_inputs(campaign: Campaign) -> PlanInputs:
    """The campaign's systems, rated criteria, analysis settings, pay and HIT shape."""
    systems = campaign.systems.order_by("entries__position").values_list("name", flat=True)
    pay = Pay.of(campaign)  # as the provider's estimate reads it
    return PlanInputs(
        protocol=str(campaign.protocol),
        systems=tuple(systems),
        criteria=campaign_criterion_scales(campaign),
        settings=campaign_report_settings(campaign),
        provider=str(campaign.provider),
        reward=pay.reward,
        bonus=pay.bonus,
        masters=pay.masters,
        minutes_per_hit=float(campaign.minutes_per_hit),
        items_per_hit=int(campaign.items_per_hit),
        current=Design(campaign.sample_size, campaign.assignments_per_hit, campaign.items_per_hit),
    )


def plan_campaign(
    campaign: Campaign,
    *,
    difference: float,
    target: float = 0.8,
    pilot: pd.DataFrame | None = None,
    sets: int = 200,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> Plan:
    """The campaign's plan: its current design's power and the cheapest design reaching
    ``target``. ``pilot`` (tidy judgments of this protocol, possibly of other systems) gives
    the variance components; ``progress(done, total)`` follows the simulated designs.
    Raises ``PlanError`` (or ``TidyError`` for a malformed pilot)."""
    return plan_from(
        campaign_plan_inputs(campaign),
        difference=difference,
        target=target,
        pilot=pilot,
        sets=sets,
        seed=seed,
        progress=progress,
    )


def plan_from(
    inputs: PlanInputs,
    *,
    difference: float,
    target: float = 0.8,
    pilot: pd.DataFrame | None = None,
    sets: int = 200,
    seed: int = 0,
    progress: Progress | None = None,
) -> Plan:
    problem = plan_problem(inputs, difference=difference, target=target, pilot=pilot)
    cost = CostModel(design_pricing(inputs), inputs.minutes_per_hit)
    return plan_designs(
        problem,
        cost,
        raters=inputs.raters,
        items_per_hit=inputs.items_per_hit,
        current=inputs.current,
        sets=sets,
        seed=seed,
        progress=progress,
    )


def plan_problem(
    inputs: PlanInputs, *, difference: float, target: float, pilot: pd.DataFrame | None
) -> Problem:
    """The planner's problem; the protocol supplies its model (``planning_model``)."""
    spec = get(inputs.protocol)
    systems = inputs.systems
    if pilot is not None:
        pilot = validate_judgments(pilot, inputs.protocol)
        systems = systems or tuple(spec.systems(pilot, inputs.settings))
    try:
        model = spec.planning_model(pilot=pilot, criteria=inputs.criteria, settings=inputs.settings)
    except ValueError as error:
        raise PlanError(str(error)) from None
    if len(systems) < 2:
        raise PlanError("A plan needs at least two systems.")
    problem = Problem(
        screen=report_filter(spec, inputs.settings),
        protocol=spec.name,
        model=model,
        systems=tuple(systems),
        difference=difference,
        alpha=inputs.settings.alpha,
        correction=inputs.settings.correction,
        target=target,
        hits_per_worker=inputs.hits_per_worker,
    )
    try:  # a difference the model cannot plant (a share of yes beyond 1) is refused now
        model.guess_items(problem, 1)
    except ValueError as error:
        raise PlanError(str(error)) from None
    return problem


def report_filter(spec: ProtocolSpec, settings: ReportSettings) -> Screen:
    """The report's quality filter (``build_report`` runs the same rules, through
    ``apply_quality_filter``) with these analysis settings' rules: the judgments it keeps
    of a simulated data set."""
    config = settings.quality_config

    def kept(data: pd.DataFrame) -> pd.DataFrame:
        return quality_kept(data, spec, config)

    return kept
