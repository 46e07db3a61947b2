"""Good/okay/bad variance components (pure) on the simulator's latent scale.

The simulator (``crowd_simulation.simulate_ggb``) cuts a latent quality (base + system +
item + response + worker + noise, as for ratings) into bad / okay / good at ``GGB_CUTS``.
The moment fit works on the 0/1/2 label score and maps its shares of variance onto the
latent scale, which the cuts distort (they squash the tails): it under-states the item and
response effects and over-states the noise. As for ratings, simulating the pilot's own
layout from the estimate and refitting measures that bias, and the estimate is corrected by
it (``variance_components.bias_corrected``); every system keeps its own label shares.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import optimize, stats

from evalplatform.analysis.crowd_simulation import GGB_CUTS
from evalplatform.analysis.crowd_tests import GGB_SCORE
from evalplatform.analysis.variance_components import (
    Components,
    bias_corrected,
    components_from,
    fit_components,
    from_variance_vector,
    variance_vector,
)

LABELS = np.asarray(("bad", "okay", "good"))


def _total(c: Components) -> float:
    return float(np.sqrt(c.item_sd**2 + c.response_sd**2 + c.worker_sd**2 + c.noise_sd**2))


def _expected_score(mean: float, total: float, cuts: tuple[float, float]) -> float:
    return float(stats.norm.sf(cuts[0], mean, total) + stats.norm.sf(cuts[1], mean, total))


def ggb_moment_fit(frame: pd.DataFrame, cuts: tuple[float, float] = GGB_CUTS) -> Components:
    """Shares of variance from the moment equations on the label score; the latent scale
    and mean set so that a normal latent cut at ``cuts`` gives the pilot's shares of bad
    and good (biased: it treats the label score's variance shares as the latent ones)."""
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


def _system_shifts(
    frame: pd.DataFrame, c: Components, cuts: tuple[float, float]
) -> tuple[np.ndarray, np.ndarray]:
    """Per row, its system's code; per system, the latent shift that gives its mean label
    score (so that a simulated pilot keeps the pilot's differences between systems)."""
    codes = pd.factorize(frame["system"])[0]
    score = frame["label"].astype(str).map(GGB_SCORE).astype(float).to_numpy()
    means = np.bincount(codes, score) / np.bincount(codes)
    total = max(_total(c), 1e-6)

    def shift(mean: float) -> float:
        m = float(np.clip(mean, 0.02, 1.98))
        return float(
            optimize.brentq(lambda s: _expected_score(c.base + s, total, cuts) - m, -50, 50)
        )

    return codes, np.array([shift(m) for m in means])


def simulate_ggb_on_layout(
    frame: pd.DataFrame,
    c: Components,
    rng: np.random.Generator,
    cuts: tuple[float, float] = GGB_CUTS,
) -> pd.DataFrame:
    """New labels from ``c`` on the pilot's own layout (who sorted which candidates)."""
    item = pd.factorize(frame["item"])[0]
    worker = pd.factorize(frame["worker"])[0]
    response = frame.groupby(["item", "system"], sort=False, observed=True).ngroup().to_numpy()
    system, shifts = _system_shifts(frame, c, cuts)
    latent = (
        c.base
        + shifts[system]
        + rng.normal(0, c.item_sd, item.max() + 1)[item]
        + rng.normal(0, c.response_sd, response.max() + 1)[response]
        + rng.normal(0, c.worker_sd, worker.max() + 1)[worker]
        + rng.normal(0, c.noise_sd, len(frame))
    )
    return frame.assign(label=LABELS[np.digitize(latent, cuts)])


def fit_ggb(
    frame: pd.DataFrame,
    cuts: tuple[float, float] = GGB_CUTS,
    *,
    rounds: int = 3,
    replicates: int = 8,
    seed: int = 0,
) -> Components:
    """Latent components of a good/okay/bad pilot (``item, worker, system, label``, gold
    rows removed), corrected for the moment fit's bias.

    Three rounds of eight refits, as for ratings: with two of four, the correction had not
    settled and the response SD came out at 0.25 for a planted 0.30 (mean of 60 pilots of
    60 items x 3 raters), which made plans of small designs 8 points too hopeful; with
    three of eight, 0.31 (item 0.95 for 1.0, worker 0.33 for 0.3, noise 0.68 for 0.7). The
    correction works on the variances (``variance_vector``: what the power hangs on)."""
    observed = variance_vector(ggb_moment_fit(frame, cuts))
    layout = frame[["item", "worker", "system"]].reset_index(drop=True)
    labelled = layout.assign(label=frame["label"].to_numpy())

    def refit(current: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        # the pilot's labels set each system's shift; the simulated ones are refitted
        simulated = simulate_ggb_on_layout(labelled, from_variance_vector(current), rng, cuts)
        return variance_vector(ggb_moment_fit(simulated, cuts))

    current = bias_corrected(observed, refit, rounds=rounds, replicates=replicates, seed=seed)
    return from_variance_vector(current)


def ggb_latent_shift(
    c: Components, score_difference: float, cuts: tuple[float, float] = GGB_CUTS
) -> float:
    """The latent shift that moves the expected label score (0/1/2) by ``score_difference``."""
    total = _total(c)
    start = _expected_score(c.base, total, cuts)
    if not 0 < score_difference < 2 - start:
        raise ValueError(f"a label-score difference in (0, {2 - start:.2f}) is needed")
    return float(
        optimize.brentq(
            lambda s: _expected_score(c.base + s, total, cuts) - start - score_difference, 0, 50
        )
    )
