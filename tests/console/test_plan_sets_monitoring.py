"""Publishing a campaign with a finished plan hands the plan's smallest difference worth
detecting to the monitoring (in the monitoring's unit) unless the researcher set one, and
the report's plan and monitoring sections name the same value and where it came from."""

from __future__ import annotations

import pytest

from evalplatform.campaigns.models import Campaign, CampaignStatus
from evalplatform.crowd.services import campaign_publish_hits
from evalplatform.crowd.simulation.run import simulate_campaign
from evalplatform.reports.campaign_report import campaign_report
from evalplatform.reports.exports import report_tree
from evalplatform.reports.monitoring_section import monitoring_sentences
from evalplatform.reports.plan_runs import campaign_plan_request, campaign_plan_run
from tests.factories import make_campaign

pytestmark = pytest.mark.django_db
SETS = 10


def published(preset: str, difference: float, **overrides: object) -> Campaign:
    campaign = make_campaign(preset, status=CampaignStatus.READY, overrides=overrides or None)
    plan, _ = campaign_plan_request(campaign=campaign, difference=difference, sets=SETS)
    campaign_plan_run(plan_id=plan.pk)
    campaign_publish_hits(campaign=campaign)
    return Campaign.objects.get(pk=campaign.pk)


def test_publishing_gives_the_monitoring_the_plans_smallest_difference():
    campaign = published("likert-fce", 0.5)
    assert campaign.smallest_difference == 0.5  # points on the scale in both
    assert campaign.frozen_plan["monitoring"] == {
        "difference": 0.5,
        "unit": "points on the rating scale (a yes/no criterion: share of yes)",
        "taken": True,
        "researchers": None,
    }


def test_the_researchers_own_smallest_difference_wins_over_the_plans():
    campaign = published("likert-fce", 0.5, smallest_difference=0.3)
    assert campaign.smallest_difference == 0.3
    assert campaign.frozen_plan["monitoring"]["taken"] is False
    assert campaign.frozen_plan["monitoring"]["researchers"] == 0.3


def test_an_ab_plans_preference_points_become_net_preference_for_the_monitoring():
    campaign = published("ab-wlt", 10)
    values = campaign.frozen_plan["result"]["inputs"]["components"]["values"]
    ties = values["preference"]["tie"]
    # 10 points above 50 % among non-ties: (60 - 40) % of the non-tied judgments, ties 0.
    assert campaign.smallest_difference == pytest.approx((1 - ties) * 0.2, abs=1e-4)
    assert 0 < campaign.smallest_difference < 0.2


def test_a_plan_without_the_tie_rate_leaves_an_ab_campaigns_monitoring_alone():
    campaign = make_campaign("ab-wlt", status=CampaignStatus.READY)
    plan, _ = campaign_plan_request(campaign=campaign, difference=10, sets=SETS)
    campaign_plan_run(plan_id=plan.pk)
    plan.refresh_from_db()
    plan.result["inputs"]["components"] = {}
    plan.save(update_fields=["result"])
    campaign_publish_hits(campaign=campaign)  # publishing does not fail on it
    published = Campaign.objects.get(pk=campaign.pk)
    assert published.status == CampaignStatus.PUBLISHED
    assert published.smallest_difference is None
    assert published.frozen_plan["monitoring"]["taken"] is False


def test_a_campaign_published_without_a_plan_keeps_its_setting():
    campaign = make_campaign("likert-fce", status=CampaignStatus.READY)
    campaign_publish_hits(campaign=campaign)
    assert Campaign.objects.get(pk=campaign.pk).smallest_difference is None


@pytest.mark.parametrize(
    ("overrides", "source"),
    [({}, "the plan made before publishing"), ({"smallest_difference": 0.3}, "the researcher")],
)
def test_the_reports_plan_and_monitoring_sections_agree_on_the_smallest_difference(
    overrides, source
):
    campaign = published("likert-fce", 0.5, **overrides)
    simulate_campaign(campaign=campaign, workers=3, seed=1, hits_per_worker=2)
    report = campaign_report(campaign)
    tree = report_tree(report)
    used = campaign.smallest_difference
    assert tree["meta"]["monitoring"]["smallest_difference"] == used
    assert tree["meta"]["monitoring"]["smallest_difference_from"] == source
    plan_words = " ".join(tree["plan"]["statement"])
    monitoring_words = " ".join(monitoring_sentences(report))
    assert f"plus or minus {used:g} " in monitoring_words and f"set by {source}" in (
        monitoring_words
    )
    if source == "the researcher":
        assert f"not the plan's 0.5 but the researcher's own: {used:g} " in plan_words
    else:
        assert f"monitoring took it as its smallest difference worth detecting: {used:g}" in (
            plan_words
        )


def test_the_campaign_form_says_the_researchers_smallest_difference_wins(admin_client):
    campaign = make_campaign("likert-fce", status=CampaignStatus.DRAFT)
    page = admin_client.get(f"/admin/campaigns/campaign/{campaign.pk}/change/")
    assert page.status_code == 200
    assert "Left empty, publishing takes the smallest difference of the plan" in (
        page.content.decode()
    )
    assert "a value set here wins over the plan" in page.content.decode()
