"""The whole loop on a real Celery worker: a simulated crowd answers through the worker API,
each submission enqueues the monitoring task on commit, and the campaign stops by itself."""

from __future__ import annotations

from evalplatform.campaigns.models import MonitoringAction, MonitoringDecision
from evalplatform.crowd.models import Hit, HitStatus
from evalplatform.crowd.simulation.run import simulate_campaign
from tests.conftest import wait_until
from tests.factories import make_campaign
from tests.reports.test_stopping import WIDER_THAN_THE_SCALE


def test_a_simulated_crowd_stops_the_campaign_by_itself(celery_worker_thread):
    campaign = make_campaign(
        "likert-fce",
        overrides={"monitor_stop": True, "smallest_difference": WIDER_THAN_THE_SCALE},
    )
    assert campaign.hits.count() > 1

    # Two people, one HIT each: both slots of the first HIT, so its items are complete.
    simulate_campaign(campaign=campaign, workers=2, seed=3, hits_per_worker=1)

    def stopped() -> bool:
        return MonitoringDecision.objects.filter(
            campaign=campaign, action=MonitoringAction.STOP
        ).exists()

    wait_until(stopped, timeout=120, what="the monitoring task")
    assert not Hit.objects.filter(campaign=campaign, status=HitStatus.OPEN).exists()
    decision = MonitoringDecision.objects.get(campaign=campaign)
    assert decision.submitted_assignments == 2
    assert {c["status"] for c in decision.comparisons} == {"futile"}
