"""The admin's report page never analyses inside the request: a Celery task
builds the report with progress on the page and keeps it until new judgments arrive. And
before any judgment, a proper page says what is missing."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from evalplatform.crowd.models import Judgment
from evalplatform.crowd.simulation.run import simulate_campaign
from evalplatform.reports.models import KeptReport, KeptReportState
from tests.conftest import wait_until
from tests.factories import WorkerFactory, make_campaign


def staff_client() -> Client:
    user = get_user_model().objects.create_user("r", password="pw", is_staff=True)
    user.is_superuser = True
    user.save()
    client = Client()
    client.force_login(user)
    return client


def report_url(campaign) -> str:
    return f"/admin/campaigns/campaign/{campaign.pk}/report/"


@pytest.mark.django_db
def test_report_page_before_any_judgment_says_what_is_missing():
    campaign = make_campaign("likert-fce")
    from evalplatform.crowd.services import assignment_lease
    from tests.factories import answer_all

    answer_all(assignment_lease(campaign=campaign, worker=WorkerFactory()))
    page = staff_client().get(report_url(campaign))
    assert page.status_code == 409
    text = page.content.decode()
    assert "<title>No report yet" in text and '<meta name="viewport"' in text
    assert "What is missing" in text and "no worker has submitted an assignment" in text
    stored = Judgment.objects.filter(assignment__hit__campaign=campaign).count()
    assert stored > 0 and f"<dd>{stored}</dd>" in text
    assert not KeptReport.objects.exists()  # nothing to build


@pytest.mark.django_db
def test_report_page_asks_the_task_and_never_analyses_in_the_request():
    campaign = make_campaign("good-okay-bad")
    simulate_campaign(campaign=campaign, workers=3, seed=1, hits_per_worker=1)
    client = staff_client()
    assert client.get(report_url(campaign)).status_code == 404  # looking builds nothing
    page = client.post(report_url(campaign) + "rebuild/", follow=True)
    # Inside the test's transaction the task is never sent (on commit): the page can only
    # say that the report is on its way.
    assert page.status_code == 202
    assert b'http-equiv="refresh"' in page.content and b"<progress" in page.content
    kept = KeptReport.objects.get(campaign=campaign)
    assert kept.state == KeptReportState.BUILDING and kept.html == ""
    assert client.get(report_url(campaign) + "?format=pdf").status_code == 202
    client.post(report_url(campaign) + "rebuild/")
    assert KeptReport.objects.count() == 1  # one request, however many pages ask


def test_report_task_builds_keeps_and_rebuilds_on_new_judgments(celery_worker_thread):
    campaign = make_campaign("good-okay-bad")
    simulate_campaign(campaign=campaign, workers=3, seed=1, hits_per_worker=1)
    client, url = staff_client(), report_url(campaign)
    assert client.post(url + "rebuild/").status_code == 302

    def ready() -> bool:
        return KeptReport.objects.filter(campaign=campaign, state="ready").exists()

    wait_until(ready, timeout=120, what="the report task")
    page = client.get(url)
    assert page.status_code == 200 and b"?format=pdf" in page.content
    first = KeptReport.objects.get(campaign=campaign)
    assert first.progress == 100 and first.judgments > 0
    assert "subsets" in json.loads(client.get(url + "?format=json").content)
    assert client.get(url + "?format=pdf").content.startswith(b"%PDF")
    client.post(url + "rebuild/")  # kept for these judgments: not built again
    assert client.get(url).status_code == 200
    assert KeptReport.objects.get(campaign=campaign).built_at == first.built_at

    judgment = Judgment.objects.filter(assignment__hit__campaign=campaign).first()
    judgment.label = "bad" if judgment.label != "bad" else "good"
    judgment.save()
    page = client.get(url)  # the kept report, said to be outdated, and nothing queued
    assert page.status_code == 200 and b"Rebuild the report" in page.content
    assert KeptReport.objects.get(campaign=campaign).fingerprint == first.fingerprint
    client.post(url + "rebuild/")
    wait_until(
        lambda: (
            KeptReport.objects.filter(campaign=campaign, state="ready")
            .exclude(fingerprint=first.fingerprint)
            .exists()
        ),
        timeout=120,
        what="the second build",
    )
    second = KeptReport.objects.get(campaign=campaign)
    assert second.built_at > first.built_at
    page = client.get(url)
    assert page.status_code == 200 and b"Rebuild the report" not in page.content
