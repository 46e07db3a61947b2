"""The pure HIT layout: seeded, balanced, gold dealt to every HIT."""

from __future__ import annotations

from collections import Counter

import pytest

from evalplatform.common.errors import ApplicationError
from evalplatform.crowd.services.layout import (
    GOLD,
    Filler,
    hit_sizes,
    layout_rng,
    plan_ab_hits,
    plan_rated_hits,
)


def rated(seed: int = 7, **overrides):
    kwargs = {
        "dialogue_ids": list(range(100, 130)),
        "system_ids": [1, 2, 3, 4],
        "items_per_hit": 10,
        "gold_per_hit": 3,
        "gold_eligible": set(range(120, 130)),
        "rng": layout_rng(protocol="ggb", seed=seed),
    }
    kwargs.update(overrides)
    return plan_rated_hits(**kwargs)


def test_hit_sizes_fill_hits_and_leave_the_remainder_last():
    assert hit_sizes(25, 10) == [10, 10, 5]
    assert hit_sizes(20, 10) == [10, 10]


def test_rated_layout_is_reproducible_from_the_seed_and_changes_with_it():
    assert rated(seed=7) == rated(seed=7)
    assert rated(seed=7) != rated(seed=8)


def test_rated_layout_uses_every_dialogue_once_and_shows_every_system():
    hits = rated()
    items = [item for hit in hits for item in hit]
    assert sorted(item.dialogue_id for item in items) == list(range(100, 130))
    for item in items:
        assert sorted(s for s in item.shown if isinstance(s, int)) == [1, 2, 3, 4]


def test_every_hit_gets_its_gold_quota_from_eligible_dialogues_only():
    hits = rated()
    for hit in hits:
        golds = [item for item in hit if item.has_gold]
        assert len(golds) == 3
        assert all(120 <= item.dialogue_id < 130 for item in golds)
        assert all(item.shown.count(GOLD) == 1 and len(item.shown) == 5 for item in golds)


def test_other_items_of_a_hit_with_gold_show_a_filler_from_outside_the_hit():
    for hit in rated():
        in_hit = {item.dialogue_id for item in hit}
        for item in hit:
            assert len(item.shown) == 5
            if not item.has_gold:
                (filler,) = [s for s in item.shown if isinstance(s, Filler)]
                assert 120 <= filler.dialogue_id < 130 and filler.dialogue_id not in in_hit


def test_candidate_order_is_shuffled_across_items():
    orders = Counter(item.shown for hit in rated(gold_per_hit=0) for item in hit)
    assert len(orders) > 5


def test_too_few_gold_dialogues_is_a_clear_error():
    with pytest.raises(ApplicationError, match=r"need 9 sampled dialogues .* has 2"):
        rated(gold_eligible={100, 101})


def ab(seed: int = 3, sample_size: int = 10, systems=(1, 2, 3)):
    n_pairs = len(systems) * (len(systems) - 1) // 2
    ids = list(range(1, sample_size * n_pairs + 1))
    return plan_ab_hits(
        dialogue_ids=ids,
        subset_of={pk: "OS" if pk % 2 else "ED" for pk in ids},
        system_ids=list(systems),
        sample_size=sample_size,
        items_per_hit=7,
        rng=layout_rng(protocol="ab", seed=seed),
    )


def test_ab_pairs_get_distinct_contexts_and_balanced_sides():
    items = [item for hit in ab() for item in hit]
    by_pair: dict[frozenset, list] = {}
    for item in items:
        by_pair.setdefault(frozenset(item.shown), []).append(item)
    assert set(by_pair) == {frozenset({1, 2}), frozenset({1, 3}), frozenset({2, 3})}
    seen = [item.dialogue_id for item in items]
    assert len(seen) == len(set(seen)) == 30  # no context judged for two pairs
    for pair, pair_items in by_pair.items():
        assert len(pair_items) == 10
        left = Counter(item.shown[0] for item in pair_items)
        assert sorted(left.values()) == [5, 5], pair
        subsets = Counter(item.dialogue_id % 2 for item in pair_items)
        assert abs(subsets[0] - subsets[1]) <= 1  # subsets spread over pairs


def test_ab_odd_contexts_split_as_evenly_as_possible():
    items = [item for hit in ab(sample_size=7, systems=(1, 2)) for item in hit]
    assert len(items) == 7
    left = Counter(item.shown[0] for item in items)
    assert sorted(left.values()) == [3, 4]


def test_ab_layout_is_reproducible_and_cut_into_hits():
    assert ab() == ab()
    assert [len(hit) for hit in ab()] == [7, 7, 7, 7, 2]


def test_ab_sample_of_the_wrong_size_is_refused():
    with pytest.raises(ApplicationError, match="needs 10 dialogues per pair"):
        plan_ab_hits(
            dialogue_ids=[1, 2, 3],
            subset_of={},
            system_ids=[1, 2, 3],
            sample_size=10,
            items_per_hit=5,
            rng=layout_rng(protocol="ab", seed=1),
        )
