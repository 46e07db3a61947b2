"""Fixtures for the provider tests: campaigns with HITs, the fake MTurk and Prolific servers,
and settings that keep botocore offline and its backoff short."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from evalplatform.campaigns.models import Campaign, CampaignStatus, Dataset
from evalplatform.crowd.models import Hit
from tests.providers.fakes.mturk_server import FakeMTurk, FakeMTurkServer
from tests.providers.fakes.prolific_server import FakeProlificServer


@pytest.fixture(autouse=True)
def _offline_aws(monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    # botocore must never look for credentials on the network (instance metadata).
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    settings.PUBLIC_BASE_URL = "https://eval.example.org"
    settings.MTURK_SANDBOX = True
    # "standard" retries with a tiny backoff keep the suite fast; the default ("adaptive")
    # also paces the client after throttling, which one test checks on a smaller batch.
    settings.MTURK_RETRY_MODE = "standard"
    settings.MTURK_RETRY_MAX_BACKOFF = 0.01
    settings.MTURK_SERVICE_FAULT_SLEEP = 0.0
    settings.PROLIFIC_RETRY_SLEEP = 0.0
    settings.PROLIFIC_API_TOKEN = "test-token"


def make_hits_campaign(
    *, name: str = "seed-002", provider: str = "mturk", hits: int = 0, **fields: Any
) -> Campaign:
    dataset, _ = Dataset.objects.get_or_create(name=f"ds-{name}")
    values: dict[str, Any] = {
        "protocol": "ggb",
        "title": "Sort chatbot responses into Good, Okay and Bad",
        "description": "Drag each candidate response into Good, Okay or Bad.",
        "status": CampaignStatus.READY,
        "sample_size": 6000,
        "items_per_hit": 10,
        "assignments_per_hit": 4,
        "gold_per_hit": 3,
        "reward": Decimal("0.40"),
        "bonus": Decimal("0.10"),
        "max_hits_per_worker": 50,
        "provider": provider,
    }
    values.update(fields)
    campaign = Campaign.objects.create(name=name, dataset=dataset, **values)
    Hit.objects.bulk_create(Hit(campaign=campaign, index=i) for i in range(hits))
    return campaign


@pytest.fixture
def fake_mturk(settings: Any) -> Iterator[FakeMTurk]:
    with FakeMTurkServer() as server:
        settings.MTURK_ENDPOINT_URL = server.url
        yield server.fake


@pytest.fixture
def fake_prolific(settings: Any) -> Iterator[Any]:
    with FakeProlificServer() as server:
        settings.PROLIFIC_API_URL = server.url + "/api/v1/"
        yield server.fake
