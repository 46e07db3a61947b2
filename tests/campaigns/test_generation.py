"""Generation through real Celery tasks: a worker started by the test consumes the
configured broker (the filesystem broker by default, Redis in CI)."""

from __future__ import annotations

import pytest

from evalplatform.campaigns.models import Campaign, CampaignSystem, Candidate, System
from evalplatform.campaigns.services import campaign_create_from_preset
from evalplatform.campaigns.tasks import campaign_start_generation
from evalplatform.common.errors import InvalidTransition
from tests.conftest import wait_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.celery_worker]


def campaign_with(dataset, systems, **overrides) -> Campaign:
    return campaign_create_from_preset(
        preset_key="likert-erf",
        name="gen",
        dataset=dataset,
        systems=systems,
        overrides={"sample_size": 12, **overrides},
    )


def settled(campaign: Campaign) -> bool:
    return not CampaignSystem.objects.filter(
        campaign=campaign, generation_status__in=["pending", "running"]
    ).exists()


def test_generate_fills_every_candidate_from_hf_models_and_adapters(
    dataset, tiny_models, celery_worker_thread, settings
):
    settings.GENERATION_DIALOGUES_PER_TASK = 5
    systems = [
        System.objects.create(
            name="bart",
            kind="hf_seq2seq",
            path=str(tiny_models["bart"]),
            decoding={"num_beams": 2, "no_repeat_ngram_size": 3, "max_new_tokens": 8},
        ),
        System.objects.create(
            name="gpt2",
            kind="hf_causal",
            path=str(tiny_models["gpt2"]),
            decoding={"do_sample": True, "top_k": 3, "max_new_tokens": 8},
        ),
        System.objects.create(name="echo", kind="adapter", path="tests.campaigns.adapters:echo"),
    ]
    campaign = campaign_with(dataset, systems)
    queued = campaign_start_generation(campaign=campaign)
    assert queued == 3 * 3  # 12 dialogues in batches of 5, per system
    wait_until(lambda: Campaign.objects.get(pk=campaign.pk).status == "ready")
    sample = list(campaign.sample.values_list("dialogue_id", flat=True))
    for system in systems:
        got = Candidate.objects.filter(system=system, dialogue_id__in=sample)
        assert got.count() == 12
    entry = CampaignSystem.objects.get(campaign=campaign, system=systems[0])
    assert (entry.generation_status, entry.generation_done, entry.generation_total) == (
        "done",
        12,
        12,
    )
    bart = Candidate.objects.filter(system=systems[0]).first()
    assert bart.decoding["num_beams"] == 2 and bart.gold_perplexity > 1
    assert bart.label  # the tiny BART carries an emotion classifier
    echo = Candidate.objects.get(system=systems[2], dialogue_id=sample[0])
    assert echo.text == echo.dialogue.turns[-1]["text"].upper() and echo.label == "sad"


def test_a_broken_system_fails_with_its_message_and_does_not_block_others(
    dataset, celery_worker_thread, tmp_path
):
    corrupt = tmp_path / "corrupt"
    corrupt.mkdir()
    (corrupt / "config.json").write_text("{not json")
    systems = [
        System.objects.create(name="ok", kind="adapter", path="tests.campaigns.adapters:echo"),
        System.objects.create(name="missing", kind="hf_causal", path=str(tmp_path / "nowhere")),
        System.objects.create(name="corrupt", kind="hf_seq2seq", path=str(corrupt)),
        System.objects.create(
            name="raises", kind="adapter", path="tests.campaigns.adapters:raises"
        ),
        System.objects.create(
            name="short", kind="adapter", path="tests.campaigns.adapters:one_short"
        ),
    ]
    campaign = campaign_with(dataset, systems)
    campaign_start_generation(campaign=campaign)
    wait_until(lambda: settled(campaign))
    entries = {e.system.name: e for e in CampaignSystem.objects.filter(campaign=campaign)}
    assert entries["ok"].generation_status == "done"
    assert "not found" in entries["missing"].generation_error
    assert str(tmp_path / "nowhere") in entries["missing"].generation_error
    assert "could not be loaded" in entries["corrupt"].generation_error
    assert "the research model crashed" in entries["raises"].generation_error
    assert "returned" in entries["short"].generation_error
    for name in ("missing", "corrupt", "raises", "short"):
        assert entries[name].generation_status == "failed"
        assert not Candidate.objects.filter(system__name=name).exists()  # nothing half-written
    assert Campaign.objects.get(pk=campaign.pk).status == "generating"


def test_an_empty_dialogue_is_named_and_nothing_is_stored(dataset, celery_worker_thread):
    dataset.dialogues.update(turns=[{"speaker": "speaker1", "text": "   "}])
    system = System.objects.create(name="ok", kind="adapter", path="tests.campaigns.adapters:echo")
    campaign = campaign_with(dataset, [system])
    campaign_start_generation(campaign=campaign)
    wait_until(lambda: settled(campaign))
    entry = CampaignSystem.objects.get(campaign=campaign)
    assert entry.generation_status == "failed"
    assert "has no non-empty turn" in entry.generation_error
    assert not Candidate.objects.exists()


def test_imported_systems_need_every_response_and_restart_is_idempotent(
    dataset, celery_worker_thread, systems
):
    campaign = campaign_with(dataset, systems[:1])
    assert campaign_start_generation(campaign=campaign) == 0
    entry = CampaignSystem.objects.get(campaign=campaign)
    assert entry.generation_status == "failed"
    assert "has no response for 12 sampled dialogues" in entry.generation_error
    for dialogue_id in campaign.sample.values_list("dialogue_id", flat=True):
        Candidate.objects.create(system=systems[0], dialogue_id=dialogue_id, text="imported")
    campaign.refresh_from_db()
    assert campaign_start_generation(campaign=campaign) == 0
    assert Campaign.objects.get(pk=campaign.pk).status == "ready"
    with pytest.raises(InvalidTransition):
        campaign_start_generation(campaign=Campaign.objects.get(pk=campaign.pk))


def test_a_campaign_mixing_imported_and_generated_systems_is_ready_after_one_generate(
    dataset, celery_worker_thread
):
    imported = System.objects.create(name="imported", kind="imported")
    for dialogue_id in dataset.dialogues.values_list("pk", flat=True):
        Candidate.objects.create(system=imported, dialogue_id=dialogue_id, text="imported")
    generated = System.objects.create(
        name="echo", kind="adapter", path="tests.campaigns.adapters:echo"
    )
    campaign = campaign_with(dataset, [imported, generated], sample_size=5)

    assert campaign_start_generation(campaign=campaign) == 1  # the generated system's batch

    wait_until(lambda: Campaign.objects.get(pk=campaign.pk).status == "ready")
    statuses = CampaignSystem.objects.filter(campaign=campaign).order_by("position")
    assert [(e.generation_status, e.generation_done) for e in statuses] == [
        ("done", 5),
        ("done", 5),
    ]
