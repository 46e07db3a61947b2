"""The live view in real Chromium while a simulated crowd answers through the live server and
a real Celery worker monitors: the comparisons turn futile and the campaign stops by itself,
which the page shows without a reload."""

from __future__ import annotations

import threading

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from evalplatform.crowd.simulation.run import simulate_campaign
from tests.factories import make_campaign
from tests.reports.test_stopping import WIDER_THAN_THE_SCALE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_live_view_marks_comparisons_and_shows_the_campaign_stop(
    page, live_server, celery_worker_thread
):
    get_user_model().objects.create_superuser("researcher", password="pw-researcher")
    campaign = make_campaign(
        "likert-fce",
        overrides={"monitor_stop": True, "smallest_difference": WIDER_THAN_THE_SCALE},
    )
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill("researcher")
    page.get_by_label("Password").fill("pw-researcher")
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/admin/campaigns/campaign/{campaign.pk}/live/")
    expect(page.locator('[data-live="monitoring"]')).to_contain_text("None yet")
    expect(page.locator('[data-live="stopping"]')).to_contain_text("stops by itself")

    crowd = threading.Thread(
        target=simulate_campaign,
        kwargs={
            "campaign": campaign,
            "workers": 2,
            "seed": 3,
            "hits_per_worker": 1,
            "base_url": live_server.url,
        },
    )
    crowd.start()
    crowd.join(timeout=120)

    expect(page.locator('[data-live="monitoring"]')).to_contain_text("futile", timeout=60_000)
    expect(page.locator('[data-live="stopping"]')).to_contain_text(
        "Collection stopped early", timeout=60_000
    )
    expect(page.locator('[data-live="decisions"]')).to_contain_text("stop")
    expect(page.locator('[data-live="hits"]')).to_contain_text("expired")
