"""Simulated A/B campaigns collected HIT by HIT, looked at after every HIT (pure, seeded by
the caller): the family-wise error of the monitoring under planted nulls, and what stopping
and reallocating save against the fixed design with planted differences.

A campaign compares every pair of ``strengths`` (logits) on its own ``items_per_pair``
items, in HITs of ``items_per_hit`` items of one pair (as a reallocating campaign is laid
out), each HIT judged by ``raters`` workers; the HITs are worked in a shuffled order. A
judgment is a tie with probability ``tie``, else a win for a with probability
logistic(strength a - strength b + item lean + the worker's left-side bias x side).

- fixed design: every HIT is worked; the default test (t-test over items of the per-item
  mean preference, Holm across the pairs) decides;
- monitoring: after every HIT each pair's confidence sequence is read (``monitoring``);
  with ``reallocate`` a settled pair's remaining HITs are withdrawn, and the campaign stops
  once every pair is settled. With ``give_to_undecided`` too, a withdrawn HIT is worked
  instead for the undecided pair with the fewest HITs so far, on new items of that pair
  (``reports.reallocation``: the plan's places, spent where no answer is in), up to the
  fixed design's number of HITs. A pair is found different when its sequence excluded 0.
Because a sequence at item t depends only on the first t items, each pair's sequence is
computed once over all its items and read at the HIT boundaries.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np

from evalplatform.analysis.confidence_sequences import ConfidenceSequence, empirical_bernstein_cs
from evalplatform.analysis.crowd_tests import correct_family, paired_test
from evalplatform.analysis.monitoring import SETTLED, status_of


@dataclass(frozen=True)
class AbCampaign:
    strengths: tuple[float, ...]
    items_per_pair: int
    items_per_hit: int = 5
    raters: int = 3
    item_sd: float = 0.5
    worker_side_sd: float = 0.3
    tie: float = 0.1
    workers: int = 60

    @property
    def pairs(self) -> list[tuple[int, int]]:
        return list(combinations(range(len(self.strengths)), 2))

    @property
    def hits_per_pair(self) -> int:
        return -(-self.items_per_pair // self.items_per_hit)


@dataclass(frozen=True)
class CampaignRun:
    """One simulated campaign: HITs worked and each pair's verdict (+1 a better, -1 b
    better, 0 not found different) under the fixed design and under monitoring."""

    hits_fixed: int
    hits_monitored: int
    fixed: tuple[int, ...]
    monitored: tuple[int, ...]
    ever_excluded_zero: tuple[bool, ...]  # at any HIT boundary up to the full sample
    settled: bool = False  # every pair decided or futile by the end of the monitored run

    @property
    def saving(self) -> float:
        return 1 - self.hits_monitored / self.hits_fixed

    @property
    def same_decisions(self) -> bool:
        return self.fixed == self.monitored


def simulate_pair_items(
    c: AbCampaign, rng: np.random.Generator, *, items: int | None = None
) -> list[np.ndarray]:
    """Per pair, the per-item mean preference for a (+1 win, -1 loss, 0 tie), in the order
    the pair's items are worked; ``items`` per pair (default ``c.items_per_pair``)."""
    n = items or c.items_per_pair
    side_bias = rng.normal(0, c.worker_side_sd, c.workers)
    out = []
    for a, b in c.pairs:
        lean = rng.normal(0, c.item_sd, n)
        who = rng.integers(0, c.workers, (n, c.raters))
        side = np.where(rng.random(who.shape) < 0.5, 1.0, -1.0)
        logit = c.strengths[a] - c.strengths[b] + lean[:, None] + side * side_bias[who]
        a_wins = rng.random(who.shape) < 1 / (1 + np.exp(-logit))
        tie = rng.random(who.shape) < c.tie
        votes = np.where(tie, 0.0, np.where(a_wins, 1.0, -1.0))
        out.append(votes.mean(axis=1))
    return out


def run_campaign(
    c: AbCampaign,
    rng: np.random.Generator,
    *,
    alpha: float = 0.05,
    smallest_difference: float | None = None,
    reallocate: bool = True,
    give_to_undecided: bool = False,
) -> CampaignRun:
    # A pair given every other pair's HITs could work all the campaign's items.
    most = c.items_per_pair * len(c.pairs) if give_to_undecided else c.items_per_pair
    items = simulate_pair_items(c, rng, items=most)
    share = alpha / len(items)
    paths = [empirical_bernstein_cs(x, (-1.0, 1.0), share) for x in items]
    ends = _boundaries(c)
    ever = tuple(bool(path.excludes(0.0)[ends - 1].any()) for path in paths)
    fixed = _fixed_verdicts([x[: c.items_per_pair] for x in items], alpha)
    order = rng.permutation(np.repeat(np.arange(len(items)), c.hits_per_pair))
    # Items a pair has after its n-th HIT (its last own HIT may be short).
    ends = np.minimum(np.arange(1, len(order) + 1) * c.items_per_hit, most)
    done = np.zeros(len(items), dtype=int)  # HITs worked per pair
    settled = np.zeros(len(items), dtype=bool)
    worked = 0
    for pair in order:
        if settled.all():
            break
        if reallocate and settled[pair]:
            if not give_to_undecided:
                continue
            pair = min(np.flatnonzero(~settled), key=lambda p: done[p])
        done[pair] += 1
        worked += 1
        settled[pair] = _settled(paths[pair], ends[done[pair] - 1], smallest_difference)
    monitored = tuple(
        _verdict_at(path, ends[n - 1]) if n else 0 for path, n in zip(paths, done, strict=True)
    )
    return CampaignRun(len(order), worked, fixed, monitored, ever, bool(settled.all()))


def _boundaries(c: AbCampaign) -> np.ndarray:
    """Items done after each of a pair's HITs."""
    return np.minimum(np.arange(1, c.hits_per_pair + 1) * c.items_per_hit, c.items_per_pair)


def _settled(path: ConfidenceSequence, items: int, smallest: float | None) -> bool:
    return status_of(path.lower[items - 1], path.upper[items - 1], smallest) in SETTLED


def _verdict_at(path: ConfidenceSequence, items: int) -> int:
    if path.lower[items - 1] > 0:
        return 1
    if path.upper[items - 1] < 0:
        return -1
    return 0


def _fixed_verdicts(items: list[np.ndarray], alpha: float) -> tuple[int, ...]:
    tests = [paired_test("a", "b", x, np.zeros_like(x)) for x in items]
    corrected = correct_family(tests, "holm", alpha)
    return tuple(int(np.sign(t.difference or 0.0)) if t.significant else 0 for t in corrected)
