"""A worker killed in the middle of a batch: every candidate still ends up stored exactly
once. The worker here is a separate ``celery worker`` process on the configured broker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from evalplatform.campaigns.models import Campaign, Candidate, System
from evalplatform.campaigns.services import campaign_create_from_preset
from evalplatform.campaigns.tasks import campaign_start_generation, requeue_stale_generation
from evalplatform.celery import app as celery_app
from tests.conftest import wait_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.celery_worker]
ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    """The test database, as a URL the worker process's settings understand."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker_process(
    marker: Path, concurrency: int, *, delay: str = "2", seen: Path | None = None
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "EVALPLATFORM_TEST_MARKER": str(marker),
        "EVALPLATFORM_TEST_DELAY": delay,
        "EVALPLATFORM_TEST_SEEN_DIR": str(seen or ""),
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "evalplatform",
            "worker",
            "-Q",
            "generation",
            "--pool",
            "prefork",
            "--concurrency",
            str(concurrency),
            "--loglevel",
            "warning",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )


@pytest.fixture
def slow_campaign(dataset, settings):
    settings.GENERATION_DIALOGUES_PER_TASK = 4
    celery_app.control.purge()
    system = System.objects.create(
        name="slow", kind="adapter", path="tests.campaigns.adapters:slow_echo"
    )
    return campaign_create_from_preset(
        preset_key="likert-erf",
        name="slow",
        dataset=dataset,
        systems=[system],
        overrides={"sample_size": 12},
    )


def is_ready(campaign: Campaign) -> bool:
    return Campaign.objects.get(pk=campaign.pk).status == "ready"


def assert_every_candidate_once(campaign: Campaign) -> None:
    sample = list(campaign.sample.values_list("dialogue_id", flat=True))
    stored = list(
        Candidate.objects.filter(dialogue_id__in=sample).values_list("dialogue_id", flat=True)
    )
    assert sorted(stored) == sorted(sample)


def test_killing_the_process_running_a_batch_redelivers_it(slow_campaign, tmp_path):
    marker = tmp_path / "pid"
    worker = start_worker_process(marker, concurrency=2)
    try:
        campaign_start_generation(campaign=slow_campaign)
        wait_until(marker.exists, 60, "a batch to start")
        os.kill(int(marker.read_text()), signal.SIGKILL)  # the pool process mid-batch
        wait_until(
            lambda: Campaign.objects.get(pk=slow_campaign.pk).status == "ready",
            120,
            "the campaign to be ready",
        )
        assert_every_candidate_once(slow_campaign)
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()


def test_a_worker_killed_outright_is_recovered_by_the_watchdog(slow_campaign, tmp_path, settings):
    marker = tmp_path / "pid"
    first = start_worker_process(marker, concurrency=1)
    campaign_start_generation(campaign=slow_campaign)
    wait_until(marker.exists, 60, "a batch to start")
    os.killpg(first.pid, signal.SIGKILL)  # the whole worker, as a machine that dies
    first.wait()
    # Brokers without redelivery (the filesystem one) lose the batch in flight; Redis would
    # redeliver it after its visibility timeout. The watchdog does not wait for either.
    celery_app.control.purge()
    settings.GENERATION_STALE_MINUTES = 0
    assert requeue_stale_generation() >= 1
    second = start_worker_process(tmp_path / "pid2", concurrency=1)
    try:
        wait_until(
            lambda: Campaign.objects.get(pk=slow_campaign.pk).status == "ready",
            120,
            "the campaign to be ready",
        )
        assert_every_candidate_once(slow_campaign)
    finally:
        os.killpg(second.pid, signal.SIGKILL)
        second.wait()


def test_two_worker_processes_share_a_campaign_without_duplicates(
    slow_campaign, tmp_path, settings
):
    """Scaling out: each worker process (in production one per GPU) takes whole batches
    from the same queue; together they store every candidate exactly once."""
    # Six batches of two dialogues, two seconds each: longer than a worker takes to start,
    # so both get work.
    settings.GENERATION_DIALOGUES_PER_TASK = 2
    seen = tmp_path / "seen"
    seen.mkdir()
    workers = [
        start_worker_process(tmp_path / f"pid{n}", concurrency=1, delay="2", seen=seen)
        for n in range(2)
    ]
    try:
        campaign_start_generation(campaign=slow_campaign)
        wait_until(
            lambda: Campaign.objects.get(pk=slow_campaign.pk).status == "ready",
            120,
            "the campaign to be ready",
        )
        assert_every_candidate_once(slow_campaign)
        handled = [path.read_text().split(",") for path in seen.iterdir()]
        keys = [key for batch in handled for key in batch]
        assert len(keys) == len(set(keys)) == 12  # no batch generated twice
        processes = {path.name.split("-")[0] for path in seen.iterdir()}
        assert len(processes) == 2  # both workers took part
    finally:
        for worker in workers:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
