"""Anytime-valid confidence sequences for a comparison's mean per-item difference (pure).

A confidence sequence (CS) is a sequence of intervals that contains the true mean at every
look simultaneously with probability 1 - alpha, however often and whenever one looks, and
one may stop at any time (Howard, Ramdas, McAuliffe & Sekhon, "Time-uniform, nonparametric,
nonasymptotic confidence sequences", Ann. Statist. 49(2), 2021; arXiv 1810.08240).

The construction used for crowd data is their empirical-Bernstein CS (Theorem 4) with the
polynomial stitching boundary (Theorem 1, eq. (10)): for observations in [a, b], with the
predictable running mean as the centre estimate,
    V_t = sum_i (X_i - mean(X_1..X_{i-1}))^2,
    CS_t = mean_t +- S_{alpha/2}(V_t) / t,
where S is the stitched sub-gamma boundary with scale c = b - a, eta = 2, s = 1.4 and
v_min = 1. Its sub-Gaussian case (c = 0) is the paper's "1.7 sqrt(t (log log 2t +
0.72 log(5.2 / alpha)))", tested. The two-sided normal-mixture boundary (eq. (14)) is here
too, for sums with a known variance process. The running intersection of the intervals is
also a CS (every interval holds at once), so the sequence returned only ever narrows.

The unit is the item, as in the default test: per-item differences of two systems' mean
ratings (or per-item mean preference for A/B), in arrival order. Worker-bias correction uses
every rating at once, so it is not predictable and is not applied here. Across the pairs of
a family the level is split by Bonferroni (alpha / pairs), which holds under any dependence.

Not taken from a library: ``confseq`` (Howard's own package, 0.0.11 on PyPI) ships as a
C++/Boost source distribution with no wheels and no release since 2022, and
``expectation`` is not on the package index reachable here; the boundary is a closed form
of a few lines.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import special

STITCH_ETA = 2.0
STITCH_S = 1.4


def normal_mixture_radius(v: np.ndarray | float, alpha: float, rho: float) -> np.ndarray:
    """Two-sided normal-mixture boundary (Howard et al. 2021, eq. (14)) for S_t with
    variance process V_t = v: sqrt((v + rho) log((v + rho) / (rho alpha^2)))."""
    v = np.asarray(v, dtype=float)
    return np.sqrt((v + rho) * np.log((v + rho) / (rho * alpha**2)))


def stitching_radius(
    v: np.ndarray | float,
    alpha: float,
    c: float,
    *,
    v_min: float = 1.0,
    eta: float = STITCH_ETA,
    s: float = STITCH_S,
) -> np.ndarray:
    """Polynomial stitching boundary (Howard et al. 2021, Theorem 1, eq. (10)), one-sided
    crossing probability ``alpha``, sub-gamma scale ``c``, valid from V_t >= v_min."""
    use_v = np.maximum(np.asarray(v, dtype=float), v_min)
    k1 = (eta**0.25 + eta**-0.25) / np.sqrt(2)
    k2 = (np.sqrt(eta) + 1) / 2
    ell = (
        s * np.log(np.log(eta * use_v / v_min))
        + np.log(special.zeta(s) / np.log(eta) ** s)
        + np.log(1 / alpha)
    )
    term = k2 * c * ell
    return np.sqrt(k1**2 * use_v * ell + term**2) + term


@dataclass(frozen=True)
class ConfidenceSequence:
    """The CS after each observation: ``lower[t-1]``, ``upper[t-1]`` after t items."""

    mean: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    alpha: float

    def excludes(self, value: float = 0.0) -> np.ndarray:
        """After each look: does the interval leave ``value`` out?"""
        return (self.lower > value) | (self.upper < value)

    def first_exclusion(self, value: float = 0.0) -> int | None:
        """The number of items at which ``value`` was first left out, if ever."""
        hits = np.flatnonzero(self.excludes(value))
        return int(hits[0]) + 1 if len(hits) else None


def empirical_bernstein_cs(
    x: Sequence[float] | np.ndarray, bounds: tuple[float, float], alpha: float
) -> ConfidenceSequence:
    """Empirical-Bernstein CS (Howard et al. 2021, Theorem 4) for the mean of observations
    in ``bounds``, two-sided at level ``alpha`` (alpha / 2 a side), running intersection."""
    a, b = bounds
    values = np.clip(np.asarray(x, dtype=float), a, b)
    t = np.arange(1, len(values) + 1)
    mean = np.cumsum(values) / t
    # predictable centre: the mean of the earlier observations, the midpoint before any
    previous = np.concatenate([[(a + b) / 2], mean[:-1]])
    v = np.cumsum((values - previous) ** 2)
    radius = stitching_radius(v, alpha / 2, c=b - a) / t
    lower = np.maximum.accumulate(np.maximum(mean - radius, a))
    upper = np.minimum.accumulate(np.minimum(mean + radius, b))
    return ConfidenceSequence(mean=mean, lower=lower, upper=upper, alpha=alpha)


def family_cs(
    differences: Mapping[str, Sequence[float] | np.ndarray],
    bounds: tuple[float, float],
    alpha: float = 0.05,
) -> dict[str, ConfidenceSequence]:
    """One CS per comparison of a family at alpha / comparisons (Bonferroni): the chance
    that any of them ever misses its true difference is at most ``alpha``."""
    share = alpha / max(len(differences), 1)
    return {name: empirical_bernstein_cs(x, bounds, share) for name, x in differences.items()}


def difference_bounds(scale: tuple[float, float]) -> tuple[float, float]:
    """Per-item differences of two means on ``scale`` lie in [-(hi - lo), hi - lo]."""
    width = float(scale[1] - scale[0])
    return (-width, width)
