"""Fixtures for the whole suite. Builders live in tests/factories.py; fixtures here stay
general: campaigns of each protocol, published with their HITs built, and workers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from evalplatform.campaigns.models import Campaign
from evalplatform.crowd.models import Worker
from tests.factories import WorkerFactory, make_campaign


@pytest.fixture
def campaign_factory(db) -> Callable[..., Campaign]:
    """``campaign_factory("likert-fce", status="ready", overrides={...})``: see
    tests.factories.make_campaign."""
    return make_campaign


@pytest.fixture
def ggb_campaign(db) -> Campaign:
    """Good/okay/bad, 4 systems, 3 HITs x 4 dialogues, 1 gold check per HIT, published."""
    return make_campaign("good-okay-bad")


@pytest.fixture
def likert_campaign(db) -> Campaign:
    """Likert (seed 000: fluency, consistency, emotion accuracy), 3 systems, published."""
    return make_campaign("likert-fce")


@pytest.fixture
def ab_campaign(db) -> Campaign:
    """A/B with tie, 3 systems (3 pairs x 4 contexts), 3 HITs, published."""
    return make_campaign("ab-wlt")


@pytest.fixture
def worker_factory(db) -> Callable[..., Worker]:
    def make(**kwargs: Any) -> Worker:
        return WorkerFactory(**kwargs)

    return make


@pytest.fixture
def worker(worker_factory) -> Worker:
    return worker_factory()
