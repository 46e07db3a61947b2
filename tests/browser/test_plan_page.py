"""A researcher plans a draft campaign from a pilot in real Chromium: the cockpit's Plan
button, the form with an uploaded tidy CSV, the progress while a real Celery worker runs
the plan (the page polls; it never reloads), then the table of designs and the power
curve. The screenshot lands in artifacts/screenshots/ (gitignored)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from evalplatform.campaigns.models import CampaignPlan, CampaignStatus
from tests.console.plans import campaign_pilot_csv
from tests.factories import make_campaign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_researcher_plans_a_draft_campaign_from_a_pilot(
    page, live_server, celery_worker_thread, tmp_path, screenshot_dir
):
    get_user_model().objects.create_superuser("researcher", password="pw-researcher")
    campaign = make_campaign("likert-fce", status=CampaignStatus.DRAFT, name="Driving test")
    pilot = tmp_path / "pilot.csv"
    pilot.write_text(campaign_pilot_csv(campaign), encoding="utf-8")

    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill("researcher")
    page.get_by_label("Password").fill("pw-researcher")
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{live_server.url}/admin/campaigns/campaign/{campaign.pk}/change/")
    page.locator(".cockpit").get_by_role("link", name="Plan", exact=True).click()
    expect(page.get_by_text("No plan yet.")).to_be_visible()

    page.get_by_label("Smallest difference worth detecting").fill("0.5")
    page.get_by_label("Simulated data sets a design").fill("10")
    page.get_by_label("Pilot: a tidy CSV").set_input_files(str(pilot))
    page.get_by_role("button", name="Plan", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("The plan is queued")
    page.evaluate("window.sameDocument = true")  # gone if the page reloads

    expect(page.locator(".plan-table")).to_be_visible(timeout=180_000)
    assert page.evaluate("window.sameDocument === true"), "the page reloaded to show the plan"
    expect(page.locator(".plan-curve svg")).to_be_visible()
    expect(page.locator(".plan-cheapest")).to_contain_text("Cheapest design reaching the target")
    expect(page.locator(".plan-current")).to_contain_text("6 items x 2 raters")
    rows = page.locator(".plan-table tbody tr")
    assert rows.count() == len(CampaignPlan.objects.get(campaign=campaign).result["rows"])
    expect(page.locator('[data-plan="progress"]')).to_be_hidden()
    page.screenshot(path=str(screenshot_dir / "plan.png"), full_page=True)
