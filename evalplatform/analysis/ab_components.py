"""A/B variance components (pure): the item lean and the workers' side preference.

The model is the simulator's (``crowd_simulation.simulate_ab``): a judgment of pair k on
item i by worker w prefers the pair's first system with probability
``expit(mu_k + lean_i + side * bias_w)`` (side +1 when that system is shown on the left),
or is a tie with probability ``tie``. The moment estimator matches, per pair of systems,
the agreement of two judgments of one item (the lean) and, over all judgments, the
agreement of two left/right choices of one worker (the side bias).

That estimator is biased: the side bias makes judgments of one item agree less, and the
item lean hides the side bias. Simulating the pilot's own layout from the estimate and
refitting measures the bias, and the estimate is corrected by it (iterated parametric
bootstrap, as ``variance_components.fit_calibrated`` does for ratings).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize

from evalplatform.analysis.ab import canonical_ab

_NODES, _WEIGHTS = np.polynomial.hermite_e.hermegauss(40)
_WEIGHTS = _WEIGHTS / _WEIGHTS.sum()
_MAX_SD = 10.0
_OUTCOME = {"win": 1.0, "loss": -1.0}


@dataclass(frozen=True)
class AbComponents:
    """A/B: logit-scale SDs of the item lean and of a worker's left-side preference."""

    item_sd: float
    worker_side_sd: float
    tie: float


@dataclass(frozen=True)
class AbLayout:
    """Who judged what in a pilot: one entry per judgment, as integer codes."""

    pair: np.ndarray
    item: np.ndarray  # distinct per pair of systems
    worker: np.ndarray
    first_left: np.ndarray  # +1 where the pair's first system was shown on the left, else -1

    @classmethod
    def from_tidy(cls, raw: pd.DataFrame, systems: Sequence[str]) -> tuple[AbLayout, np.ndarray]:
        """The layout and the outcomes (+1 first system preferred, -1 second, 0 tie or
        both bad) of tidy A/B rows, pairs read in the order of ``systems``."""
        canon = canonical_ab(raw, systems)
        first_left = np.where(raw["system_a"].astype(str).to_numpy() == canon["a"], 1.0, -1.0)
        layout = cls(
            pair=canon.groupby(["a", "b"], sort=False).ngroup().to_numpy(),
            item=canon.groupby(["a", "b", "item"], sort=False).ngroup().to_numpy(),
            worker=pd.factorize(canon["worker"])[0],
            first_left=first_left,
        )
        return layout, canon["outcome"].map(_OUTCOME).fillna(0.0).to_numpy(dtype=float)


def _outcome_mean(mu: float, sd: float) -> float:
    return float(_WEIGHTS @ (2 / (1 + np.exp(-(mu + sd * _NODES))) - 1))


def _location(mean: float, sd: float) -> float:
    """The logit location whose +-1 outcome has this mean under a N(0, sd) spread."""
    m = float(np.clip(mean, -0.98, 0.98))
    return float(optimize.brentq(lambda mu: _outcome_mean(mu, sd) - m, -40, 40))


def _square_moment(mean: float, sd: float) -> float:
    """E[x1 x2] of two outcomes sharing a N(0, sd) logit, given their mean."""
    p = 1 / (1 + np.exp(-(_location(mean, sd) + sd * _NODES)))
    return float(_WEIGHTS @ (2 * p - 1) ** 2)


def _products(groups: np.ndarray, x: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Per group: the sum of x_j x_k over pairs j < k, and the number of pairs."""
    n = np.bincount(groups, minlength=size).astype(float)
    s1 = np.bincount(groups, x, minlength=size)
    s2 = np.bincount(groups, x * x, minlength=size)
    return (s1 * s1 - s2) / 2, n * (n - 1) / 2


def _solve_sd(moment: Callable[[float], float], target: float) -> float:
    """The SD at which ``moment`` (increasing in the SD) reaches ``target``."""
    if target <= moment(0.0):
        return 0.0
    if target >= moment(_MAX_SD):
        return _MAX_SD
    return float(optimize.brentq(lambda sd: moment(sd) - target, 0.0, _MAX_SD))


def moment_fit(layout: AbLayout, outcome: np.ndarray) -> np.ndarray:
    """[item lean SD, side bias SD, tie share] by matching agreements (biased; see above)."""
    decided = outcome != 0
    x = outcome[decided]
    pair, item = layout.pair[decided], layout.item[decided]
    n_pairs = int(layout.pair.max()) + 1
    counts = np.bincount(pair, minlength=n_pairs).astype(float)
    means = np.bincount(pair, x, minlength=n_pairs) / np.maximum(counts, 1)
    products, pairs = _products(item, x, int(layout.item.max()) + 1)
    # every item belongs to one pair of systems: add its agreements to its pair's
    item_pair = np.zeros(int(layout.item.max()) + 1, dtype=int)
    item_pair[layout.item] = layout.pair
    agree = np.bincount(item_pair, products, minlength=n_pairs)
    count = np.bincount(item_pair, pairs, minlength=n_pairs)
    if count.sum() < 1:
        raise ValueError("the pilot needs at least two decided judgments of one item")
    used = count > 0

    def lean_moment(sd: float) -> float:
        return float(
            sum(c * _square_moment(m, sd) for c, m in zip(count[used], means[used], strict=True))
        )

    item_sd = _solve_sd(lean_moment, float(agree.sum()))
    left = x * layout.first_left[decided]  # +1: the left response was preferred
    w_products, w_pairs = _products(layout.worker[decided], left, int(layout.worker.max()) + 1)
    side_target = max(float(w_products.sum()) / max(float(w_pairs.sum()), 1.0), 0.0)
    side_sd = _solve_sd(lambda sd: _square_moment(0.0, sd), side_target)
    return np.array([item_sd, side_sd, 1.0 - decided.mean()])


def simulate_outcomes(
    layout: AbLayout, c: AbComponents, pair_means: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """New outcomes on the pilot's layout; each pair keeps its mean preference."""
    spread = float(np.hypot(c.item_sd, c.worker_side_sd))
    mu = np.array([_location(m, spread) for m in pair_means])
    lean = rng.normal(0, c.item_sd, int(layout.item.max()) + 1)
    bias = rng.normal(0, c.worker_side_sd, int(layout.worker.max()) + 1)
    logit = mu[layout.pair] + lean[layout.item] + layout.first_left * bias[layout.worker]
    first = rng.random(len(logit)) < 1 / (1 + np.exp(-logit))
    tie = rng.random(len(logit)) < c.tie
    return np.where(tie, 0.0, np.where(first, 1.0, -1.0))


def fit_ab(
    raw: pd.DataFrame,
    systems: Sequence[str],
    *,
    rounds: int = 3,
    replicates: int = 8,
    seed: int = 0,
) -> AbComponents:
    """A/B components of a tidy pilot, corrected for the moment estimator's bias (three
    rounds: one leaves a strong side bias half corrected) on the variances, as
    ``variance_components.variance_vector`` says why."""
    layout, outcome = AbLayout.from_tidy(raw, systems)
    observed = moment_fit(layout, outcome)
    decided = outcome != 0
    n_pairs = int(layout.pair.max()) + 1
    counts = np.bincount(layout.pair[decided], minlength=n_pairs).astype(float)
    sums = np.bincount(layout.pair[decided], outcome[decided], minlength=n_pairs)
    pair_means = sums / np.maximum(counts, 1.0)
    # corrected on the variances, which the power hangs on (``variance_vector``)
    target = observed[:2] ** 2
    current = target.copy()
    rng = np.random.default_rng(seed)
    for _ in range(rounds):
        item, side = (float(v) for v in np.sqrt(np.maximum(current, 0.0)))
        guess = AbComponents(item_sd=item, worker_side_sd=side, tie=float(observed[2]))
        refits = [
            moment_fit(layout, simulate_outcomes(layout, guess, pair_means, rng))[:2] ** 2
            for _ in range(replicates)
        ]
        current = current + (target - np.mean(refits, axis=0))
    item_sd, side_sd = (float(np.clip(np.sqrt(max(v, 0.0)), 0.0, _MAX_SD)) for v in current)
    return AbComponents(item_sd=item_sd, worker_side_sd=side_sd, tie=float(observed[2]))


def ab_conditional_points(c: AbComponents, points: float) -> float:
    """The simulator's preference (points above 50 % among non-ties for an item with no
    lean and a worker with no side bias) that gives ``points`` averaged over items and
    workers: the lean and the side bias pull every item's preference towards 50 %."""
    target = 2 * points / 100
    if not -1 < target < 1:
        raise ValueError(f"a preference difference in (-50, 50) points is needed, not {points}")
    spread = float(np.hypot(c.item_sd, c.worker_side_sd))
    mu = optimize.brentq(lambda m: _outcome_mean(m, spread) - target, -40, 40)
    return float(100 * (1 / (1 + np.exp(-mu)) - 0.5))
