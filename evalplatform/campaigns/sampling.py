"""Seeded, reproducible sampling of a campaign's dialogues.

The draw is a pure function of the dataset's dialogues (in import order), the subsets, the
size and the seed, so the same campaign settings always give the same sample.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from itertools import combinations

from evalplatform.common.errors import ApplicationError
from evalplatform.protocols.registry import get


def system_pairs(system_ids: Sequence[int]) -> list[tuple[int, int]]:
    """Every unordered pair of systems, in a stable order."""
    return list(combinations(system_ids, 2))


def sample_target(*, protocol: str, sample_size: int, n_systems: int) -> int:
    """How many distinct dialogues a campaign needs (its protocol says: A/B needs a distinct
    set per pair of systems)."""
    return get(protocol).dialogues_needed(sample_size, n_systems)


def hit_count(*, n_dialogues: int, items_per_hit: int) -> int:
    return math.ceil(n_dialogues / items_per_hit)


def draw_sample(
    *,
    dialogue_ids_by_subset: dict[str, list[int]],
    subsets: Sequence[str],
    size: int,
    seed: int,
) -> list[int]:
    """Draw ``size`` dialogue ids, split evenly over ``subsets`` (all dialogues when empty).

    Each subset is sampled on its own so that a per-subset report (seed 002 reports per
    test set) has the same weight for every subset.
    """
    rng = random.Random(seed)
    if not subsets:
        pool = [pk for ids in dialogue_ids_by_subset.values() for pk in ids]
        return _draw(rng, sorted(pool), size, "the dataset")
    drawn: list[int] = []
    base, remainder = divmod(size, len(subsets))
    for index, subset in enumerate(subsets):
        want = base + (1 if index < remainder else 0)
        pool = sorted(dialogue_ids_by_subset.get(subset, []))
        drawn.extend(_draw(rng, pool, want, f"subset {subset!r}"))
    return drawn


def _draw(rng: random.Random, pool: list[int], want: int, where: str) -> list[int]:
    if want > len(pool):
        raise ApplicationError(
            f"The sample needs {want} dialogues from {where}, which has only {len(pool)}."
        )
    return rng.sample(pool, want)
