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
from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import stats

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
from evalplatform.analysis.variance_components import Components, fit_calibrated
from evalplatform.protocols.differences import BINARY, Scale, difference_share

DEFAULTS_CITATION = (
    "Not published crowd data: the calibration harness's designs in benchmarks/calibration.py "
    "(Likert 'response effect dominant', good/okay/bad 'context effect dominant', A/B "
    "'item lean dominant'). Fit a pilot for a real plan."
)
DEFAULT_LIKERT = Components(item_sd=0.3, response_sd=0.7, worker_sd=0.4, noise_sd=0.7, base=3.0)
DEFAULT_GGB = Components(item_sd=1.0, response_sd=0.3, worker_sd=0.3, noise_sd=0.7, base=0.0)
DEFAULT_AB = AbComponents(item_sd=1.0, worker_side_sd=0.3, tie=0.1)


PILOT_SCALE: Scale = (1, 5)  # a pilot without a campaign: 1-5 unless its scores go beyond


@dataclass(frozen=True)
class LikertPlanning(PlanningModel):
    """Every criterion simulated with its own components on its own scale; one call of the
    default test over all of them, so that a correction across all criteria is the
    report's too.

    A scale criterion's difference is a shift of its latent score, in points of its scale.
    A binary (yes/no) criterion is a latent score cut at one half (``scale`` (0, 1)); its
    latent scale is not identified by 0/1 answers, so its difference is a share of yes
    (``protocols.differences``: 0.5 points beside a 1-5 scale are 12.5 points more yes),
    turned into the latent shift that gives it.
    Both kinds go through the report's default test on the scores (``likert_crowd_tests``)."""

    criteria: Mapping[str, Components]
    scales: Mapping[str, Scale] = field(default_factory=dict)  # a criterion's; default 1-5
    family: str = "criterion"  # the report's correction family: "criterion" or "all"
    source: str = "defaults"
    citation: str = DEFAULTS_CITATION
    unit: str = field(default="points on the scale", init=False)

    @classmethod
    def from_pilot(
        cls,
        pilot: pd.DataFrame | None,
        criteria: Mapping[str, Scale] | None,
        *,
        family: str = "criterion",
    ) -> LikertPlanning:
        """Components per criterion on its scale (``criteria``: the campaign's, binary
        ones (0, 1)): fitted from ``pilot`` (its criteria among ``criteria`` when given),
        else the defaults stretched to each scale. Without a campaign the pilot's criteria
        are planned: binary where all answers are 0/1 with a 0, else 1-5 (or wider where
        its scores go beyond)."""
        if criteria is not None and not criteria:
            raise ValueError("The planner needs a criterion to plan.")
        if pilot is None:
            scales = dict(criteria or {"quality": PILOT_SCALE})
            defaults = {name: default_likert(scale) for name, scale in scales.items()}
            return cls(defaults, scales, family=family)
        names = pilot["criterion"].astype(str)
        keep = names.isin(list(criteria)) if criteria else names.notna()
        if not keep.any():
            wanted = ", ".join(criteria) if criteria else "a criterion"
            raise ValueError(f"the pilot has no ratings of {wanted} to fit")
        rated = pilot[keep]
        scales = dict(criteria) if criteria else pilot_scales(rated)
        fitted = {
            str(name): fit_calibrated(rows, scales[str(name)])
            for name, rows in rated.groupby("criterion", sort=False, observed=True)
        }
        return cls(fitted, scales, family=family, source="pilot", citation="")

    @property
    def families(self) -> tuple[str, ...]:
        return tuple(self.criteria)

    def scale(self, criterion: str) -> Scale:
        return self.scales.get(criterion, PILOT_SCALE)

    def planted(self, criterion: str, difference: float, n_systems: int) -> tuple[float, float]:
        """The latent base of the systems not ahead and the shift planted on the first one
        for ``difference``.

        A yes/no criterion keeps the criterion's share of yes (a pilot's: the mean over its
        systems) as the mean over the planned systems: a pilot of the campaign's systems
        holds their difference already, and planting it on top of the pilot's mean put
        every system nearer the top of the 0/1 scale, where a difference is easier to
        see (a plan of more power than the crowds gave)."""
        c = self.criteria[criterion]
        if self.scale(criterion) != BINARY:
            return c.base, difference
        scales = {name: self.scale(name) for name in self.criteria}
        share = difference * difference_share(BINARY, scales)
        return _binary_plant(c, share, n_systems, criterion)

    def simulate(
        self, problem: Problem, design: Design, workers: int, rng: np.random.Generator
    ) -> pd.DataFrame:
        frames = []
        for name, c in self.criteria.items():
            base, shift = self.planted(name, problem.difference, len(problem.systems))
            frames.append(
                simulate_likert(
                    _likert_design(replace(c, base=base), design, workers, self.scale(name)),
                    shift,
                    rng,
                    systems=problem.systems,
                    criterion=name,
                )
            )
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
        def needed(name: str, c: Components) -> int:
            # dichotomising a normal latent at its middle costs about pi/2 in variance
            binary = self.scale(name) == BINARY
            loss, rounding = (math.pi / 2, 0.0) if binary else (1.0, 1 / 12)
            noise = (c.worker_sd**2 + c.noise_sd**2 + rounding) / raters
            variance = loss * (2 * c.response_sd**2 + 2 * noise)
            shift = self.planted(name, problem.difference, len(problem.systems))[1]
            return normal_items(problem, raters, shift, variance)

        return max(needed(name, c) for name, c in self.criteria.items())

    def components(self) -> dict[str, dict[str, float]]:
        return {
            name: {**vars(c), "scale_min": self.scale(name)[0], "scale_max": self.scale(name)[1]}
            for name, c in self.criteria.items()
        }


def default_likert(scale: Scale) -> Components:
    """The Likert defaults (a 1-5 scale) stretched to ``scale``, centred on its middle."""
    low, high = scale
    stretch = (high - low) / 4
    d = DEFAULT_LIKERT
    return Components(
        d.item_sd * stretch,
        d.response_sd * stretch,
        d.worker_sd * stretch,
        d.noise_sd * stretch,
        base=(low + high) / 2,
    )


def pilot_scales(pilot: pd.DataFrame) -> dict[str, Scale]:
    """Each criterion's scale read from a pilot without a campaign."""
    binary = infer_binary_criteria(pilot)
    scores = pilot.groupby(pilot["criterion"].astype(str), sort=False)["score"]
    return {
        str(name): BINARY
        if name in binary
        else (min(PILOT_SCALE[0], int(s.min())), max(PILOT_SCALE[1], int(s.max())))
        for name, s in scores
    }


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


@lru_cache(maxsize=64)
def _binary_plant(
    c: Components, share: float, n_systems: int, criterion: str
) -> tuple[float, float]:
    """The latent base and shift that put the first system ``share`` more yes (latent at
    or above one half) than the others, the mean share over ``n_systems`` staying the
    criterion's own."""
    if share == 0:
        return c.base, 0.0
    total = math.sqrt(c.item_sd**2 + c.response_sd**2 + c.worker_sd**2 + c.noise_sd**2)
    total = max(total, 1e-6)
    start = float(stats.norm.sf(0.5, c.base, total))
    low = start - share / n_systems
    most = min(start * n_systems, (1 - start) * n_systems / max(n_systems - 1, 1))
    if not 0 < share < most:
        raise ValueError(
            f"criterion {criterion!r}: a difference in shares of yes in [0, {most:.2f}) "
            f"is needed (its share of yes is {start:.2f}), not {share:g}"
        )
    base = 0.5 + total * float(stats.norm.ppf(low))
    return base, 0.5 + total * float(stats.norm.ppf(low + share)) - base
