"""The demo's summary links to each campaign's report: they must open on a report, not on
a page asking someone to build it."""

import pytest

from evalplatform.crowd.simulation.run import simulate_campaign
from evalplatform.demo.orchestration import build_reports
from evalplatform.reports.models import KeptReport, KeptReportState
from tests.factories import make_campaign


@pytest.mark.django_db
def test_the_demo_builds_the_report_of_every_answered_campaign():
    answered = make_campaign("good-okay-bad")
    simulate_campaign(campaign=answered, workers=3, seed=1, hits_per_worker=1)
    unanswered = make_campaign("likert-fce")

    build_reports([answered, unanswered])

    kept = KeptReport.objects.get(campaign=answered)
    assert kept.state == KeptReportState.READY and "<html" in kept.html
    assert not KeptReport.objects.filter(campaign=unanswered).exists()
    build_reports([answered])  # nothing new: the kept report stands
    assert KeptReport.objects.get(campaign=answered).built_at == kept.built_at
