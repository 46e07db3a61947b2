"""Generation bookkeeping without a worker: failures that race a success, the watchdog."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from evalplatform.campaigns.candidates import (
    campaign_system_fail,
    missing_dialogue_ids,
)
from evalplatform.campaigns.models import Campaign, CampaignSystem, Candidate, System
from evalplatform.campaigns.services import campaign_create_from_preset
from evalplatform.campaigns.tasks import campaign_start_generation, requeue_stale_generation

pytestmark = pytest.mark.django_db


@pytest.fixture
def generating(dataset, settings) -> Campaign:
    settings.GENERATION_DIALOGUES_PER_TASK = 5
    systems = [
        System.objects.create(name=n, kind="adapter", path="tests.campaigns.adapters:echo")
        for n in ("one", "two")
    ]
    campaign = campaign_create_from_preset(
        preset_key="likert-erf",
        name="gen",
        dataset=dataset,
        systems=systems,
        overrides={"sample_size": 10},
    )
    assert campaign_start_generation(campaign=campaign) == 4  # 2 systems x 2 batches
    return campaign


def test_a_duplicate_batch_failing_after_completion_leaves_the_system_done(generating):
    entry = CampaignSystem.objects.get(campaign=generating, system__name="one")
    for dialogue_id in missing_dialogue_ids(entry):
        Candidate.objects.create(system=entry.system, dialogue_id=dialogue_id, text="done")
    campaign_system_fail(entry_id=entry.pk, message="CUDA out of memory")
    entry.refresh_from_db()
    assert entry.generation_status == "done" and entry.generation_error == ""


def test_a_real_failure_is_recorded(generating):
    entry = CampaignSystem.objects.get(campaign=generating, system__name="one")
    campaign_system_fail(entry_id=entry.pk, message="adapter 'x' failed")
    entry.refresh_from_db()
    assert entry.generation_status == "failed" and entry.generation_error == "adapter 'x' failed"


def test_watchdog_restarts_a_stale_campaign_once_and_not_a_fresh_one(generating, settings):
    settings.GENERATION_STALE_MINUTES = 60
    assert requeue_stale_generation() == 0  # just started: nothing is stale
    CampaignSystem.objects.filter(campaign=generating).update(
        generation_started_at=timezone.now() - timedelta(hours=2)
    )
    # Both systems are stale; their campaign is restarted once: 4 batches, not 8.
    assert requeue_stale_generation() == 4
    assert requeue_stale_generation() == 0  # the restart counts as progress


def test_generation_batches_are_queued_only_once_the_plan_commits(
    dataset, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from evalplatform.campaigns import tasks

    settings.GENERATION_DIALOGUES_PER_TASK = 5
    system = System.objects.create(name="one", kind="adapter", path="tests.campaigns.adapters:echo")
    campaign = campaign_create_from_preset(
        preset_key="likert-erf",
        name="gen",
        dataset=dataset,
        systems=[system],
        overrides={"sample_size": 10},
    )
    queued: list[tuple[int, list[int]]] = []
    monkeypatch.setattr(tasks.generate_batch, "delay", lambda *args: queued.append(args))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert campaign_start_generation(campaign=campaign) == 2
        assert queued == []  # nothing leaves before the transaction commits
    assert len(callbacks) == 2
    entry = CampaignSystem.objects.get(campaign=campaign)
    assert [entry_id for entry_id, _ in queued] == [entry.pk, entry.pk]
    assert sorted(pk for _, ids in queued for pk in ids) == sorted(
        campaign.sample.values_list("dialogue_id", flat=True)
    )
