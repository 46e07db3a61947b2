"""How a campaign's sample is laid out in HITs: pure, seeded functions on ids (no ORM).

The same inputs and seed always give the same HITs, items and candidate orders, so a
campaign's HITs can be rebuilt and checked. Candidates are given as system ids, with
``None`` standing for the dialogue's gold (human) response.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from evalplatform.campaigns.sampling import system_pairs
from evalplatform.common.errors import ApplicationError

GOLD = None


@dataclass(frozen=True)
class Filler:
    """Shown where a gold response would be, in a dialogue without a gold check: the gold
    response of another sampled dialogue, so that every dialogue of a HIT shows as many
    responses of the same kind. Never analysed."""

    dialogue_id: int


Shown = int | Filler | None


@dataclass(frozen=True)
class PlannedItem:
    dialogue_id: int
    # What is shown, in order: a system id, GOLD for the gold response, or a Filler.
    shown: tuple[Shown, ...]

    @property
    def has_gold(self) -> bool:
        return GOLD in self.shown


def layout_rng(*, protocol: str, seed: int) -> random.Random:
    # A string seed is hashed with SHA-512 by random.Random: stable across runs and Pythons.
    return random.Random(f"evalplatform-hits:{protocol}:{seed}")


def hit_sizes(n_items: int, items_per_hit: int) -> list[int]:
    """Full HITs, then one shorter HIT for the remainder (as campaigns.sampling.hit_count)."""
    n_hits = math.ceil(n_items / items_per_hit)
    return [min(items_per_hit, n_items - index * items_per_hit) for index in range(n_hits)]


def plan_rated_hits(
    *,
    dialogue_ids: Sequence[int],
    system_ids: Sequence[int],
    items_per_hit: int,
    gold_per_hit: int,
    gold_eligible: set[int],
    rng: random.Random,
) -> list[list[PlannedItem]]:
    """Likert and good/okay/bad: every item shows every system's response to one dialogue
    (plus the gold response in ``gold_per_hit`` items per HIT), in a shuffled order.

    The sample arrives grouped by subset, so dialogues are shuffled before they are cut
    into HITs; gold dialogues (from ``gold_eligible``) are dealt first so that every HIT
    gets its quota wherever they sit in the sample. When a HIT has gold, its other items
    show a filler in the gold response's place: another eligible dialogue's gold response,
    from a dialogue outside that HIT, so no text is shown twice in one HIT.
    """
    sizes = hit_sizes(len(dialogue_ids), items_per_hit)
    quotas = [min(gold_per_hit, size) for size in sizes]
    eligible = [pk for pk in dialogue_ids if pk in gold_eligible] if gold_per_hit else []
    if sum(quotas) > len(eligible) and gold_per_hit:
        raise ApplicationError(
            f"Gold checks need {sum(quotas)} sampled dialogues with a gold response from the "
            f"gold subset ({len(sizes)} HITs x {gold_per_hit}); the sample has {len(eligible)}."
        )
    rng.shuffle(eligible)
    gold_ids = eligible[: sum(quotas)]
    chosen = set(gold_ids)
    rest = [pk for pk in dialogue_ids if pk not in chosen]
    rng.shuffle(rest)
    hits: list[list[PlannedItem]] = []
    gold_cursor = rest_cursor = 0
    for size, quota in zip(sizes, quotas, strict=True):
        golds = gold_ids[gold_cursor : gold_cursor + quota]
        others = rest[rest_cursor : rest_cursor + size - quota]
        gold_cursor += quota
        rest_cursor += size - quota
        items = [_rated_item(pk, system_ids, extra=GOLD, rng=rng) for pk in golds]
        fillers = (
            _fillers(sorted(gold_eligible), {*golds, *others}, len(others), rng) if golds else []
        )
        items += [
            _rated_item(pk, system_ids, extra=filler, rng=rng)
            for pk, filler in zip(others, fillers or [False] * len(others), strict=True)
        ]
        rng.shuffle(items)
        hits.append(items)
    return hits


def _fillers(
    pool: Sequence[int], in_hit: set[int], count: int, rng: random.Random
) -> list[Shown | bool]:
    """``count`` fillers drawn from ``pool`` outside the HIT (with repeats across HITs)."""
    outside = [pk for pk in pool if pk not in in_hit]
    if not outside:
        raise ApplicationError(
            "Gold checks need a filler for the other dialogues of each HIT: a gold "
            "response from a sampled dialogue outside the HIT; the gold pool has none left."
        )
    drawn = rng.sample(outside, count) if count <= len(outside) else rng.choices(outside, k=count)
    return [Filler(pk) for pk in drawn]


def _rated_item(
    dialogue_id: int, system_ids: Sequence[int], *, extra: Shown | bool, rng: random.Random
) -> PlannedItem:
    """``extra``: GOLD, a Filler, or False for nothing more than the systems' responses."""
    shown: list[Shown] = [*system_ids, *([] if extra is False else [extra])]
    rng.shuffle(shown)
    return PlannedItem(dialogue_id=dialogue_id, shown=tuple(shown))


def plan_ab_hits(
    *,
    dialogue_ids: Sequence[int],
    subset_of: Mapping[int, str],
    system_ids: Sequence[int],
    sample_size: int,
    items_per_hit: int,
    rng: random.Random,
    pair_per_hit: bool = False,
) -> list[list[PlannedItem]]:
    """A/B: every system pair gets its own ``sample_size`` contexts (no context is judged
    for two pairs), dealt round-robin subset by subset so each pair sees the subsets
    equally; in each pair's items the left (A) system is each system half the time.

    ``pair_per_hit`` (a campaign that reallocates its HITs while it collects) keeps each
    HIT to one pair, in shuffled order, so that a settled pair's HITs can be withdrawn."""
    pairs = system_pairs(system_ids)
    if len(dialogue_ids) != sample_size * len(pairs):
        raise ApplicationError(
            f"An A/B campaign with {len(pairs)} system pairs needs {sample_size} dialogues "
            f"per pair ({sample_size * len(pairs)} in all); the sample has {len(dialogue_ids)}."
        )
    by_subset: dict[str, list[int]] = {}
    for pk in dialogue_ids:
        by_subset.setdefault(subset_of.get(pk, ""), []).append(pk)
    dealt: list[int] = []
    for subset in sorted(by_subset):
        group = by_subset[subset]
        rng.shuffle(group)
        dealt.extend(group)
    contexts: list[list[int]] = [dealt[index :: len(pairs)] for index in range(len(pairs))]
    items: list[PlannedItem] = []
    for (first, second), pair_contexts in zip(pairs, contexts, strict=True):
        n = len(pair_contexts)
        # Half each way; an odd count gives the extra one to a side chosen by the seed.
        n_first_left = n // 2 + (n % 2 if rng.random() < 0.5 else 0)
        first_left = set(rng.sample(range(n), n_first_left))
        for index, pk in enumerate(pair_contexts):
            order = (first, second) if index in first_left else (second, first)
            items.append(PlannedItem(dialogue_id=pk, shown=order))
    if pair_per_hit:
        return _hits_by_pair(items, len(pairs), items_per_hit, rng)
    rng.shuffle(items)
    return _chunks(items, items_per_hit)


def _chunks(items: list[PlannedItem], items_per_hit: int) -> list[list[PlannedItem]]:
    hits, cursor = [], 0
    for size in hit_sizes(len(items), items_per_hit):
        hits.append(items[cursor : cursor + size])
        cursor += size
    return hits


def _hits_by_pair(
    items: list[PlannedItem], n_pairs: int, items_per_hit: int, rng: random.Random
) -> list[list[PlannedItem]]:
    per_pair = len(items) // n_pairs
    hits: list[list[PlannedItem]] = []
    for k in range(n_pairs):
        mine = items[k * per_pair : (k + 1) * per_pair]
        rng.shuffle(mine)
        hits.extend(_chunks(mine, items_per_hit))
    rng.shuffle(hits)
    return hits
