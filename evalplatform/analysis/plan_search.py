"""The planner's search (pure): the cheapest design whose simulated power reaches the target.

For each number of raters, the model's normal approximation guesses the items needed, then
simulation (``planning.simulated_power``) walks up or down by about 30 % until the target is
bracketed; the table holds every simulated design, the cheapest passing one is the plan.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

from evalplatform.analysis.planning import (
    MAX_ITEMS,
    RATERS,
    CostModel,
    Design,
    Plan,
    Power,
    Problem,
    Row,
    simulated_power,
)


def _round_up(items: int, step: int) -> int:
    return max(step, math.ceil(items / step) * step)


def row_for(problem: Problem, design: Design, cost: CostModel, power: Power) -> Row:
    n = problem.model.dialogues(design.items, len(problem.systems))
    hits = math.ceil(n / design.items_per_hit)
    assignments = hits * design.raters
    return Row(
        design=design,
        power=power,
        dialogues=n,
        hits=hits,
        assignments=assignments,
        cost=float(cost.design_cost(hits, design.raters)),
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
    step = max(1, problem.model.item_step(items_per_hit))
    items = _round_up(problem.model.guess_items(problem, raters), step)
    rows: dict[int, Row] = {}
    for _ in range(SEARCH_STEPS):
        design = Design(items, raters, items_per_hit)
        rows[items] = row_for(
            problem,
            design,
            cost,
            simulated_power(problem, design, sets=sets, seed=seed, early=True),
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
