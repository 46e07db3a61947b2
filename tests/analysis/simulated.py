"""Simulated judgments for tests, benchmarks and power checks. Every row says so.

All rows carry ``simulated=True`` so that a report built on them says it is not about
people. Generators are seeded and vectorised (a million answers in about a second).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd


def simulate_likert(
    effects: Mapping[str, float],
    *,
    criteria: Sequence[str] = ("fluency",),
    binary: Mapping[str, Mapping[str, float]] | None = None,
    items: int = 100,
    raters: int = 3,
    seed: int = 0,
    base: float = 3.0,
    response_sd: float = 0.0,
    rater_sd: float = 1.0,
) -> pd.DataFrame:
    """1-5 ratings: round(base + effect[system] + response noise + rater noise), clipped.

    ``response_sd`` > 0 adds a per-(item, system) effect that all raters share, which makes
    ratings of one response correlated (the case for ``unit="item"``). ``binary`` maps a
    criterion to per-system probabilities of a 1.
    """
    rng = np.random.default_rng(seed)
    systems = list(effects)
    frames = []
    grid = pd.MultiIndex.from_product(
        [range(items), range(raters), systems], names=["item", "worker", "system"]
    ).to_frame(index=False)
    for criterion in list(criteria) + list(binary or {}):
        n = len(grid)
        if binary and criterion in binary:
            p = grid["system"].map(binary[criterion]).to_numpy(dtype=float)
            score = (rng.random(n) < p).astype(int)
        else:
            shared = rng.normal(0, response_sd, (items, len(systems))) if response_sd else None
            latent = base + grid["system"].map(effects).to_numpy(dtype=float)
            if shared is not None:
                latent += shared[grid["item"], grid["system"].map(systems.index)]
            score = np.clip(np.rint(latent + rng.normal(0, rater_sd, n)), 1, 5).astype(int)
        frames.append(grid.assign(criterion=criterion, score=score))
    out = pd.concat(frames, ignore_index=True)
    out["item"] = "i" + out["item"].astype(str)
    out["worker"] = "w" + out["worker"].astype(str)
    return out[["item", "worker", "system", "criterion", "score"]].assign(simulated=True)


def simulate_ab(
    pairs: Sequence[tuple[str, str, float, float]],
    *,
    items: int = 100,
    raters: int = 3,
    seed: int = 0,
    agreement: float = 0.0,
) -> pd.DataFrame:
    """A/B choices: for (a, b, p_win, p_tie), each judgment is a with p_win, tie with p_tie.

    Each pair gets its own items (distinct contexts per pair, as in seeds 003/004) and a
    random left/right swap per item. ``agreement`` is the chance that a rater copies the
    item's first rater, which raises kappa.
    """
    rng = np.random.default_rng(seed)
    frames = []
    for k, (a, b, p_win, p_tie) in enumerate(pairs):
        u = rng.random((items, raters))
        choice = np.where(u < p_win, "a", np.where(u < p_win + p_tie, "tie", "b"))
        copy = rng.random((items, raters)) < agreement
        copy[:, 0] = False
        choice = np.where(copy, choice[:, :1], choice)
        swap = rng.random(items) < 0.5
        flipped = np.where(choice == "a", "b", np.where(choice == "b", "a", choice))
        choice = np.where(swap[:, None], flipped, choice)
        left = np.where(swap, b, a)
        right = np.where(swap, a, b)
        frames.append(
            pd.DataFrame(
                {
                    "item": np.repeat([f"p{k}-i{i}" for i in range(items)], raters),
                    "worker": np.tile([f"w{r}" for r in range(raters)], items),
                    "system_a": np.repeat(left, raters),
                    "system_b": np.repeat(right, raters),
                    "choice": choice.ravel(),
                }
            )
        )
    return pd.concat(frames, ignore_index=True).assign(simulated=True)


def simulate_ggb(
    shares: Mapping[str, Sequence[float]],
    *,
    subsets: Sequence[str] = ("OS", "EDOS", "ED"),
    items_per_subset: int = 2000,
    items_per_hit: int = 10,
    assignments_per_hit: int = 4,
    gold_per_hit: int = 3,
    workers: int = 200,
    seed: int = 0,
    gold_good: float = 0.9,
    categorical: bool = True,
) -> pd.DataFrame:
    """Good/okay/bad labels with HITs, assignments, gold rows and seconds (seed 002 form).

    ``shares[system]`` = (good, okay, bad) probabilities. ``gold_per_hit`` items of each HIT
    carry an extra gold candidate (system ``gold``), labelled good or okay with probability
    ``gold_good``. Answers per item: ``assignments_per_hit``; rows: that times (systems +
    gold). ``categorical`` keeps text columns as categories (compact at scale).
    """
    rng = np.random.default_rng(seed)
    systems = list(shares)
    n_items = items_per_subset * len(subsets)
    hit_of_item = np.arange(n_items) // items_per_hit
    n_hits = int(hit_of_item.max()) + 1
    hit_workers = _distinct_workers(rng, n_hits, assignments_per_hit, workers)
    item_idx = np.repeat(np.arange(n_items), assignments_per_hit)
    slot = np.tile(np.arange(assignments_per_hit), n_items)
    worker = hit_workers[hit_of_item[item_idx], slot]
    assignment = hit_of_item[item_idx] * assignments_per_hit + slot
    gold_item = (np.arange(n_items) % items_per_hit) < gold_per_hit
    answers = pd.DataFrame(
        {
            "item": item_idx,
            "worker": worker,
            "assignment": assignment,
            "seconds": rng.gamma(4.0, 10.0, len(item_idx)).round(1),
        }
    )
    frames = []
    for system in [*systems, "gold"]:
        rows = answers if system != "gold" else answers[gold_item[answers["item"]]]
        p = np.asarray(
            shares[system]
            if system != "gold"
            else (gold_good * 0.7, gold_good * 0.3, 1 - gold_good),
            dtype=float,
        )
        label = np.array(["good", "okay", "bad"])[rng.choice(3, len(rows), p=p / p.sum())]
        frames.append(rows.assign(system=system, label=label, is_gold=system == "gold"))
    out = pd.concat(frames, ignore_index=True)
    out["subset"] = np.asarray(subsets)[out["item"].to_numpy() // items_per_subset]
    out = out.sort_values(["item", "worker"], kind="stable", ignore_index=True)
    cols = ["item", "worker", "system", "label", "subset", "is_gold", "assignment", "seconds"]
    out = out[cols].assign(simulated=True)
    if categorical:
        for col in ("system", "label", "subset"):
            out[col] = out[col].astype("category")
    return out


def _distinct_workers(
    rng: np.random.Generator, hits: int, per_hit: int, workers: int
) -> np.ndarray:
    """Per HIT, ``per_hit`` distinct workers: draw, then redraw the HITs with a repeat."""
    if per_hit > workers:
        raise ValueError("more assignments per HIT than workers")
    drawn = rng.integers(0, workers, (hits, per_hit))
    while True:
        ordered = np.sort(drawn, axis=1)
        clash = (np.diff(ordered, axis=1) == 0).any(axis=1)
        if not clash.any():
            return drawn
        drawn[clash] = rng.integers(0, workers, (int(clash.sum()), per_hit))
