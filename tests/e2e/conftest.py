from __future__ import annotations

import time
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.management import call_command
from django.db import connection

from evalplatform.campaigns.models import Dataset, System
from evalplatform.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]
SYSTEMS = ("warm", "plain", "curt")  # planted quality falls in this order


@pytest.fixture
def celery_worker_thread(transactional_db):
    """A real Celery worker on the configured broker (filesystem, or Redis in CI)."""
    celery_app.control.purge()
    with start_worker(
        celery_app,
        pool="solo",
        queues=["generation", "default"],
        perform_ping_check=False,
        shutdown_timeout=30,
    ) as worker:
        yield worker


@pytest.fixture
def demo_dataset(transactional_db) -> Dataset:
    call_command(
        "import_dialogues", str(ROOT / "demo" / "dialogues.jsonl"), dataset="demo", verbosity=0
    )
    return Dataset.objects.get(name="demo")


@pytest.fixture
def adapter_systems(transactional_db) -> list[System]:
    return [
        System.objects.create(name=name, kind="adapter", path=f"tests.e2e.adapters:{name}")
        for name in SYSTEMS
    ]


def wait_until(predicate, timeout: float = 180.0, what: str = "the worker") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        connection.close()
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")
