"""Building HITs from a campaign's sample, and publishing them for the local crowd."""

from __future__ import annotations

from collections import Counter

import pytest

from evalplatform.campaigns.models import CampaignStatus, Candidate
from evalplatform.common.errors import ApplicationError, InvalidTransition
from evalplatform.crowd.models import Hit, Item, ItemCandidate
from evalplatform.crowd.services import campaign_publish_hits, hits_build
from tests.factories import SystemFactory, make_campaign, make_dataset

pytestmark = pytest.mark.django_db


def layout(campaign) -> list[list[tuple[int, tuple]]]:
    """HITs as (dialogue, shown system names or GOLD) per item, comparable across campaigns."""
    return [
        [
            (
                item.dialogue_id,
                tuple(
                    "GOLD"
                    if ic.is_gold
                    else f"FILLER {ic.filler_dialogue_id}"
                    if ic.is_filler
                    else ic.candidate.system.name
                    for ic in item.candidates.select_related("candidate__system")
                ),
            )
            for item in hit.items.all()
        ]
        for hit in Hit.objects.filter(campaign=campaign).prefetch_related("items")
    ]


def test_good_okay_bad_hits_have_every_system_and_gold_per_hit(ggb_campaign):
    hits = list(ggb_campaign.hits.all())
    assert len(hits) == 3
    for hit in hits:
        items = list(hit.items.all())
        assert len(items) == 4
        golds = [item for item in items if item.has_gold]
        assert len(golds) == ggb_campaign.gold_per_hit == 1
        hit_dialogues = {item.dialogue_id for item in items}
        for item in items:
            shown = list(item.candidates.all())
            assert [ic.position for ic in shown] == list(range(len(shown))) == list(range(5))
            assert sum(ic.is_gold for ic in shown) == (1 if item.has_gold else 0)
            assert sum(ic.is_filler for ic in shown) == (0 if item.has_gold else 1)
            systems = {ic.candidate.system_id for ic in shown if ic.candidate_id}
            assert systems == set(ggb_campaign.systems.values_list("pk", flat=True))
            for filler in (ic for ic in shown if ic.is_filler):
                assert filler.filler_dialogue_id not in hit_dialogues
                assert filler.text == filler.filler_dialogue.gold_response
        for item in golds:
            assert item.dialogue.subset == ggb_campaign.gold_subset == "ED"
            assert item.dialogue.gold_response


def test_building_is_reproducible_from_the_sample_seed():
    dataset = make_dataset(subsets=("OS", "EDOS", "ED"))
    systems = SystemFactory.create_batch(4)
    first = make_campaign("good-okay-bad", dataset=dataset, systems=systems, name="one")
    second = make_campaign("good-okay-bad", dataset=dataset, systems=systems, name="two")
    other = make_campaign(
        "good-okay-bad",
        dataset=dataset,
        systems=systems,
        name="three",
        overrides={"sample_seed": 99},
    )
    assert layout(first) == layout(second)
    assert layout(first) != layout(other)


def test_building_twice_builds_nothing_more(ggb_campaign):
    before = ItemCandidate.objects.filter(item__hit__campaign=ggb_campaign).count()
    assert hits_build(campaign=ggb_campaign) == 0
    assert campaign_publish_hits(campaign=ggb_campaign) == 0
    assert ItemCandidate.objects.filter(item__hit__campaign=ggb_campaign).count() == before


def test_missing_candidates_name_system_and_dialogue_and_store_nothing():
    campaign = make_campaign("likert-fce", status=CampaignStatus.READY)
    victim = (
        Candidate.objects.filter(system__in=campaign.systems.all())
        .select_related("system", "dialogue")
        .first()
    )
    name, dialogue = victim.system.name, str(victim.dialogue)
    victim.delete()
    with pytest.raises(ApplicationError) as error:
        hits_build(campaign=campaign)
    assert name in error.value.message and dialogue in error.value.message
    assert "1 response(s) are missing" in error.value.message
    assert not Hit.objects.filter(campaign=campaign).exists()
    assert not Item.objects.filter(hit__campaign=campaign).exists()


def test_hits_are_built_only_once_responses_are_ready():
    campaign = make_campaign("likert-fce", status=CampaignStatus.DRAFT)
    with pytest.raises(InvalidTransition, match="once its responses are ready"):
        hits_build(campaign=campaign)


def test_likert_item_shows_all_systems_responses_to_one_context(likert_campaign):
    item = Item.objects.filter(hit__campaign=likert_campaign).first()
    shown = item.candidates.select_related("candidate")
    assert {ic.candidate.dialogue_id for ic in shown} == {item.dialogue_id}
    assert shown.count() == likert_campaign.systems.count() == 3


def test_ab_gives_each_pair_distinct_contexts_balanced_left_and_right(ab_campaign):
    per_pair: dict[frozenset, list[tuple[int, int]]] = {}
    for item in Item.objects.filter(hit__campaign=ab_campaign).prefetch_related(
        "candidates__candidate"
    ):
        a, b = (ic.candidate for ic in item.candidates.all())
        assert [ic.position for ic in item.candidates.all()] == [0, 1]
        assert a.dialogue_id == b.dialogue_id == item.dialogue_id
        per_pair.setdefault(frozenset({a.system_id, b.system_id}), []).append(
            (item.dialogue_id, a.system_id)
        )
    assert len(per_pair) == 3
    contexts = [dialogue for items in per_pair.values() for dialogue, _ in items]
    assert len(contexts) == len(set(contexts)) == 12
    for items in per_pair.values():
        assert sorted(Counter(left for _, left in items).values()) == [2, 2]


def test_publish_opens_a_ready_campaign_once():
    campaign = make_campaign("ab-wlt", status=CampaignStatus.READY)
    assert campaign_publish_hits(campaign=campaign) == 3
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.PUBLISHED
    assert campaign_publish_hits(campaign=campaign) == 0


def test_publishing_a_draft_is_refused():
    campaign = make_campaign("ab-wlt", status=CampaignStatus.DRAFT)
    with pytest.raises(InvalidTransition, match="only a ready campaign"):
        campaign_publish_hits(campaign=campaign)
