"""Power planning by simulation (pure): how many items and raters a comparison needs.

Given a protocol, its systems, the variance components of its ratings (fitted from a pilot
by ``variance_components`` or the documented defaults below) and the smallest difference
worth detecting, the power of a design is estimated by simulating crowds
(``crowd_simulation``) and running each through the default test the report runs
(``crowd_tests``: the same functions, correction across the family included). Power is the
share of simulated data sets in which the planted pair (the first system, better by the
difference, against the second; every other system equal to the second) is significant
after the correction. For Likert every criterion is its own family; a design reaches the
target when every criterion does.

The search: for each number of raters, a normal approximation guesses the items needed,
then simulation walks up or down by about 30 % until the target is bracketed; the table
holds every simulated design, the cheapest passing one is the plan. Each design's data
sets are drawn from a seed of its own (``seed``, items, raters), so a plan is repeatable.

Not simulated yet: the quality filter (honest simulated workers are almost never removed)
and the HIT shape's effect on which workers rate what (raters are drawn per response from a
pool sized by ``hits_per_worker``); the HIT shape sets cost and hours only.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import stats

from evalplatform.analysis.ab import canonical_ab
from evalplatform.analysis.crowd_simulation import (
    AbDesign,
    LikertDesign,
    simulate_ab,
    simulate_ggb,
    simulate_likert,
)
from evalplatform.analysis.crowd_tests import ab_crowd_tests, ggb_crowd_tests, likert_crowd_tests
from evalplatform.analysis.significance import Correction
from evalplatform.analysis.variance_components import (
    AbComponents,
    Components,
    ggb_latent_shift,
)

# Defaults when there is no pilot. They are NOT published crowd data: they are the
# calibration harness's "response effect dominant" Likert design (the design of the
# statistics issue, benchmarks/calibration.py), its "context effect dominant" good/okay/bad
# design and its "item lean dominant" A/B design. Fit a pilot for a real plan.
DEFAULT_LIKERT = Components(item_sd=0.3, response_sd=0.7, worker_sd=0.4, noise_sd=0.7, base=3.0)
DEFAULT_GGB = Components(item_sd=1.0, response_sd=0.3, worker_sd=0.3, noise_sd=0.7, base=0.0)
DEFAULT_AB = AbComponents(item_sd=1.0, worker_side_sd=0.3, tie=0.1)
RATERS = (1, 2, 3, 5)
MAX_ITEMS = 2000


@dataclass(frozen=True)
class Problem:
    """What to plan: ``difference`` is in points of the scale (likert), percentage points
    of preference among non-ties (ab), or points of the 0/1/2 label score (ggb: 0.1 is a
    tenth of the labels moving one step up)."""

    protocol: str
    systems: tuple[str, ...]
    difference: float
    likert: Mapping[str, Components] = field(default_factory=lambda: {"quality": DEFAULT_LIKERT})
    ggb: Components = DEFAULT_GGB
    ab: AbComponents = DEFAULT_AB
    alpha: float = 0.05
    correction: Correction = "holm"
    target: float = 0.8
    hits_per_worker: float = 2.0
    scale: tuple[int, int] = (1, 5)
    criteria: tuple[str, ...] = ()
    unit: str = "points"
    source: str = "defaults"  # where the components come from: "pilot" or "defaults"
    citation: str = ""


@dataclass(frozen=True)
class Design:
    items: int  # contexts per system (likert, ggb) or per pair of systems (ab)
    raters: int  # assignments per HIT: judgments of each response
    items_per_hit: int = 10


@dataclass(frozen=True)
class CostModel:
    """``per_assignment(raters)``: the cost of one assignment, fees and bonus included (fees
    may depend on the assignments per HIT). ``minutes_per_hit``: expected work per
    assignment."""

    per_assignment: Callable[[int], float]
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
                "criteria": list(p.criteria),
                "difference": p.difference,
                "unit": p.unit,
                "target": p.target,
                "alpha": p.alpha,
                "correction": p.correction,
                "seed": self.seed,
                "sets": self.sets,
                "hits_per_worker": p.hits_per_worker,
                "components": {
                    "source": p.source,
                    "citation": p.citation,
                    "values": _components(p),
                },
            },
            "rows": [r.as_dict() for r in self.rows],
            "current": self.current.as_dict() if self.current else None,
            "cheapest": self.cheapest.as_dict() if self.cheapest else None,
        }


def _components(p: Problem) -> dict[str, dict[str, float]]:
    if p.protocol == "ab":
        return {"pairs": vars(p.ab)}
    if p.protocol == "ggb":
        return {"overall": vars(p.ggb)}
    return {name: vars(c) for name, c in p.likert.items()}


def dialogues(protocol: str, items: int, n_systems: int) -> int:
    """Distinct contexts a design needs: A/B gives every pair of systems its own."""
    return items * math.comb(n_systems, 2) if protocol == "ab" else items


def worker_pool(problem: Problem, design: Design) -> int:
    hits = math.ceil(
        dialogues(problem.protocol, design.items, len(problem.systems)) / design.items_per_hit
    )
    workers = math.ceil(hits * design.raters / problem.hits_per_worker)
    return max(workers, design.raters + 1)


def _planted(block_pairs: list[dict], systems: Sequence[str]) -> bool:
    a, b = systems[0], systems[1]
    return any(p["a"] == a and p["b"] == b and p["significant"] for p in block_pairs)


def one_likert_set(
    problem: Problem, c: Components, design: Design, rng: np.random.Generator
) -> bool:
    d = LikertDesign(
        "plan",
        c.item_sd,
        c.response_sd,
        c.worker_sd,
        c.noise_sd,
        base=c.base,
        items=design.items,
        raters=design.raters,
        workers=worker_pool(problem, design),
        scale=problem.scale,
    )
    df = simulate_likert(d, problem.difference, rng, systems=problem.systems)
    block = likert_crowd_tests(
        df, problem.systems, correction=problem.correction, alpha=problem.alpha
    )["quality"]
    return _planted(block["pairs"], problem.systems)


def one_ggb_set(problem: Problem, shift: float, design: Design, rng: np.random.Generator) -> bool:
    c = problem.ggb
    d = LikertDesign(
        "plan",
        c.item_sd,
        c.response_sd,
        c.worker_sd,
        c.noise_sd,
        base=c.base,
        items=design.items,
        raters=design.raters,
        workers=worker_pool(problem, design),
    )
    df = simulate_ggb(d, shift, rng, systems=problem.systems).assign(subset="all")
    block = ggb_crowd_tests(
        df, problem.systems, ["all"], correction=problem.correction, alpha=problem.alpha
    )["overall"]
    return _planted(block["pairs"], problem.systems)


def one_ab_set(problem: Problem, design: Design, rng: np.random.Generator) -> bool:
    c = problem.ab
    d = AbDesign(
        "plan",
        c.item_sd,
        c.worker_side_sd,
        tie=c.tie,
        items=design.items,
        raters=design.raters,
        workers=worker_pool(problem, design),
    )
    df = simulate_ab(d, problem.difference, rng, systems=problem.systems)
    block = ab_crowd_tests(
        canonical_ab(df, problem.systems), correction=problem.correction, alpha=problem.alpha
    )
    return _planted(block["pairs"], problem.systems)


def _likert_runner(
    problem: Problem, c: Components
) -> Callable[[Design, np.random.Generator], bool]:
    return lambda design, rng: one_likert_set(problem, c, design, rng)


def set_runners(problem: Problem) -> dict[str, Callable[[Design, np.random.Generator], bool]]:
    """One simulate-and-test function per family whose power must reach the target."""
    if problem.protocol == "likert":
        return {name: _likert_runner(problem, c) for name, c in problem.likert.items()}
    if problem.protocol == "ggb":
        shift = ggb_latent_shift(problem.ggb, problem.difference)
        return {"overall": lambda design, rng: one_ggb_set(problem, shift, design, rng)}
    if problem.protocol == "ab":
        return {"pairs": lambda design, rng: one_ab_set(problem, design, rng)}
    raise ValueError(f"unknown protocol {problem.protocol!r}")


def simulated_power(problem: Problem, design: Design, *, sets: int = 200, seed: int = 0) -> Power:
    """Power of ``design``; with several families, the weakest family's."""
    by_family = {}
    for k, (name, run) in enumerate(set_runners(problem).items()):
        rng = np.random.default_rng([seed, k, design.items, design.raters])
        by_family[name] = sum(run(design, rng) for _ in range(sets))
    weakest = min(by_family.values())
    return Power(weakest, sets, {k: v / sets for k, v in by_family.items()})


def _noisiest(components: Iterable[Components]) -> Components:
    return max(components, key=lambda v: v.response_sd + v.noise_sd)


def guess_items(problem: Problem, raters: int) -> int:
    """Items a normal approximation needs (paired test, Bonferroni over the family): a
    starting point for the simulated search, not a result."""
    m = math.comb(len(problem.systems), 2)
    z = stats.norm.ppf(1 - problem.alpha / (2 * m)) + stats.norm.ppf(problem.target)
    if problem.protocol == "ab":
        decided = 1 - problem.ab.tie
        effect = decided * 2 * problem.difference / 100
        # the variance of 2 expit(N(0, sd)) - 1 is close to 1 - exp(-sd^2 / 3)
        variance = decided**2 * (1 - np.exp(-(problem.ab.item_sd**2) / 3)) + decided / raters
    else:
        c = problem.ggb if problem.protocol == "ggb" else _noisiest(problem.likert.values())
        effect = (
            ggb_latent_shift(c, problem.difference)
            if problem.protocol == "ggb"
            else problem.difference
        )
        variance = 2 * c.response_sd**2 + 2 * (c.worker_sd**2 + c.noise_sd**2 + 1 / 12) / raters
    return int(np.clip(math.ceil(variance * (z / effect) ** 2) + 2, 4, MAX_ITEMS))


def _round_up(items: int, step: int) -> int:
    return max(step, math.ceil(items / step) * step)


def row_for(problem: Problem, design: Design, cost: CostModel, power: Power) -> Row:
    n = dialogues(problem.protocol, design.items, len(problem.systems))
    hits = math.ceil(n / design.items_per_hit)
    assignments = hits * design.raters
    return Row(
        design=design,
        power=power,
        dialogues=n,
        hits=hits,
        assignments=assignments,
        cost=assignments * float(cost.per_assignment(design.raters)),
        hours=assignments * cost.minutes_per_hit / 60,
    )


SEARCH_STEPS = 8
Progress = Callable[[int, int], None]


def search_raters(
    problem: Problem,
    raters: int,
    items_per_hit: int,
    cost: CostModel,
    *,
    sets: int,
    seed: int,
    tick: Callable[[], None] = lambda: None,
) -> list[Row]:
    """Walk items up or down by ~30 % from the guess until the target is bracketed;
    ``tick`` is called after each simulated design."""
    step = max(1, items_per_hit if problem.protocol != "ab" else 1)
    items = _round_up(guess_items(problem, raters), step)
    rows: dict[int, Row] = {}
    for _ in range(SEARCH_STEPS):
        design = Design(items, raters, items_per_hit)
        rows[items] = row_for(
            problem, design, cost, simulated_power(problem, design, sets=sets, seed=seed)
        )
        tick()
        passing = [n for n, r in rows.items() if r.power.estimate >= problem.target]
        failing = [n for n, r in rows.items() if r.power.estimate < problem.target]
        if passing and ((failing and max(failing) < min(passing)) or min(passing) <= step):
            below = [n for n in failing if n < min(passing)]
            if below and min(passing) - max(below) > step and min(passing) > 1.15 * max(below):
                items = _round_up((min(passing) + max(below)) // 2, step)
                if items not in rows:
                    continue
            break
        nxt = math.ceil(items * 1.3) if not passing else math.floor(items / 1.3)
        items = int(np.clip(_round_up(nxt, step), step, MAX_ITEMS))
        if items in rows:
            break
    return sorted(rows.values(), key=lambda r: r.design.items)


def plan_designs(
    problem: Problem,
    cost: CostModel,
    *,
    raters: Sequence[int] = RATERS,
    items_per_hit: int = 10,
    current: Design | None = None,
    sets: int = 200,
    seed: int = 0,
    progress: Progress | None = None,
) -> Plan:
    """Every simulated design, and the cheapest whose estimated power reaches the target.

    ``progress(done, total)`` is called after each simulated design: ``total`` is an upper
    bound (each search stops early once the target is bracketed), so it shrinks towards
    ``done`` as searches finish, and the last call has ``done == total``.
    """
    counter = _Counter(len(raters) * SEARCH_STEPS + (current is not None), progress)
    rows: list[Row] = []
    for r in raters:
        before = counter.done
        rows += search_raters(
            problem, r, items_per_hit, cost, sets=sets, seed=seed, tick=counter.tick
        )
        counter.total -= SEARCH_STEPS - (counter.done - before)
    now = None
    if current is not None:
        now = row_for(
            problem, current, cost, simulated_power(problem, current, sets=sets, seed=seed)
        )
        counter.tick()
    counter.finish()
    passing = [r for r in rows if r.power.estimate >= problem.target]
    cheapest = min(passing, key=lambda r: (r.cost, r.hours, r.design.items)) if passing else None
    return Plan(problem, rows, cheapest, now, sets=sets, seed=seed)


class _Counter:
    def __init__(self, total: int, progress: Progress | None) -> None:
        self.done, self.total, self.progress = 0, total, progress

    def tick(self) -> None:
        self.done += 1
        self._report(max(self.total, self.done))

    def finish(self) -> None:
        if self.total != self.done:
            self.total = self.done
            self._report(self.done)

    def _report(self, total: int) -> None:
        if self.progress is not None:
            self.progress(self.done, total)


__all__ = [
    "DEFAULT_AB",
    "DEFAULT_GGB",
    "DEFAULT_LIKERT",
    "CostModel",
    "Design",
    "Plan",
    "Power",
    "Problem",
    "Row",
    "plan_designs",
    "simulated_power",
]
