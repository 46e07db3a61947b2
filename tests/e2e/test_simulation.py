"""The simulated crowd answers through the worker pages' HTTP endpoints."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from evalplatform.crowd.models import Assignment, Judgment, PageVisit
from evalplatform.crowd.services import page_visit_close
from evalplatform.crowd.simulation.run import simulate_campaign
from evalplatform.crowd.simulation.workers import planted_quality
from evalplatform.reports.selectors import campaign_judgments_frame
from tests.factories import WorkerFactory, make_campaign

pytestmark = pytest.mark.django_db


def test_planted_quality_falls_with_system_order():
    assert planted_quality(["a", "b", "c"]) == {"a": 0.8, "b": 0.55, "c": 0.3}


@pytest.mark.parametrize("preset", ["good-okay-bad", "likert-fce", "ab-wlt"])
def test_simulated_workers_complete_hits_and_are_marked_simulated(preset):
    campaign = make_campaign(preset)
    result = simulate_campaign(campaign=campaign, workers=3, spammers=1, seed=1, hits_per_worker=1)
    assert result.assignments == 3 and result.answers > 0
    submitted = Assignment.objects.filter(hit__campaign=campaign, status="submitted")
    assert submitted.count() == 3
    assert all(a.simulated for a in submitted)
    judgments = Judgment.objects.filter(assignment__hit__campaign=campaign)
    assert judgments.count() == result.answers
    assert not judgments.filter(simulated=False).exists()
    frame = campaign_judgments_frame(campaign)
    fillers = judgments.filter(item_candidate__is_filler=True).count()  # never analysed
    assert len(frame) == result.answers - fillers and frame["simulated"].all()


def test_simulated_time_is_recorded_only_for_simulated_assignments():
    campaign = make_campaign("good-okay-bad")
    # Workers in order: a straight-liner, a rusher, an honest worker.
    simulate_campaign(campaign=campaign, workers=3, spammers=2, seed=3, hits_per_worker=1)
    visits = PageVisit.objects.filter(assignment__hit__campaign=campaign, page="task")
    by_label = {}
    for visit in visits.select_related("assignment__worker").prefetch_related(
        "assignment__worker__invites"
    ):
        by_label.setdefault(visit.assignment.worker.invites.all()[0].label, []).append(
            visit.seconds
        )
    assert max(by_label["simulated 2"]) < 10  # the rusher
    assert min(by_label["simulated 3"]) > 10  # honest: tens of seconds per dialogue

    real = make_campaign("good-okay-bad")
    assignment = Assignment.objects.create(
        hit=real.hits.first(),
        worker=WorkerFactory(),
        lease_expires_at=timezone.now() + timedelta(hours=1),
    )
    visit = PageVisit.objects.create(assignment=assignment, page="task", item_position=0)
    page_visit_close(assignment=assignment, visit_id=visit.pk, simulated_seconds=3600)
    visit.refresh_from_db()
    assert visit.seconds < 60  # a real worker's declared time is ignored


def test_simulate_crowd_command_refuses_an_unpublished_campaign():
    campaign = make_campaign("likert-fce", status="ready")
    with pytest.raises(Exception, match="publish it first"):
        call_command("simulate_crowd", campaign.name, workers=2)
