"""Publishing freezes the campaign's latest finished plan with it (design, target, smallest
difference, seed, predicted power), and nothing changes that copy afterwards: no new plan
is taken, a plan finishing later leaves it alone, and no campaign update reaches it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from evalplatform.campaigns.models import Campaign, CampaignPlan, CampaignStatus, PlanState
from evalplatform.campaigns.services import campaign_update
from evalplatform.common.errors import InvalidTransition
from evalplatform.crowd.services import campaign_publish_hits
from evalplatform.reports.plan_runs import campaign_plan_request, campaign_plan_run
from tests.factories import make_campaign

pytestmark = pytest.mark.django_db
SETS = 10


def planned(campaign: Campaign, difference: float, seed: int = 0) -> CampaignPlan:
    plan, _ = campaign_plan_request(campaign=campaign, difference=difference, sets=SETS, seed=seed)
    campaign_plan_run(plan_id=plan.pk)
    plan.refresh_from_db()
    return plan


def failed(campaign: Campaign, difference: float) -> CampaignPlan:
    plan, _ = campaign_plan_request(campaign=campaign, difference=difference, sets=SETS)
    CampaignPlan.objects.filter(pk=plan.pk).update(pilot_csv="item\n")  # cannot be read
    campaign_plan_run(plan_id=plan.pk)
    plan.refresh_from_db()
    return plan


def test_publishing_freezes_the_latest_finished_plan_with_the_campaign():
    campaign = make_campaign("likert-fce", status=CampaignStatus.READY)
    made = planned(campaign, 0.5, seed=7)
    assert failed(campaign, 0.8).state == PlanState.FAILED  # later, but it did not finish
    campaign_plan_request(campaign=campaign, difference=0.2, sets=SETS)  # latest, still queued
    campaign_publish_hits(campaign=campaign)
    frozen = Campaign.objects.get(pk=campaign.pk).frozen_plan
    assert frozen["plan"] == made.pk
    assert (frozen["difference"], frozen["target"], frozen["seed"]) == (0.5, 0.8, 7)
    assert frozen["design"] == {
        "items": campaign.sample_size,
        "raters": campaign.assignments_per_hit,
        "items_per_hit": campaign.items_per_hit,
    }
    assert frozen["predicted"] == made.result["current"]
    assert frozen["result"] == made.result


def test_a_campaign_published_without_a_plan_freezes_none():
    campaign = make_campaign("likert-fce", status=CampaignStatus.PUBLISHED)
    assert Campaign.objects.get(pk=campaign.pk).frozen_plan is None


def test_the_frozen_plan_cannot_change_after_publishing():
    campaign = make_campaign("likert-fce", status=CampaignStatus.READY)
    running, _ = campaign_plan_request(campaign=campaign, difference=0.5, sets=SETS)
    campaign_publish_hits(campaign=campaign)
    assert Campaign.objects.get(pk=campaign.pk).frozen_plan is None  # none had finished

    with pytest.raises(InvalidTransition):
        campaign_plan_request(campaign=campaign, difference=0.1, sets=SETS)
    campaign_plan_run(plan_id=running.pk)  # the plan that was running finishes afterwards
    assert CampaignPlan.objects.get(pk=running.pk).state == PlanState.DONE
    with pytest.raises(ValidationError) as refused:
        campaign_update(campaign=campaign, changes={"frozen_plan": running.result})
    assert "frozen_plan" in refused.value.message_dict
    assert Campaign.objects.get(pk=campaign.pk).frozen_plan is None
