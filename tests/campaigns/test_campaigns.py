"""Campaigns from presets, their validation, status transitions and sampling."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from evalplatform.campaigns.models import Campaign, CampaignStatus, Candidate, Criterion, System
from evalplatform.campaigns.presets import PRESETS
from evalplatform.campaigns.services import (
    campaign_create_from_preset,
    campaign_draw_sample,
    campaign_transition,
)
from evalplatform.campaigns.validation import campaign_problems
from evalplatform.common.errors import ApplicationError, InvalidTransition

pytestmark = pytest.mark.django_db


def make(preset, dataset, systems, **overrides):
    return campaign_create_from_preset(
        preset_key=preset,
        name=f"c-{preset}-{len(systems)}",
        dataset=dataset,
        systems=systems,
        overrides={"sample_size": 10, **overrides},
    )


@pytest.mark.parametrize("key", sorted(PRESETS))
def test_every_preset_creates_a_runnable_campaign(key, dataset, systems):
    campaign = make(key, dataset, systems, **({"sample_size": 6} if key == "ab-wlt" else {}))
    preset = PRESETS[key]
    assert campaign.protocol == preset.protocol
    assert [c.name for c in campaign.criteria.all()] == [c.name for c in preset.criteria]
    assert campaign.assignments_per_hit == preset.assignments_per_hit
    assert campaign.reward == preset.reward
    assert campaign_problems(campaign) == []


def test_seed_002_preset_carries_the_papers_hit_shape(dataset, systems):
    campaign = make("good-okay-bad", dataset, systems, sample_size=12)
    assert (campaign.items_per_hit, campaign.assignments_per_hit, campaign.gold_per_hit) == (
        10,
        4,
        3,
    )
    assert campaign.gold_subset == "ED" and campaign.max_hits_per_worker == 50
    assert str(campaign.bonus) == "0.10" and str(campaign.reward) == "0.40"
    assert campaign.worker_requirements["locales"] == ["US", "AU", "NZ", "GB", "CA"]


def test_likert_fce_anchors_and_binary_emotion_accuracy(dataset, systems):
    campaign = make("likert-fce", dataset, systems)
    fluency = campaign.criteria.get(name="fluency")
    assert fluency.anchors["1"] == "unacceptable" and fluency.anchors["5"] == "excellent"
    assert fluency.allowed_values() == ["1", "2", "3", "4", "5"]
    emo = campaign.criteria.get(name="emotion_accuracy")
    assert emo.kind == "binary" and emo.allowed_values() == ["0", "1"]


def test_ab_campaign_needs_two_systems(dataset, systems):
    campaign = make("ab-wlt", dataset, systems[:1])
    assert campaign_problems(campaign) == ["An A/B campaign needs at least two systems; it has 1."]


def test_ggb_campaign_needs_two_to_eight_candidates(dataset, db):
    many = [System.objects.create(name=f"s{i}", kind="imported") for i in range(8)]
    problems = campaign_problems(make("good-okay-bad", dataset, many))
    assert problems == [
        "A good/okay/bad campaign shows 2 to 8 candidates per item; with 8 systems it "
        "would show 8 (up to 9 with gold)."
    ]
    one = campaign_problems(make("good-okay-bad", dataset, many[:1]))
    assert "with 1 systems it would show 1 (up to 2 with gold)" in one[0]
    assert campaign_problems(make("good-okay-bad", dataset, many[:7])) == []


def test_gold_checks_need_dialogues_with_a_gold_response(dataset, systems):
    dataset.dialogues.filter(subset="ED").update(gold_response="")
    problems = campaign_problems(make("good-okay-bad", dataset, systems, sample_size=30))
    assert any("dialogues with a gold response in subset 'ED'" in p for p in problems)


def test_sample_larger_than_the_dataset_is_explained(dataset, systems):
    problems = campaign_problems(make("likert-erf", dataset, systems, sample_size=500))
    assert problems == ["The sample needs 500 dialogues but dataset test-set has 60."]


def test_ab_sample_is_per_pair(dataset, systems):
    campaign = make("ab-wlt", dataset, systems, sample_size=5)
    drawn = campaign_draw_sample(campaign=campaign)
    assert len(drawn) == 15 and len(set(drawn)) == 15  # 3 pairs x 5 distinct contexts


def test_sample_is_seeded_stratified_and_drawn_once(dataset, systems):
    first = make("good-okay-bad", dataset, systems, sample_size=9)
    drawn = campaign_draw_sample(campaign=first)
    subsets = sorted(first.sample.values_list("dialogue__subset", flat=True))
    assert subsets.count("OS") == subsets.count("ED") == subsets.count("EDOS") == 3
    assert campaign_draw_sample(campaign=first) == drawn
    twin = campaign_create_from_preset(
        preset_key="good-okay-bad",
        name="twin",
        dataset=dataset,
        systems=systems,
        overrides={"sample_size": 9},
    )
    assert campaign_draw_sample(campaign=twin) == drawn
    other = campaign_create_from_preset(
        preset_key="good-okay-bad",
        name="other",
        dataset=dataset,
        systems=systems,
        overrides={"sample_size": 9, "sample_seed": 1},
    )
    assert campaign_draw_sample(campaign=other) != drawn


def test_status_moves_forward_only(dataset, systems):
    campaign = make("likert-erf", dataset, systems)
    for status in ("generating", "ready", "published", "collecting", "closed"):
        campaign_transition(campaign=campaign, to=status)
        assert Campaign.objects.get(pk=campaign.pk).status == status
    with pytest.raises(InvalidTransition, match="cannot go from closed to draft"):
        campaign_transition(campaign=campaign, to=CampaignStatus.DRAFT)


@pytest.mark.parametrize(
    ("start", "target"),
    [
        ("draft", "ready"),
        ("draft", "published"),
        ("ready", "generating"),
        ("published", "ready"),
        ("collecting", "published"),
    ],
)
def test_status_refuses_skips_and_backward_moves(dataset, systems, start, target):
    campaign = make("likert-erf", dataset, systems)
    Campaign.objects.filter(pk=campaign.pk).update(status=start)
    with pytest.raises(InvalidTransition):
        campaign_transition(campaign=campaign, to=target)
    assert Campaign.objects.get(pk=campaign.pk).status == start


def test_unknown_preset_is_explained(dataset, systems):
    with pytest.raises(ApplicationError, match="Unknown preset 'nope'; choose one of"):
        campaign_create_from_preset(preset_key="nope", name="x", dataset=dataset, systems=systems)


def test_database_refuses_duplicate_candidate_and_criterion(dataset, systems):
    dialogue = dataset.dialogues.first()
    Candidate.objects.create(system=systems[0], dialogue=dialogue, text="one")
    with pytest.raises(IntegrityError), transaction.atomic():
        Candidate.objects.create(system=systems[0], dialogue=dialogue, text="two")
    campaign = make("likert-erf", dataset, systems)
    with pytest.raises(IntegrityError), transaction.atomic():
        Criterion.objects.create(campaign=campaign, name="fluency", question="?", kind="scale")


def test_database_refuses_gold_beyond_hit_size_and_bad_status(dataset, systems):
    campaign = make("likert-erf", dataset, systems)
    with pytest.raises(IntegrityError), transaction.atomic():
        Campaign.objects.filter(pk=campaign.pk).update(gold_per_hit=11)
    with pytest.raises(IntegrityError), transaction.atomic():
        Campaign.objects.filter(pk=campaign.pk).update(status="archived")
