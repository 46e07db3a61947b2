"""Variance components of crowd ratings, fitted by the method of moments (pure).

The model is the one the default test is built for and the simulator draws from
(``crowd_simulation``): score = base + system + item + response (item x system) + worker
bias + noise. The estimator compares pairs of ratings (a Henderson-type ANOVA estimator
written with half mean squared differences): with the system means removed,

- same response, different workers:            worker + noise
- same item, different systems and workers:    response + worker + noise
- same worker, different items:                item + response + noise
- different items and workers:                 item + response + worker + noise

and solves these four equations. Every sum over pairs is computed from group sums
(``n * sum(y^2) - sum(y)^2`` per group), so a pilot of a million ratings costs a second.
Rounding to integer scores adds about 1/12 to the noise variance (Sheppard's correction),
which is taken off. Negative estimates are set to 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize, stats

from evalplatform.analysis.crowd_simulation import GGB_CUTS
from evalplatform.analysis.crowd_tests import GGB_SCORE

SHEPPARD = 1.0 / 12.0


@dataclass(frozen=True)
class Components:
    """Standard deviations of the effects, on the latent scale of the simulator."""

    item_sd: float
    response_sd: float
    worker_sd: float
    noise_sd: float
    base: float = 3.0


@dataclass(frozen=True)
class AbComponents:
    """A/B: logit-scale SDs of the item lean and of a worker's left-side preference."""

    item_sd: float
    worker_side_sd: float
    tie: float


def components_from(sd: Sequence[float], base: float) -> Components:
    """Components from four standard deviations (item, response, worker, noise)."""
    item, response, worker, noise = (max(float(v), 0.0) for v in sd)
    return Components(item, response, worker, noise, base=float(base))


def _pair_moments(frame: pd.DataFrame, keys: Sequence[str], y: np.ndarray) -> tuple[float, float]:
    """Sum over pairs sharing ``keys`` of (y_j - y_k)^2, and the number of such pairs."""
    if keys:
        codes = frame.groupby(list(keys), sort=False, observed=True).ngroup().to_numpy()
    else:
        codes = np.zeros(len(y), dtype=int)
    n = np.bincount(codes).astype(float)
    s1 = np.bincount(codes, y)
    s2 = np.bincount(codes, y * y)
    return float(np.sum(n * s2 - s1 * s1)), float(np.sum(n * (n - 1) / 2))


def _half_msd(frame: pd.DataFrame, y: np.ndarray, signed: list[tuple[int, Sequence[str]]]) -> float:
    """Half the mean squared difference over the pairs counted by inclusion-exclusion."""
    total = count = 0.0
    for sign, keys in signed:
        s, c = _pair_moments(frame, keys, y)
        total += sign * s
        count += sign * c
    if count < 1:
        raise ValueError("the pilot has no pair of ratings of this kind")
    return total / (2 * count)


def moment_equations(frame: pd.DataFrame, value: str) -> dict[str, float]:
    """The four half mean squared differences (columns item, system, worker, ``value``)."""
    y = frame[value].to_numpy(dtype=float)
    y = y - frame.groupby("system", observed=True)[value].transform("mean").to_numpy(dtype=float)
    i, s, w = "item", "system", "worker"
    return {
        "same response": _half_msd(frame, y, [(1, [i, s]), (-1, [i, s, w])]),
        "same item": _half_msd(frame, y, [(1, [i]), (-1, [i, s]), (-1, [i, w]), (1, [i, s, w])]),
        "same worker": _half_msd(frame, y, [(1, [w]), (-1, [w, i])]),
        "apart": _half_msd(frame, y, [(1, []), (-1, [i]), (-1, [w]), (1, [i, w])]),
    }


def fit_components(
    frame: pd.DataFrame, value: str = "score", *, rounded: bool = True
) -> Components:
    """Variances from the moment equations; ``rounded`` takes off Sheppard's 1/12."""
    d = moment_equations(frame, value)
    worker = d["apart"] - d["same worker"]
    item = d["apart"] - d["same item"]
    response = d["same item"] - d["same response"]
    noise = d["same response"] - max(worker, 0.0) - (SHEPPARD if rounded else 0.0)
    sd = [float(np.sqrt(max(v, 0.0))) for v in (item, response, worker, noise)]
    return components_from(sd, float(frame[value].mean()))


def simulate_on_layout(
    frame: pd.DataFrame, c: Components, rng: np.random.Generator, scale: tuple[int, int]
) -> pd.DataFrame:
    """New integer scores from ``c`` on the pilot's own layout (who rated which response)."""
    item = pd.factorize(frame["item"])[0]
    worker = pd.factorize(frame["worker"])[0]
    response = frame.groupby(["item", "system"], sort=False, observed=True).ngroup().to_numpy()
    latent = (
        c.base
        + rng.normal(0, c.item_sd, item.max() + 1)[item]
        + rng.normal(0, c.response_sd, response.max() + 1)[response]
        + rng.normal(0, c.worker_sd, worker.max() + 1)[worker]
        + rng.normal(0, c.noise_sd, len(frame))
    )
    return frame.assign(score=np.clip(np.rint(latent), *scale))


def _as_vector(c: Components) -> np.ndarray:
    return np.array([c.item_sd, c.response_sd, c.worker_sd, c.noise_sd, c.base])


def fit_calibrated(
    frame: pd.DataFrame,
    scale: tuple[int, int] = (1, 5),
    *,
    rounds: int = 3,
    replicates: int = 4,
    seed: int = 0,
) -> Components:
    """The moment fit, corrected for rounding and clipping to the scale by simulation.

    Near the ends of the scale, clipping shrinks every component, and a plan from the raw
    fit would promise too much power. Iterated bias correction (a parametric bootstrap):
    simulate the pilot's own layout from the current estimate, refit, and move the
    estimate by the gap between the pilot's fit and the mean refit.
    """
    observed = _as_vector(fit_components(frame, "score"))
    current = observed.copy()
    rng = np.random.default_rng(seed)
    for _ in range(rounds):
        guess = components_from(list(current[:4]), float(current[4]))
        refits = [
            _as_vector(fit_components(simulate_on_layout(frame, guess, rng, scale), "score"))
            for _ in range(replicates)
        ]
        current = current + (observed - np.mean(refits, axis=0))
    sd = np.maximum(current[:4], 0.0)
    return components_from(list(sd), float(current[4]))


def fit_likert(frame: pd.DataFrame, scale: tuple[int, int] = (1, 5)) -> dict[str, Components]:
    """Per criterion of a tidy Likert pilot (item, worker, system, criterion, score)."""
    return {
        str(c): fit_calibrated(rows, scale)
        for c, rows in frame.groupby("criterion", sort=False, observed=True)
    }


def fit_ggb(frame: pd.DataFrame, cuts: tuple[float, float] = GGB_CUTS) -> Components:
    """Good/okay/bad on the simulator's latent scale.

    Shares of variance come from the moment equations on the 0/1/2 label score; the latent
    scale and mean are set so that a normal latent cut at ``cuts`` gives the pilot's shares
    of bad and good (an approximation: it treats the label score's variance shares as the
    latent ones).
    """
    scored = frame.assign(label_score=frame["label"].astype(str).map(GGB_SCORE).astype(float))
    raw = fit_components(scored, "label_score", rounded=False)
    shares = scored["label_score"].value_counts(normalize=True)
    bad = float(np.clip(shares.get(0.0, 0.0), 0.01, 0.98))
    good = float(np.clip(shares.get(2.0, 0.0), 0.01, 0.99 - bad))
    z_bad, z_good = stats.norm.ppf(bad), stats.norm.ppf(1 - good)
    scale = (cuts[1] - cuts[0]) / (z_good - z_bad)
    base = cuts[0] - scale * z_bad
    parts = np.array([raw.item_sd, raw.response_sd, raw.worker_sd, raw.noise_sd]) ** 2
    latent = np.sqrt(parts / parts.sum()) * scale if parts.sum() > 0 else [0, 0, 0, scale]
    return components_from(list(latent), float(base))


def ggb_latent_shift(
    c: Components, score_difference: float, cuts: tuple[float, float] = GGB_CUTS
) -> float:
    """The latent shift that moves the expected label score (0/1/2) by ``score_difference``."""
    total = float(np.sqrt(c.item_sd**2 + c.response_sd**2 + c.worker_sd**2 + c.noise_sd**2))

    def expected(shift: float) -> float:
        m = c.base + shift
        return float(stats.norm.sf(cuts[0], m, total) + stats.norm.sf(cuts[1], m, total))

    start = expected(0.0)
    if not 0 < score_difference < 2 - start:
        raise ValueError(f"a label-score difference in (0, {2 - start:.2f}) is needed")
    return float(optimize.brentq(lambda s: expected(s) - start - score_difference, 0, 50))


_NODES, _WEIGHTS = np.polynomial.hermite_e.hermegauss(40)
_WEIGHTS = _WEIGHTS / _WEIGHTS.sum()


def _logit_sd_for(mean: float, second_moment: float) -> float:
    """The SD of a normal logit whose +-1 outcome has this mean and E[x1 x2]."""

    def moment(sd: float) -> float:
        mu = optimize.brentq(lambda m: _outcome_mean(m, sd) - mean, -20, 20)
        p = 1 / (1 + np.exp(-(mu + sd * _NODES)))
        return float(_WEIGHTS @ (2 * p - 1) ** 2)

    if second_moment <= moment(0.0):
        return 0.0
    if second_moment >= moment(10.0):
        return 10.0
    return float(optimize.brentq(lambda sd: moment(sd) - second_moment, 0.0, 10.0))


def _outcome_mean(mu: float, sd: float) -> float:
    return float(_WEIGHTS @ (2 / (1 + np.exp(-(mu + sd * _NODES))) - 1))


def _within_products(groups: np.ndarray, x: np.ndarray) -> float:
    """Mean of x_j x_k over pairs j < k of one group."""
    n = np.bincount(groups).astype(float)
    s1 = np.bincount(groups, x)
    s2 = np.bincount(groups, x * x)
    pairs = float(np.sum(n * (n - 1) / 2))
    if pairs < 1:
        raise ValueError("the pilot needs at least two judgments of one item and one worker")
    return float(np.sum((s1 * s1 - s2) / 2)) / pairs


def fit_ab(canon: pd.DataFrame, raw: pd.DataFrame) -> AbComponents:
    """A/B item lean and left-side preference from a pilot (``canonical_ab`` rows and the
    raw rows), by matching the agreement of judgments of one item and of one worker."""
    tie = float(raw["choice"].astype(str).eq("tie").mean())
    decided = canon[canon["outcome"].isin(["win", "loss"])]
    x = np.where(decided["outcome"] == "win", 1.0, -1.0)
    items = decided.groupby(["a", "b", "item"], sort=False, observed=True).ngroup().to_numpy()
    item_sd = _logit_sd_for(float(x.mean()), _within_products(items, x))
    sided = raw[raw["choice"].astype(str).isin(["a", "b"])]
    left = np.where(sided["choice"].astype(str) == "a", 1.0, -1.0)
    workers = pd.factorize(sided["worker"])[0]
    side_sd = _logit_sd_for(0.0, max(_within_products(workers, left), 0.0))
    return AbComponents(item_sd=item_sd, worker_side_sd=side_sd, tie=tie)
