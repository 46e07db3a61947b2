"""Plans of a campaign being prepared: requested with validated inputs (a bad pilot is
refused naming the file and line), run by the task's service with progress, idempotent,
and refused once the campaign is published."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from evalplatform.campaigns.models import CampaignPlan, CampaignStatus, PlanState
from evalplatform.common.errors import InvalidTransition
from evalplatform.reports.plan_runs import campaign_plan_request, campaign_plan_run
from evalplatform.reports.tasks import campaign_plan_start
from tests.conftest import wait_until
from tests.console.plans import campaign_pilot_csv
from tests.factories import make_campaign

pytestmark = pytest.mark.django_db
SETS = 10  # a few simulated sets a design: seconds, not minutes


def draft():
    return make_campaign("likert-fce", status=CampaignStatus.DRAFT)


def test_plan_request_queues_one_plan_however_often_it_is_asked_for():
    campaign = draft()
    first, send = campaign_plan_request(campaign=campaign, difference=0.5, sets=SETS)
    again, send_again = campaign_plan_request(campaign=campaign, difference=0.5, sets=SETS)
    other, send_other = campaign_plan_request(campaign=campaign, difference=0.3, sets=SETS)
    assert send and not send_again and send_other
    assert again.pk == first.pk and other.pk != first.pk
    assert first.state == PlanState.QUEUED and first.pilot_words.startswith("the planner's")


def test_plan_request_names_the_file_and_line_of_a_bad_pilot():
    campaign = draft()
    bad = campaign_pilot_csv(campaign).replace(",fluency,", ",fluency,seven,", 1)
    with pytest.raises(ValidationError) as refused:
        campaign_plan_request(
            campaign=campaign, difference=0.5, pilot_csv=bad, pilot_name="pilot.csv"
        )
    message = " ".join(refused.value.message_dict["pilot_csv"])
    assert message.startswith("pilot.csv: line 2:"), message
    assert not CampaignPlan.objects.exists()


def test_plan_request_refuses_a_pilot_campaign_of_another_protocol_and_bad_inputs():
    campaign = draft()
    other = make_campaign("ab-wlt", status=CampaignStatus.DRAFT)
    with pytest.raises(ValidationError) as refused:
        campaign_plan_request(campaign=campaign, difference=0.5, pilot_campaign=other)
    assert "pilot of a Likert" in " ".join(refused.value.message_dict["pilot_campaign"])
    with pytest.raises(ValidationError) as refused:
        campaign_plan_request(campaign=campaign, difference=0, target=1.5, sets=5)
    assert set(refused.value.message_dict) == {"difference", "target", "sets"}


def test_a_published_campaign_takes_no_new_plan():
    campaign = make_campaign("likert-fce", status=CampaignStatus.PUBLISHED)
    with pytest.raises(InvalidTransition, match="a plan is made before publishing"):
        campaign_plan_request(campaign=campaign, difference=0.5)


def test_plan_run_keeps_progress_and_result_and_runs_once():
    campaign = draft()
    plan, _ = campaign_plan_request(
        campaign=campaign,
        difference=0.5,
        sets=SETS,
        pilot_csv=campaign_pilot_csv(campaign),
        pilot_name="pilot.csv",
    )
    campaign_plan_run(plan_id=plan.pk)
    plan.refresh_from_db()
    assert plan.state == PlanState.DONE, plan.error
    assert plan.total > 0 and plan.done == plan.total
    assert plan.result["rows"] and plan.result["inputs"]["target"] == 0.8
    assert plan.pilot_words == "the uploaded file pilot.csv"
    finished = plan.finished_at
    campaign_plan_run(plan_id=plan.pk)  # redelivered: a finished plan is left alone
    plan.refresh_from_db()
    assert plan.finished_at == finished


def test_plan_run_from_a_pilot_campaign_of_the_same_protocol():
    pilot = make_campaign("likert-fce", status=CampaignStatus.PUBLISHED)
    from evalplatform.crowd.simulation.run import simulate_campaign

    simulate_campaign(campaign=pilot, workers=3, seed=1, hits_per_worker=2)
    campaign = make_campaign("likert-fce", status=CampaignStatus.DRAFT)
    plan, _ = campaign_plan_request(
        campaign=campaign, difference=0.5, sets=SETS, pilot_campaign=pilot
    )
    campaign_plan_run(plan_id=plan.pk)
    plan.refresh_from_db()
    assert plan.state == PlanState.DONE, plan.error
    assert plan.pilot_words == f"the judgments of campaign {pilot.name}"


def test_a_plan_that_cannot_be_made_fails_with_the_reason():
    campaign = draft()
    plan, _ = campaign_plan_request(campaign=campaign, difference=0.5, sets=SETS)
    CampaignPlan.objects.filter(pk=plan.pk).update(pilot_csv="item,worker\n")  # unreadable
    campaign_plan_run(plan_id=plan.pk)
    plan.refresh_from_db()
    assert plan.state == PlanState.FAILED and plan.error


@pytest.mark.django_db(transaction=True)
def test_the_plan_task_runs_on_a_real_worker_after_the_request_commits(celery_worker_thread):
    campaign = draft()
    plan = campaign_plan_start(campaign=campaign, difference=0.5, sets=SETS)
    wait_until(
        lambda: CampaignPlan.objects.get(pk=plan.pk).state in (PlanState.DONE, PlanState.FAILED),
        timeout=180,
        what="the plan task",
    )
    plan.refresh_from_db()
    assert plan.state == PlanState.DONE, plan.error
    assert plan.started_at <= plan.finished_at and plan.done == plan.total > 0
