"""The report page's permissions: looking is a GET that queues no work; building and
rebuilding are POSTs that need the campaign's change permission, and a viewer sees the kept
report without a button to rebuild it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from evalplatform.campaigns.models import Campaign
from evalplatform.crowd.models import Judgment
from evalplatform.crowd.simulation.run import simulate_campaign
from evalplatform.reports.kept import kept_report_build
from evalplatform.reports.models import KeptReport, KeptReportState
from tests.factories import make_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered() -> Campaign:
    campaign = make_campaign("good-okay-bad")
    simulate_campaign(campaign=campaign, workers=3, seed=1, hits_per_worker=1)
    return campaign


def report_url(campaign: Campaign) -> str:
    return reverse("admin:reports_campaign_report", args=[campaign.pk])


def build_url(campaign: Campaign) -> str:
    return reverse("admin:reports_campaign_report_rebuild", args=[campaign.pk])


def kept_ready(campaign: Campaign) -> KeptReport:
    """A report built for the campaign's judgments as they are now (the task's service)."""
    from evalplatform.reports.kept import judgment_fingerprint, kept_report_request

    kept_report_request(campaign=campaign, fingerprint=judgment_fingerprint(campaign)[0])
    kept_report_build(campaign_id=campaign.pk)
    kept = KeptReport.objects.get(campaign=campaign)
    assert kept.state == KeptReportState.READY
    return kept


def test_a_get_of_the_report_page_queues_nothing_and_offers_a_build(
    answered: Campaign, client_as: Callable[[str], Client], django_capture_on_commit_callbacks: Any
) -> None:
    client = client_as("preparer")
    for fmt in ("", "?format=pdf"):
        with django_capture_on_commit_callbacks(execute=False) as queued:
            page = client.get(report_url(answered) + fmt)
        assert queued == [] and not KeptReport.objects.exists()
        assert page.status_code == 404 and b"not been built yet" in page.content
    assert build_url(answered).encode() in page.content


def test_a_viewer_sees_no_build_button_and_cannot_build(
    answered: Campaign, client_as: Callable[[str], Client], django_capture_on_commit_callbacks: Any
) -> None:
    client = client_as("viewer")
    page = client.get(report_url(answered))
    assert b"not been built yet" in page.content
    assert build_url(answered).encode() not in page.content
    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert client.post(build_url(answered)).status_code == 403
    assert queued == [] and not KeptReport.objects.exists()


def test_building_is_a_post_with_the_change_permission(
    answered: Campaign, client_as: Callable[[str], Client], django_capture_on_commit_callbacks: Any
) -> None:
    client = client_as("preparer")
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(build_url(answered))
    assert response.status_code == 302 and response["Location"] == report_url(answered)
    assert len(queued) == 1
    assert KeptReport.objects.get(campaign=answered).state == KeptReportState.BUILDING
    with django_capture_on_commit_callbacks(execute=False) as queued:
        client.post(build_url(answered))  # asked again while it builds: one build
        page = client.get(report_url(answered))
    assert queued == [] and page.status_code == 202 and b"<progress" in page.content


def test_a_viewer_sees_the_kept_report_even_after_new_judgments_and_no_rebuild_button(
    answered: Campaign, client_as: Callable[[str], Client], django_capture_on_commit_callbacks: Any
) -> None:
    kept = kept_ready(answered)
    judgment = Judgment.objects.filter(assignment__hit__campaign=answered).first()
    judgment.label = "bad" if judgment.label != "bad" else "good"
    judgment.save()
    viewer, preparer = client_as("viewer"), client_as("preparer")
    with django_capture_on_commit_callbacks(execute=False) as queued:
        seen = viewer.get(report_url(answered))
        offered = preparer.get(report_url(answered))
    assert queued == [] and KeptReport.objects.get(pk=kept.pk).fingerprint == kept.fingerprint
    for page in (seen, offered):
        assert page.status_code == 200 and b"?format=pdf" in page.content
        assert b"judgments changed since this report was built" in page.content
    assert build_url(answered).encode() not in seen.content
    assert build_url(answered).encode() in offered.content
