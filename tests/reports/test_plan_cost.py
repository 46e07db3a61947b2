"""A plan's cost is the provider's estimate for the same design (one home for the fees)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from evalplatform.analysis.planning import Design
from evalplatform.providers.costs import (
    Pay,
    campaign_estimate,
    design_cost,
)
from evalplatform.reports.planning import PlanError, PlanInputs, design_pricing

D = Decimal


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("provider", "estimate", "preset", "overrides"),
    [
        # ten raters a HIT: MTurk's extra 20 %; a bonus (earned on gold checks) with its own
        # fee; Masters' 5 %; a bonus where no gold check can earn it
        ("mturk", campaign_estimate, "good-okay-bad", {"assignments_per_hit": 10, "bonus": "0.07"}),
        ("mturk", campaign_estimate, "likert-fce", {"worker_requirements": {"masters": True}}),
        ("prolific", campaign_estimate, "good-okay-bad", {"bonus": "0.13"}),
        ("prolific", campaign_estimate, "likert-fce", {"bonus": "0.13"}),
    ],
)
def test_the_planner_prices_the_campaigns_design_as_its_provider_estimates_it(
    provider, estimate, preset, overrides
):
    from evalplatform.campaigns.models import CampaignStatus
    from evalplatform.reports.planning import campaign_plan_inputs
    from tests.factories import make_campaign

    campaign = make_campaign(
        preset,
        status=CampaignStatus.DRAFT,
        overrides={"provider": provider, "reward": "0.33", **overrides},
    )
    inputs = campaign_plan_inputs(campaign)
    provider_says = estimate(campaign)
    assert inputs.current == Design(
        campaign.sample_size, campaign.assignments_per_hit, campaign.items_per_hit
    )
    planner_says = design_pricing(inputs)(provider_says.hits, campaign.assignments_per_hit)
    assert provider_says.fees > 0
    assert planner_says == float(provider_says.total)


def test_design_cost_follows_each_providers_fee_rules(settings):
    settings.PROLIFIC_FEE_RATE = "0.333"
    pay = Pay(D("0.50"), D("0.10"))
    # MTurk: 0.10 a reward (20 %), 0.02 a bonus; 40 % at 10 assignments a HIT
    assert design_cost("mturk", pay, hits=3, assignments_per_hit=2).total == D("4.32")
    assert design_cost("mturk", pay, hits=1, assignments_per_hit=10).total == D("8.20")
    # Prolific: the rate on the rewards and on the bonuses, each rounded to the cent
    assert design_cost("prolific", pay, hits=3, assignments_per_hit=2).fees == D("1.20")
    assert design_cost("local", pay, hits=3, assignments_per_hit=2).total == D("3.60")


def test_an_unknown_provider_is_refused_by_name_before_any_simulation():
    with pytest.raises(PlanError, match="'mechanical'"):
        design_pricing(PlanInputs(protocol="likert", systems=("A", "B"), provider="mechanical"))


@pytest.mark.django_db
@pytest.mark.parametrize("provider", ["mturk", "prolific", "local"])
def test_a_bonus_is_priced_only_where_gold_checks_can_earn_it(provider):
    """The bonus is paid on gold checks (crowd/scoring.py): every provider's estimate, and
    so the planner's price, counts it for a campaign with gold checks and not without."""
    from tests.factories import make_campaign

    estimate = campaign_estimate  # priced by the campaign's own provider
    with_gold = make_campaign("good-okay-bad", overrides={"provider": provider, "bonus": "0.10"})
    without = make_campaign("likert-fce", overrides={"provider": provider, "bonus": "0.10"})
    assert with_gold.gold_per_hit and not without.gold_per_hit
    assert estimate(with_gold).bonuses > 0
    assert estimate(without).bonuses == 0
