from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from evalplatform.campaigns.models import Dataset, System

ROOT = Path(__file__).resolve().parents[2]
SYSTEMS = ("warm", "plain", "curt")  # planted quality falls in this order


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
