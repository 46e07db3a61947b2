"""Plan and stop, end to end in real Chromium, with no URL typed by hand but the login: a
researcher plans a draft campaign from a pilot (a real Celery worker runs the plan), sees
the table of designs and the power curve, turns on stopping when settled, generates, builds
and publishes, then watches the live view while a simulated crowd with a planted clear
difference answers through the live server: the comparisons turn decided without a reload
and the campaign stops by itself.

Each step's screenshot lands in artifacts/plan-and-stop/ (gitignored)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from evalplatform.campaigns.models import Campaign, CampaignStatus
from evalplatform.crowd.simulation.run import simulate_campaign
from tests.browser.walk import ConsoleWalk
from tests.console.plans import campaign_pilot_csv
from tests.factories import CandidateFactory, make_campaign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "plan-and-stop"
NAME = "Plan and stop"
# Each comparison's sequence runs at alpha / 3 (two systems, three criteria); with answers
# this far apart it excludes 0 after about 40 complete items, well before the 60 planned.
ITEMS, ITEMS_PER_HIT = 60, 5
PLANTED = (0.95, 0.05)
# Generous: every step waits on a state, so a loaded machine only makes it slower.
SLOW = 240_000


class Steps(ConsoleWalk):
    """The walk of this campaign, whose status may take SLOW to change."""

    def __init__(self, page) -> None:
        super().__init__(page, SHOTS, status_seconds=SLOW // 1000)

    def campaign(self, name: str = NAME) -> None:
        super().campaign(name)
        expect(self.page.locator("#cockpit-title")).to_be_visible()


def draft_campaign() -> Campaign:
    """A Likert campaign of two imported systems whose responses are already in, so the
    console's Generate only draws the sample."""
    campaign = make_campaign(
        "likert-fce",
        status=CampaignStatus.DRAFT,
        name=NAME,
        n_systems=2,
        per_subset=ITEMS,
        overrides={
            "sample_size": ITEMS,
            "items_per_hit": ITEMS_PER_HIT,
            "assignments_per_hit": 2,
            "max_hits_per_worker": ITEMS // ITEMS_PER_HIT,
        },
    )
    for system in campaign.systems.all():
        for dialogue in campaign.dataset.dialogues.all():
            CandidateFactory(system=system, dialogue=dialogue)
    return campaign


def test_a_researcher_plans_publishes_and_watches_the_campaign_stop_by_itself(
    page, live_server, celery_worker_thread, tmp_path
):
    get_user_model().objects.create_superuser("researcher", password="pw-researcher")
    campaign = draft_campaign()
    pilot = tmp_path / "pilot.csv"
    pilot.write_text(campaign_pilot_csv(campaign, items=12, seed=5), encoding="utf-8")
    steps = Steps(page)

    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill("researcher")
    page.get_by_label("Password").fill("pw-researcher")
    page.get_by_role("button", name="Log in").click()
    steps.campaign()
    expect(page.locator("#cockpit-title")).to_contain_text("Draft")
    steps.shot("draft")

    # Plan from the pilot: a few simulated sets a design, so it takes seconds.
    page.locator(".cockpit").get_by_role("link", name="Plan", exact=True).click()
    expect(page.get_by_text("No plan yet.")).to_be_visible()
    page.get_by_label("Smallest difference worth detecting").fill("0.5")
    page.get_by_label("Simulated data sets a design").fill("10")
    page.get_by_label("Pilot: a tidy CSV").set_input_files(str(pilot))
    steps.shot("plan-form")
    page.get_by_role("button", name="Plan", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("The plan is queued")
    expect(page.locator(".plan-table")).to_be_visible(timeout=SLOW)
    expect(page.locator(".plan-curve svg")).to_be_visible()
    expect(page.locator(".plan-current")).to_contain_text(f"{ITEMS} items x 2 raters")
    steps.shot("plan-result")

    # Stop when settled, the smallest difference left to the plan.
    steps.campaign()
    stop = page.get_by_label("Monitor stop")
    stop.check()
    expect(page.get_by_label("Smallest difference")).to_have_value("")
    steps.shot("stop-when-settled")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    expect(page.get_by_label("Monitor stop")).to_be_checked()

    # Generate (the Celery worker draws the sample), build, publish.
    page.get_by_role("button", name="Generate", exact=True).click()
    steps.until_status("Ready")
    page.get_by_role("button", name="Build HITs", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text(f"built {ITEMS // ITEMS_PER_HIT} HITs")
    page.get_by_role("button", name="Publish", exact=True).click()
    steps.shot("publish-confirm")
    page.locator("#content").get_by_role("button", name="Publish").click()
    steps.campaign()
    steps.until_status("Published")
    steps.shot("published")

    # The live view: the plan's smallest difference, and nothing decided yet.
    page.get_by_role("link", name="Watch collection live").click()
    expect(page.locator('[data-live="smallest"]')).to_contain_text("0.5 points on the rating scale")
    expect(page.locator('[data-live="smallest"]')).to_contain_text(
        "set by the plan made before publishing"
    )
    expect(page.locator('[data-live="stopping"]')).to_contain_text("stops by itself")
    page.evaluate("window.sameDocument = true")  # gone if the page reloads
    steps.shot("live-before")

    published = Campaign.objects.get(pk=campaign.pk)
    names = list(published.systems.order_by("entries__position").values_list("name", flat=True))
    crowd = threading.Thread(
        target=simulate_campaign,
        kwargs={
            "campaign": published,
            "workers": 2,
            "seed": 4,
            "quality": dict(zip(names, PLANTED, strict=True)),
            "base_url": live_server.url,
        },
    )
    crowd.start()
    try:
        monitoring = page.locator('[data-live="monitoring"]')
        expect(monitoring).to_contain_text("decided", timeout=SLOW)
        steps.shot("live-decided")
        expect(page.locator('[data-live="stopping"]')).to_contain_text(
            "Collection stopped early", timeout=SLOW
        )
    finally:
        crowd.join(timeout=SLOW / 1000)
    assert not crowd.is_alive(), "the simulated crowd was still answering"
    states = monitoring.locator("tr td:last-child").all_inner_texts()
    assert len(states) == 3 and set(states) <= {"decided", "futile"}, states
    assert "decided" in states
    expect(page.locator('[data-live="decisions"]')).to_contain_text("stop")
    expect(page.locator('[data-live="hits"]')).to_contain_text("expired")
    assert page.evaluate("window.sameDocument === true"), "the live view reloaded"
    steps.shot("stopped")
