"""Cost estimates with the providers' fees, and the MTurk environment switches."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from evalplatform.providers.costs import (
    campaign_estimate,
    mturk_assignment_fee,
    mturk_bonus_fee,
)
from evalplatform.providers.mturk.environment import mturk_environment
from tests.providers.conftest import make_hits_campaign

D = Decimal


def test_mturk_fee_rules_from_the_pricing_page() -> None:
    assert D("0.50") + mturk_assignment_fee(D("0.50"), 9) == D("0.60")
    assert D("0.50") + mturk_assignment_fee(D("0.50"), 10) == D("0.70")  # +20 % at 10+
    assert D("0.02") + mturk_assignment_fee(D("0.02"), 1) == D("0.03")  # $0.01 minimum
    assert D("0.03") + mturk_bonus_fee(D("0.03")) == D("0.04")
    assert mturk_assignment_fee(D("1.00"), 1, masters=True) == D("0.25")


@pytest.mark.django_db
def test_seed_002_estimate_before_hits_exist() -> None:
    campaign = make_hits_campaign(hits=0)  # 6000 dialogues / 10 per HIT, 4 workers per HIT
    estimate = campaign_estimate(campaign, "mturk")
    assert (estimate.hits, estimate.assignments) == (600, 2400)
    assert estimate.rewards == D("960.00") and estimate.bonuses == D("240.00")
    assert estimate.fees == D("240.00")  # 0.08 per assignment + 0.02 per bonus
    assert estimate.total == D("1440.00")


@pytest.mark.django_db
def test_prolific_estimate_uses_the_fee_setting(settings: Any) -> None:
    campaign = make_hits_campaign(hits=600, provider="prolific")
    assert campaign_estimate(campaign, "prolific").total == D("1713.60")  # 42.8 % by default
    settings.PROLIFIC_FEE_RATE = "0.333"
    assert campaign_estimate(campaign, "prolific").fees == D("399.60")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("sandbox_setting", "campaign_flag", "expected"),
    [
        (True, False, "sandbox"),
        (True, True, "sandbox"),
        (False, False, "sandbox"),
        (False, True, "production"),
    ],
)
def test_production_needs_both_switches(
    settings: Any, sandbox_setting: bool, campaign_flag: bool, expected: str
) -> None:
    settings.MTURK_SANDBOX = sandbox_setting
    campaign = make_hits_campaign(provider_settings={"mturk_production": campaign_flag})
    assert mturk_environment(campaign) == expected
