"""Bradley-Terry strengths from pairwise outcomes, with item-bootstrap intervals.

Model: P(s beats t) = exp(theta_s) / (exp(theta_s) + exp(theta_t)). Fitted by maximum
likelihood with Hunter's (2004) MM algorithm, which increases the likelihood every step.
Ties count as half a win for each side (the usual fractional-count treatment; ``both_bad``
is treated as a tie). Every pair of systems that was compared at least once also gets one
virtual tie: without it a system that never wins has strength -inf, and a bootstrap
resample hits that often; its pull towards equality shrinks as 1/n.

The intervals resample *items* (contexts) with replacement, keeping every comparison made
on an item together, because the comparisons on one item are not independent.
Strengths are log-scale and centred (mean 0), so only differences carry meaning.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from evalplatform.analysis.columns import GGB_RANK
from evalplatform.analysis.ordering import as_float


@dataclass(frozen=True)
class Comparisons:
    systems: list[str]
    wins: np.ndarray  # (items, S, S): wins[i, s, t] = wins of s over t on item i

    @property
    def total(self) -> np.ndarray:
        return self.wins.sum(axis=0)


def _accumulate(
    item_codes: np.ndarray,
    s: np.ndarray,
    t: np.ndarray,
    weight: np.ndarray,
    n_items: int,
    n_sys: int,
) -> np.ndarray:
    flat = (item_codes * n_sys + s) * n_sys + t
    wins = np.bincount(flat, weights=weight, minlength=n_items * n_sys * n_sys)
    return wins.reshape(n_items, n_sys, n_sys)


def comparisons_from_ab(canon: pd.DataFrame, systems: Sequence[str]) -> Comparisons:
    """From canonical A/B rows (``item, a, b, outcome``, see ``ab.canonical_ab``).

    Items are keyed by (pair, item): A/B pairs use distinct contexts, and an item id that
    recurs in another pair is a different comparison unit.
    """
    index = {s: i for i, s in enumerate(systems)}
    a = canon["a"].map(index).to_numpy(dtype=np.int64)
    b = canon["b"].map(index).to_numpy(dtype=np.int64)
    items = canon.groupby(["a", "b", "item"], sort=False, observed=True).ngroup().to_numpy()
    outcome = canon["outcome"].to_numpy()
    # A win counts 1 for a, a loss 1 for b, a tie or both_bad half for each.
    wa = np.select([outcome == "win", outcome == "loss"], [1.0, 0.0], 0.5)
    wb = 1.0 - wa
    n_items, n_sys = int(items.max()) + 1 if len(items) else 0, len(systems)
    wins = _accumulate(items, a, b, wa, n_items, n_sys) + _accumulate(
        items, b, a, wb, n_items, n_sys
    )
    return Comparisons(list(systems), wins)


def comparisons_from_ggb(rows: pd.DataFrame, systems: Sequence[str]) -> Comparisons:
    """From good/okay/bad labels: within one worker's answer to an item, every two systems
    form a comparison; the better label wins, equal labels tie."""
    index = {s: i for i, s in enumerate(systems)}
    answer = rows.groupby(["item", "worker"], sort=False, observed=True).ngroup().to_numpy()
    item_of_answer = np.zeros(answer.max() + 1 if len(answer) else 0, dtype=np.int64)
    item_codes = pd.factorize(rows["item"])[0]
    item_of_answer[answer] = item_codes
    ranks = np.full((len(item_of_answer), len(systems)), np.nan)
    # Factorise first: mapping a few distinct values beats mapping millions of rows, and
    # str() makes ids of any type (ints, categories) meet the string system names.
    sys_codes, sys_values = pd.factorize(rows["system"])
    lab_codes, lab_values = pd.factorize(rows["label"])
    sys_of = np.array([index[str(v)] for v in sys_values])
    rank_of = np.array([GGB_RANK[str(v)] for v in lab_values], dtype=float)
    ranks[answer, sys_of[sys_codes]] = rank_of[lab_codes]
    n_items, n_sys = int(item_codes.max()) + 1 if len(item_codes) else 0, len(systems)
    wins = np.zeros((n_items, n_sys, n_sys))
    for s in range(n_sys):
        for t in range(n_sys):
            if s == t:
                continue
            both = ~np.isnan(ranks[:, s]) & ~np.isnan(ranks[:, t])
            score = np.where(ranks[:, s] > ranks[:, t], 1.0, 0.0)
            score += np.where(ranks[:, s] == ranks[:, t], 0.5, 0.0)
            wins[:, s, t] = np.bincount(item_of_answer, weights=score * both, minlength=n_items)
    return Comparisons(list(systems), wins)


def fit_strengths(
    wins: np.ndarray, prior: float = 1.0, tol: float = 1e-10, max_iter: int = 20000
) -> np.ndarray:
    """Centred log-strengths for a (S, S) or (B, S, S) win matrix (batched MM updates).

    ``prior`` virtual ties are added to each pair with comparisons (see module doc).
    """
    w = np.asarray(wins, dtype=float)
    batched = w.ndim == 3
    w = w if batched else w[None]
    compared = (w + np.swapaxes(w, 1, 2)) > 0
    w = w + 0.5 * prior * compared
    pairs = w + np.swapaxes(w, 1, 2)
    won = w.sum(axis=2)
    strength = np.ones(won.shape)
    for _ in range(max_iter):
        denom = (pairs / (strength[:, :, None] + strength[:, None, :])).sum(axis=2)
        new = np.where(denom > 0, won / np.where(denom > 0, denom, 1.0), 1.0)
        new /= np.exp(np.log(new).mean(axis=1, keepdims=True))
        done = np.max(np.abs(np.log(new) - np.log(strength))) < tol
        strength = new
        if done:
            break
    theta = np.log(strength)
    theta -= theta.mean(axis=1, keepdims=True)
    return theta if batched else theta[0]


def connected(total: np.ndarray) -> bool:
    """Whether the comparison graph links every system (else strengths are not comparable)."""
    n = total.shape[0]
    adjacent = (total + total.T) > 0
    seen, frontier = {0}, [0]
    while frontier:
        node = frontier.pop()
        for other in np.flatnonzero(adjacent[node]):
            if int(other) not in seen:
                seen.add(int(other))
                frontier.append(int(other))
    return len(seen) == n


def bootstrap_strengths(
    comp: Comparisons, reps: int, seed: int, prior: float = 1.0, chunk: int = 64
) -> np.ndarray:
    """(reps, S) strengths refitted on item resamples; the generator is seeded, so repeatable."""
    rng = np.random.default_rng(seed)
    n_items, n_sys = comp.wins.shape[0], comp.wins.shape[1]
    flat = comp.wins.reshape(n_items, -1)
    # Rows per chunk: ~4 million drawn indices at a time keeps memory flat at any scale.
    chunk = max(1, min(chunk, 4_000_000 // max(n_items, 1)))
    out = []
    # A tall-skinny product gains nothing from BLAS threads, and on a busy 2-core machine
    # OpenBLAS threads contend (measured: 16 ms on one thread, 0.3-6 s on two); one thread
    # also fixes the summation order, so the intervals do not depend on the core count.
    with threadpool_limits(limits=1, user_api="blas"):
        for start in range(0, reps, chunk):
            size = min(chunk, reps - start)
            drawn = rng.integers(0, n_items, (size, n_items))
            drawn += (np.arange(size) * n_items)[:, None]  # one bincount for the chunk
            weights = np.bincount(drawn.ravel(), minlength=size * n_items)
            weights = weights.reshape(size, n_items).astype(float)
            out.append((weights @ flat).reshape(size, n_sys, n_sys))
    # One batched fit for all resamples: the MM loop's cost is per iteration, not per row.
    return fit_strengths(np.concatenate(out), prior) if out else np.empty((0, n_sys))


def bradley_terry(
    comp: Comparisons,
    *,
    bootstrap: int = 1000,
    seed: int = 0,
    confidence: float = 0.95,
    prior: float = 1.0,
) -> dict[str, Any]:
    """Strengths with percentile bootstrap intervals, strongest first."""
    total = comp.total
    if len(comp.systems) < 2 or comp.wins.shape[0] == 0:
        return {"fitted": False, "reason": "fewer than two systems compared"}
    if not connected(total):
        return {"fitted": False, "reason": "the systems do not form one connected comparison graph"}
    theta = fit_strengths(total, prior)
    reps = bootstrap_strengths(comp, bootstrap, seed, prior) if bootstrap > 0 else None
    tail = (1 - confidence) / 2 * 100
    rows: list[dict[str, Any]] = []
    for i, system in enumerate(comp.systems):
        lo = hi = None
        if reps is not None and len(reps):
            lo, hi = (as_float(v) for v in np.percentile(reps[:, i], [tail, 100 - tail]))
        rows.append(
            {
                "system": system,
                "theta": as_float(theta[i]),
                "ci95": [lo, hi],
                # Each comparison adds 1 in total to w[s, t] + w[t, s] (a tie 0.5 + 0.5).
                "comparisons": round(float(total[i].sum() + total[:, i].sum())),
            }
        )
    rows.sort(key=lambda r: -(r["theta"] or 0.0))
    return {
        "fitted": True,
        "strengths": rows,
        "bootstrap": bootstrap,
        "seed": seed,
        "prior_virtual_ties": prior,
        "items": int(comp.wins.shape[0]),
    }
