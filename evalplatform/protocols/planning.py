"""The power planner's model of each built-in protocol (``analysis/planning.py``).

Each model simulates one data set of a design from its variance components, with the
smallest difference worth detecting planted on the first system, and runs it through the
protocol's default test exactly as the report calls it (``analysis/crowd_tests.py``: the
same function, the campaign's alpha and correction, the same family). The protocols'
``planning_model`` hooks build them, from a pilot or from the defaults below.

Defaults when there is no pilot are NOT published crowd data: they are the calibration
harness's designs (``benchmarks/calibration.py``), which follow the structure the statistics
issue measured on crowds (item, response, worker and noise effects). A plan from them says
so; fit a pilot for a real plan.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from evalplatform.analysis.ab import canonical_ab
from evalplatform.analysis.ab_components import AbComponents, ab_conditional_points, fit_ab
from evalplatform.analysis.crowd_simulation import (
    AbDesign,
    LikertDesign,
    simulate_ab,
    simulate_ggb,
    simulate_likert,
)
from evalplatform.analysis.crowd_tests import ab_crowd_tests, ggb_crowd_tests, likert_crowd_tests
from evalplatform.analysis.descriptive import infer_binary_criteria
from evalplatform.analysis.ggb_components import fit_ggb, ggb_latent_shift
from evalplatform.analysis.planning import (
    Design,
    PlanningModel,
    Problem,
    normal_items,
    planted_significant,
)
from evalplatform.analysis.variance_components import Components, fit_likert

DEFAULTS_CITATION = (
    "Not published crowd data: the calibration harness's designs in benchmarks/calibration.py "
    "(Likert 'response effect dominant', good/okay/bad 'context effect dominant', A/B "
    "'item lean dominant'). Fit a pilot for a real plan."
)
DEFAULT_LIKERT = Components(item_sd=0.3, response_sd=0.7, worker_sd=0.4, noise_sd=0.7, base=3.0)
DEFAULT_GGB = Components(item_sd=1.0, response_sd=0.3, worker_sd=0.3, noise_sd=0.7, base=0.0)
DEFAULT_AB = AbComponents(item_sd=1.0, worker_side_sd=0.3, tie=0.1)


@dataclass(frozen=True)
class LikertPlanning(PlanningModel):
    """Every criterion simulated with its own components; one call of the default test
    over all of them, so that a correction across all criteria is the report's too."""

    criteria: Mapping[str, Components]
    scale: tuple[int, int] = (1, 5)
    family: str = "criterion"  # the report's correction family: "criterion" or "all"
    source: str = "defaults"
    citation: str = DEFAULTS_CITATION
    unit: str = field(default="points on the scale", init=False)

    @classmethod
    def from_pilot(
        cls,
        pilot: pd.DataFrame | None,
        criteria: tuple[str, ...] | None,
        *,
        scale: tuple[int, int] = (1, 5),
        family: str = "criterion",
    ) -> LikertPlanning:
        """Components per scale criterion: fitted from ``pilot`` (its criteria among
        ``criteria`` when given, binary ones left out), else the defaults. A campaign
        with no scale criterion (``criteria`` empty) cannot be planned: binary criteria
        have no planning model yet."""
        if criteria is not None and not criteria:
            raise ValueError("The planner needs a scale criterion (binary ones: not yet).")
        if pilot is None:
            defaults = dict.fromkeys(criteria or ("quality",), DEFAULT_LIKERT)
            return cls(defaults, scale=scale, family=family)
        binary = infer_binary_criteria(pilot)
        names = pilot["criterion"].astype(str)
        keep = ~names.isin(binary) & (names.isin(criteria) if criteria else True)
        if not keep.any():
            wanted = ", ".join(criteria) if criteria else "a scale criterion"
            raise ValueError(f"the pilot has no ratings of {wanted} to fit")
        fitted = fit_likert(pilot[keep], scale)
        return cls(fitted, scale=scale, family=family, source="pilot", citation="")

    @property
    def families(self) -> tuple[str, ...]:
        return tuple(self.criteria)

    def simulate(
        self, problem: Problem, design: Design, workers: int, rng: np.random.Generator
    ) -> pd.DataFrame:
        frames = [
            simulate_likert(
                _likert_design(c, design, workers, self.scale),
                problem.difference,
                rng,
                systems=problem.systems,
                criterion=name,
            )
            for name, c in self.criteria.items()
        ]
        return pd.concat(frames, ignore_index=True)

    def decide(self, problem: Problem, data: pd.DataFrame) -> dict[str, bool]:
        blocks = likert_crowd_tests(
            data,
            problem.systems,
            correction=problem.correction,
            alpha=problem.alpha,
            family=self.family,
        )
        return {c: planted_significant(blocks[c]["pairs"], problem.systems) for c in self.criteria}

    def guess_items(self, problem: Problem, raters: int) -> int:
        c = max(self.criteria.values(), key=lambda v: v.response_sd + v.noise_sd)
        variance = 2 * c.response_sd**2 + 2 * (c.worker_sd**2 + c.noise_sd**2 + 1 / 12) / raters
        return normal_items(problem, raters, problem.difference, variance)

    def components(self) -> dict[str, dict[str, float]]:
        return {name: vars(c) for name, c in self.criteria.items()}


@dataclass(frozen=True)
class GgbPlanning(PlanningModel):
    """Each item's candidates sorted by every rater; the difference is in points of the
    0/1/2 label score, turned into a shift of the latent quality."""

    latent: Components = DEFAULT_GGB
    source: str = "defaults"
    citation: str = DEFAULTS_CITATION
    unit: str = field(default="points of the 0/1/2 label score", init=False)

    @classmethod
    def from_pilot(cls, pilot: pd.DataFrame | None) -> GgbPlanning:
        if pilot is None:
            return cls()
        scored = pilot[~pilot["is_gold"]] if "is_gold" in pilot.columns else pilot
        return cls(fit_ggb(scored), source="pilot", citation="")

    @property
    def families(self) -> tuple[str, ...]:
        return ("labels",)

    def simulate(
        self, problem: Problem, design: Design, workers: int, rng: np.random.Generator
    ) -> pd.DataFrame:
        shift = _ggb_shift(self.latent, problem.difference)
        d = _likert_design(self.latent, design, workers, (1, 5))
        return simulate_ggb(d, shift, rng, systems=problem.systems).assign(subset="all")

    def decide(self, problem: Problem, data: pd.DataFrame) -> dict[str, bool]:
        # One test set: its family and the overall one are the same test; run it once.
        block = ggb_crowd_tests(
            data, problem.systems, [], correction=problem.correction, alpha=problem.alpha
        )["overall"]
        return {"labels": planted_significant(block["pairs"], problem.systems)}

    def guess_items(self, problem: Problem, raters: int) -> int:
        c = self.latent
        variance = 2 * c.response_sd**2 + 2 * (c.worker_sd**2 + c.noise_sd**2 + 1 / 12) / raters
        effect = _ggb_shift(c, problem.difference)
        return normal_items(problem, raters, effect, variance)

    def components(self) -> dict[str, dict[str, float]]:
        return {"labels": vars(self.latent)}


@dataclass(frozen=True)
class AbPlanning(PlanningModel):
    """Every pair of systems on its own items; the difference is in percentage points of
    preference among non-ties, averaged over items (the win rate a reader sees)."""

    lean: AbComponents = DEFAULT_AB
    source: str = "defaults"
    citation: str = DEFAULTS_CITATION
    unit: str = field(default="percentage points of preference among non-ties", init=False)

    @classmethod
    def from_pilot(cls, pilot: pd.DataFrame | None, systems: list[str]) -> AbPlanning:
        if pilot is None:
            return cls()
        return cls(fit_ab(pilot, systems), source="pilot", citation="")

    @property
    def families(self) -> tuple[str, ...]:
        return ("preference",)

    def dialogues(self, items: int, n_systems: int) -> int:
        """A distinct set of dialogues per pair of systems."""
        return items * max(1, math.comb(n_systems, 2))

    def item_step(self, items_per_hit: int) -> int:
        return 1

    def simulate(
        self, problem: Problem, design: Design, workers: int, rng: np.random.Generator
    ) -> pd.DataFrame:
        c = self.lean
        d = AbDesign(
            "plan", c.item_sd, c.worker_side_sd, c.tie, design.items, design.raters, workers
        )
        points = ab_conditional_points(c, problem.difference)
        return simulate_ab(d, points, rng, systems=problem.systems)

    def decide(self, problem: Problem, data: pd.DataFrame) -> dict[str, bool]:
        block = ab_crowd_tests(
            canonical_ab(data, problem.systems),
            correction=problem.correction,
            alpha=problem.alpha,
        )
        return {"preference": planted_significant(block["pairs"], problem.systems)}

    def guess_items(self, problem: Problem, raters: int) -> int:
        c = self.lean
        decided = 1 - c.tie
        effect = decided * 2 * problem.difference / 100
        # the variance of 2 expit(N(0, sd)) - 1 is close to 1 - exp(-sd^2 / 3)
        variance = decided**2 * (1 - np.exp(-(c.item_sd**2) / 3)) + decided / raters
        return normal_items(problem, raters, effect, variance)

    def components(self) -> dict[str, dict[str, float]]:
        return {"preference": vars(self.lean)}


def _likert_design(
    c: Components, design: Design, workers: int, scale: tuple[int, int]
) -> LikertDesign:
    return LikertDesign(
        "plan",
        c.item_sd,
        c.response_sd,
        c.worker_sd,
        c.noise_sd,
        base=c.base,
        items=design.items,
        raters=design.raters,
        workers=workers,
        scale=scale,
    )


@lru_cache(maxsize=64)
def _ggb_shift(c: Components, difference: float) -> float:
    return ggb_latent_shift(c, difference)
