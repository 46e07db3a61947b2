"""Power planning by simulation (pure): how many items and raters a comparison needs.

A protocol's ``PlanningModel`` (built by its ``ProtocolSpec.planning_model``; variance
components fitted from a pilot or documented defaults) draws one simulated data set of a
design, with the smallest difference worth detecting planted on the first system (every
other system equal to the second), and runs it through the protocol's default test with
the report's correction; it says, per family of comparisons, whether the planted pair came
out significant. Power is the share of simulated data sets in which it did; with several
families (Likert criteria) a design reaches the target when every family does, so the
weakest family's power is the design's.

The search for the cheapest design is in ``plan_search``. Each design's data sets are
drawn from a seed of its own (``seed``, items, raters), so a plan is repeatable.

Before the test, every simulated data set goes through ``Problem.screen``: the report's
quality filter with the campaign's rules (``reports/planning.report_filter``), so that
whatever it removes from honest crowds is lost to the power as it will be in the report.
The simulated workers are honest; the rules that need answer times (rushing) or gold items
(bonus points) find no such columns and are skipped, as the report skips them on data
without them. Not simulated either: the HIT shape's effect on which workers rate what
(raters are drawn per response from a pool sized by ``hits_per_worker``); the HIT shape
sets cost and hours only.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from evalplatform.analysis.significance import Correction

RATERS = (1, 2, 3, 5)
MAX_ITEMS = 2000
# The judgments the report's quality filter keeps of a data set (the filter, bound to the
# protocol and the campaign's rules).
Screen = Callable[[pd.DataFrame], pd.DataFrame]


@dataclass(frozen=True)
class Problem:
    """What to plan: ``difference`` in the model's unit (``model.unit``)."""

    protocol: str  # the protocol's name, for the plan's words only
    model: PlanningModel
    systems: tuple[str, ...]
    difference: float
    alpha: float = 0.05
    correction: Correction = "holm"
    target: float = 0.8
    hits_per_worker: float = 2.0
    screen: Screen | None = field(default=None, compare=False)  # None: nothing filtered


class PlanningModel(ABC):
    """How one protocol's crowd data are simulated and tested, for the planner."""

    unit: str  # the words of the difference, e.g. "points on the scale"
    source: str = "defaults"  # where the variance components come from: pilot or defaults
    citation: str = ""  # for documented defaults: where they come from

    @property
    @abstractmethod
    def families(self) -> tuple[str, ...]:
        """The families whose power must each reach the target (Likert: criteria)."""

    @abstractmethod
    def simulate(
        self, problem: Problem, design: Design, workers: int, rng: np.random.Generator
    ) -> pd.DataFrame:
        """One simulated data set of ``design`` (tidy judgments, the protocol's columns)
        with the difference planted, raters drawn from a pool of ``workers``."""

    @abstractmethod
    def decide(self, problem: Problem, data: pd.DataFrame) -> dict[str, bool]:
        """The default test on ``data``: per family, whether the planted pair is
        significant after the correction."""

    def one_set(
        self, problem: Problem, design: Design, workers: int, rng: np.random.Generator
    ) -> dict[str, bool]:
        """One simulated data set through the report's analysis: filter, then test."""
        data = self.simulate(problem, design, workers, rng)
        if problem.screen is not None:
            data = problem.screen(data)
        return self.decide(problem, data)

    @abstractmethod
    def guess_items(self, problem: Problem, raters: int) -> int:
        """Items a normal approximation needs: a starting point for the search."""

    @abstractmethod
    def components(self) -> dict[str, dict[str, float]]:
        """The variance components per family, JSON-ready."""

    def dialogues(self, items: int, n_systems: int) -> int:
        """Distinct contexts a design of ``items`` needs."""
        return items

    def item_step(self, items_per_hit: int) -> int:
        """Items move in steps of this (whole HITs where an item fills one place)."""
        return items_per_hit


def normal_items(problem: Problem, raters: int, effect: float, variance: float) -> int:
    """The paired test's normal approximation (Bonferroni over the family's pairs) for a
    per-item difference of mean ``effect`` and ``variance``, clipped to the search range."""
    m = math.comb(len(problem.systems), 2)
    z = stats.norm.ppf(1 - problem.alpha / (2 * m)) + stats.norm.ppf(problem.target)
    return int(np.clip(math.ceil(variance * (z / effect) ** 2) + 2, 4, MAX_ITEMS))


@dataclass(frozen=True)
class Design:
    items: int  # contexts per system (likert, ggb) or per pair of systems (ab)
    raters: int  # assignments per HIT: judgments of each response
    items_per_hit: int = 10


@dataclass(frozen=True)
class CostModel:
    """``design_cost(hits, raters)``: what ``hits`` HITs of ``raters`` assignments each cost,
    fees and bonus included (the provider's pricing: ``providers/costs.design_cost``).
    ``minutes_per_hit``: expected work per assignment."""

    design_cost: Callable[[int, int], float]
    minutes_per_hit: float


@dataclass(frozen=True)
class Power:
    hits: int
    sets: int
    by_criterion: Mapping[str, float]

    @property
    def estimate(self) -> float:
        return self.hits / self.sets

    def interval(self) -> tuple[float, float]:
        """Wilson 95 % interval of the Monte-Carlo estimate."""
        ci = stats.binomtest(self.hits, self.sets).proportion_ci(0.95, method="wilson")
        return float(ci.low), float(ci.high)


@dataclass(frozen=True)
class Row:
    design: Design
    power: Power
    dialogues: int
    hits: int
    assignments: int
    cost: float
    hours: float

    def as_dict(self) -> dict[str, object]:
        low, high = self.power.interval()
        return {
            "items": self.design.items,
            "raters": self.design.raters,
            "items_per_hit": self.design.items_per_hit,
            "power": round(self.power.estimate, 4),
            "power_interval95": [round(low, 4), round(high, 4)],
            "power_by_criterion": {k: round(v, 4) for k, v in self.power.by_criterion.items()},
            "simulated_sets": self.power.sets,
            "dialogues": self.dialogues,
            "hits": self.hits,
            "assignments": self.assignments,
            "cost": round(self.cost, 2),
            "hours": round(self.hours, 2),
        }


@dataclass(frozen=True)
class Plan:
    problem: Problem
    rows: list[Row]
    cheapest: Row | None
    current: Row | None
    sets: int = 200
    seed: int = 0

    def to_dict(self) -> dict[str, object]:
        """JSON-ready: the inputs (components with their source), every simulated design,
        the current design and the cheapest design reaching the target (or None)."""
        p = self.problem
        return {
            "inputs": {
                "protocol": p.protocol,
                "systems": list(p.systems),
                "criteria": list(p.model.families),
                "difference": p.difference,
                "unit": p.model.unit,
                "target": p.target,
                "alpha": p.alpha,
                "correction": p.correction,
                "seed": self.seed,
                "sets": self.sets,
                "hits_per_worker": p.hits_per_worker,
                "components": {
                    "source": p.model.source,
                    "citation": p.model.citation,
                    "values": p.model.components(),
                },
            },
            "rows": [r.as_dict() for r in self.rows],
            "current": self.current.as_dict() if self.current else None,
            "cheapest": self.cheapest.as_dict() if self.cheapest else None,
        }


def worker_pool(problem: Problem, design: Design) -> int:
    dialogues = problem.model.dialogues(design.items, len(problem.systems))
    hits = math.ceil(dialogues / design.items_per_hit)
    workers = math.ceil(hits * design.raters / problem.hits_per_worker)
    return max(workers, design.raters + 1)


def planted_significant(pairs: Sequence[Mapping[str, object]], systems: Sequence[str]) -> bool:
    """Whether the planted pair (the first two systems, in either order) is significant."""
    return any({p["a"], p["b"]} == {systems[0], systems[1]} and p["significant"] for p in pairs)


EARLY_BATCH = 50  # a searched design is looked at after every this many data sets


def simulated_power(
    problem: Problem, design: Design, *, sets: int = 200, seed: int = 0, early: bool = False
) -> Power:
    """Power of ``design``; with several families, the weakest family's.

    ``early``: stop before ``sets`` once the design is clearly on one side of the target
    (the 99 % Wilson interval of the estimate, looked at every ``EARLY_BATCH`` sets,
    excludes it). The search needs only the side of a design far from the target, and a
    plan takes about a third less time; the row says how many sets it got.
    """
    model = problem.model
    rng = np.random.default_rng([seed, design.items, design.raters])
    workers = worker_pool(problem, design)
    hits = dict.fromkeys(model.families, 0)
    done = 0
    while done < sets:
        for family, significant in model.one_set(problem, design, workers, rng).items():
            hits[family] += bool(significant)
        done += 1
        if early and done % EARLY_BATCH == 0 and _clear(min(hits.values()), done, problem):
            break
    weakest = min(hits.values())
    return Power(weakest, done, {k: v / done for k, v in hits.items()})


def _clear(hits: int, sets: int, problem: Problem) -> bool:
    ci = stats.binomtest(hits, sets).proportion_ci(0.99, method="wilson")
    return not ci.low <= problem.target <= ci.high


__all__ = [
    "RATERS",
    "CostModel",
    "Design",
    "Plan",
    "PlanningModel",
    "Power",
    "Problem",
    "Row",
    "Screen",
    "normal_items",
    "planted_significant",
    "simulated_power",
]
