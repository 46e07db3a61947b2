"""Simulated crowds with item, response and worker effects (pure, seeded by the caller).

Moved here from ``benchmarks/calibration.py`` so that the power planner
(``analysis/planning.py``) and the calibration harness draw from one generator; the draws
are made in the same order as before, so the harness's numbers are unchanged.

Likert: every system answers the same items (contexts); each response is rated by
``raters`` distinct workers drawn from a pool of ``workers``; the latent score is
``base + effect[system] + item + response + worker + noise``, rounded and clipped to the
scale. Good/okay/bad: one worker sorts every system's candidate for an item, labels cut
from the latent score at ``GGB_CUTS``. A/B: every pair of systems on its own items,
left/right balanced per judgment, an item lean (logit) shared by the judgments of an item
and a worker's preference for the left side.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd

SYSTEMS = ("S0", "S1", "S2")
GGB_CUTS = (-0.6, 0.6)


@dataclass(frozen=True)
class LikertDesign:
    name: str
    item_sd: float
    response_sd: float
    worker_sd: float
    noise_sd: float
    base: float = 3.0  # latent mean; near 5 the truth is lopsided and the scale clips it
    items: int = 40
    raters: int = 3
    workers: int = 30
    scale: tuple[int, int] = (1, 5)


@dataclass(frozen=True)
class AbDesign:
    name: str
    item_sd: float  # lean of an item towards one system, shared by its judgments (logit)
    worker_side_sd: float  # a worker's preference for the left side (logit)
    tie: float = 0.1
    items: int = 40
    raters: int = 3
    workers: int = 30


def draw_raters(
    rng: np.random.Generator, responses: int, design_raters: int, pool: int
) -> np.ndarray:
    """``design_raters`` distinct workers per response, drawn at random from the pool."""
    keys = rng.random((responses, pool))
    return np.argsort(keys, axis=1)[:, :design_raters]


def _shift(delta: float, systems: Sequence[str]) -> np.ndarray:
    """``delta`` planted on the first system, the others equal."""
    return np.array([delta] + [0.0] * (len(systems) - 1))


def simulate_likert(
    d: LikertDesign,
    delta: float,
    rng: np.random.Generator,
    *,
    systems: Sequence[str] = SYSTEMS,
    criterion: str = "quality",
) -> pd.DataFrame:
    """Tidy Likert rows (one criterion) with ``delta`` points planted on the first system."""
    n_sys = len(systems)
    item = rng.normal(0, d.item_sd, d.items)
    worker = rng.normal(0, d.worker_sd, d.workers)
    response = rng.normal(0, d.response_sd, (d.items, n_sys))
    shift = _shift(delta, systems)
    who = draw_raters(rng, d.items * n_sys, d.raters, d.workers)  # (responses, raters)
    i_idx = np.repeat(np.arange(d.items), n_sys * d.raters)
    s_idx = np.tile(np.repeat(np.arange(n_sys), d.raters), d.items)
    w_idx = who.ravel()
    latent = (
        d.base
        + shift[s_idx]
        + item[i_idx]
        + response[i_idx, s_idx]
        + worker[w_idx]
        + rng.normal(0, d.noise_sd, len(i_idx))
    )
    low, high = d.scale
    return pd.DataFrame(
        {
            "item": i_idx,
            "worker": w_idx,
            "system": np.asarray(systems)[s_idx],
            "criterion": criterion,
            "score": np.clip(np.rint(latent), low, high).astype(int),
        }
    )


def simulate_ab(
    d: AbDesign, points: float, rng: np.random.Generator, *, systems: Sequence[str] = SYSTEMS
) -> pd.DataFrame:
    """Tidy A/B rows: every pair of systems on its own items, left/right balanced per
    judgment; the first system preferred by ``points`` percentage points among non-ties."""
    frames = []
    side_bias = rng.normal(0, d.worker_side_sd, d.workers)
    for k, (x, y) in enumerate(combinations(systems, 2)):
        p_x = 0.5 + (points / 100 if x == systems[0] else 0.0)
        lean = rng.normal(0, d.item_sd, d.items)
        who = draw_raters(rng, d.items, d.raters, d.workers).ravel()
        i_idx = np.repeat(np.arange(d.items), d.raters)
        x_left = rng.random(len(i_idx)) < 0.5
        side = np.where(x_left, 1.0, -1.0)  # +1: x shown as system_a (left)
        logit = np.log(p_x / (1 - p_x)) + lean[i_idx] + side * side_bias[who]
        x_wins = rng.random(len(i_idx)) < 1 / (1 + np.exp(-logit))
        tie = rng.random(len(i_idx)) < d.tie
        left_wins = x_wins == x_left
        choice = np.where(tie, "tie", np.where(left_wins, "a", "b"))
        frames.append(
            pd.DataFrame(
                {
                    "item": [f"p{k}-{i}" for i in i_idx],
                    "worker": who,
                    "system_a": np.where(x_left, x, y),
                    "system_b": np.where(x_left, y, x),
                    "choice": choice,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def simulate_ggb(
    d: LikertDesign,
    delta: float,
    rng: np.random.Generator,
    *,
    systems: Sequence[str] = SYSTEMS,
    cuts: tuple[float, float] = GGB_CUTS,
) -> pd.DataFrame:
    """Tidy good/okay/bad rows: each item's candidates sorted by ``raters`` workers."""
    n_sys = len(systems)
    item = rng.normal(0, d.item_sd, d.items)
    worker = rng.normal(0, d.worker_sd, d.workers)
    response = rng.normal(0, d.response_sd, (d.items, n_sys))
    shift = _shift(delta, systems)
    who = draw_raters(rng, d.items, d.raters, d.workers)  # (items, raters): one sorting each
    i_idx = np.repeat(np.arange(d.items), d.raters * n_sys)
    w_idx = np.repeat(who.ravel(), n_sys)
    s_idx = np.tile(np.arange(n_sys), d.items * d.raters)
    latent = (
        d.base
        + shift[s_idx]
        + item[i_idx]
        + response[i_idx, s_idx]
        + worker[w_idx]
        + rng.normal(0, d.noise_sd, len(i_idx))
    )
    label = np.asarray(("bad", "okay", "good"))[np.digitize(latent, cuts)]
    return pd.DataFrame(
        {"item": i_idx, "worker": w_idx, "system": np.asarray(systems)[s_idx], "label": label}
    )
