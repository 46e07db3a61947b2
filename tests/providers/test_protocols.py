"""The provider interface as runtime-checkable protocols: every adapter is a CrowdProvider,
and the optional capabilities are told apart by isinstance, not by probing method names."""

from __future__ import annotations

import pytest

from evalplatform.providers.base import CrowdProvider, SupportsBulkBonuses, SupportsWorkerLimits
from evalplatform.providers.registry import get_provider
from evalplatform.providers.services import campaign_worker_limits_enforce
from tests.providers.conftest import make_hits_campaign

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "capabilities"),
    [
        ("local", set()),
        ("mturk", {SupportsBulkBonuses, SupportsWorkerLimits}),
        ("prolific", {SupportsBulkBonuses, SupportsWorkerLimits}),
    ],
)
def test_each_provider_declares_its_capabilities_through_the_protocols(name, capabilities):
    provider = get_provider(name, make_hits_campaign(hits=1, provider=name))
    assert isinstance(provider, CrowdProvider)
    found = {p for p in (SupportsBulkBonuses, SupportsWorkerLimits) if isinstance(provider, p)}
    assert found == capabilities


def test_a_provider_without_worker_limits_enforces_them_at_lease_time_only():
    campaign = make_hits_campaign(hits=1, provider="local", status="published")
    assert campaign_worker_limits_enforce(campaign=campaign) == 0
