"""A new researcher's path through the console in real Chromium, with no URL typed by hand
but the login: import a dataset, register a generated and an imported system (importing its
responses through the system's link), create a campaign from a preset, generate (a real
Celery worker), preview, build, estimate, publish, make invites, watch the live view update
while a simulated crowd answers, approve, pay and open the report.

Each step's screenshot lands in artifacts/researcher/ (gitignored)."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from evalplatform.campaigns.models import Campaign
from evalplatform.crowd.simulation.run import simulate_campaign
from tests.browser.walk import ConsoleWalk
from tests.conftest import wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "artifacts" / "researcher"
# Steps whose screenshot (the 1366x900 viewport) is also the README's, refreshed when
# EVALPLATFORM_README_SCREENSHOTS is set.
README_SHOTS = {"campaign-ready": "cockpit.png", "live-after": "live.png"}
DIALOGUES = 8


def dialogues_file(folder: Path) -> Path:
    rows = [
        {
            "id": f"d{index}",
            "turns": [
                {"speaker": "speaker1", "text": f"I finally passed my driving test ({index})!"},
                {"speaker": "speaker2", "text": "Congratulations, how do you feel?"},
            ],
            "emotion": "proud",
            "situation": "I passed my driving test.",
            "subset": "ED",
            "gold": "You must be so proud of yourself!",
        }
        for index in range(DIALOGUES)
    ]
    path = folder / "dialogues.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def responses_file(folder: Path) -> Path:
    path = folder / "responses.jsonl"
    path.write_text(
        "".join(
            json.dumps({"dialogue_id": f"d{i}", "response": f"Well done, that is great ({i})."})
            + "\n"
            for i in range(DIALOGUES)
        ),
        encoding="utf-8",
    )
    return path


class Walk(ConsoleWalk):
    """The researcher's walk; the README's screenshots among its steps."""

    def __init__(self, page) -> None:
        super().__init__(page, SHOTS, status_seconds=60)

    def shot(self, name: str) -> None:
        super().shot(name)
        if name in README_SHOTS and os.environ.get("EVALPLATFORM_README_SCREENSHOTS"):
            self.page.screenshot(path=str(ROOT / "docs" / "screenshots" / README_SHOTS[name]))

    def click(self, role: str, name: str, exact: bool = True) -> None:
        self.page.get_by_role(role, name=name, exact=exact).first.click()


def test_a_new_researcher_runs_a_campaign_through_the_console(
    page, live_server, celery_worker_thread, tmp_path
):
    get_user_model().objects.create_superuser("researcher", password="pw-researcher")
    page.set_viewport_size({"width": 1366, "height": 900})
    walk = Walk(page)
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill("researcher")
    page.get_by_label("Password").fill("pw-researcher")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#your-campaigns")).to_be_visible()
    walk.shot("index")

    # A dataset.
    walk.click("link", "Datasets")
    walk.click("link", "Import dialogues")
    page.get_by_label("Dataset name").fill("driving")
    page.get_by_label("File").set_input_files(str(dialogues_file(tmp_path)))
    walk.shot("import-dataset")
    walk.click("button", "Import")
    expect(page.get_by_text(f"it now holds {DIALOGUES} dialogues")).to_be_visible()

    # A generated system and an imported one, with its responses through its own link.
    walk.home()
    walk.click("link", "Systems")
    walk.click("link", "Add system")
    page.get_by_label("Name").fill("echo")
    page.get_by_label("Kind").select_option("adapter")
    page.get_by_label("Path").fill("tests.campaigns.adapters:echo")
    walk.shot("system-generated")
    walk.click("button", "Save and add another")
    page.get_by_label("Name").fill("elsewhere")
    page.get_by_label("Kind").select_option("imported")
    walk.click("button", "Save and continue editing")
    walk.click("link", "Import responses")
    page.get_by_label("Dataset").select_option(label="driving")
    page.get_by_label("File").set_input_files(str(responses_file(tmp_path)))
    walk.shot("import-responses")
    walk.click("button", "Import")
    expect(page.get_by_text(f"Stored {DIALOGUES} responses for elsewhere")).to_be_visible()

    # A campaign from a preset.
    walk.home()
    walk.click("link", "New campaign from a preset")
    page.get_by_label("Preset").select_option("likert-efir")
    page.get_by_label("Name").fill("Driving test")
    page.get_by_label("Dataset").select_option(label="driving")
    page.get_by_label("echo").check()
    page.get_by_label("elsewhere").check()
    page.get_by_label("Sample size").fill("4")
    walk.shot("from-preset")
    walk.click("button", "Create campaign")
    expect(page.locator("#cockpit-title")).to_contain_text("Draft")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1366, f"the campaign page is {width} px wide at 1366 px"
    walk.shot("campaign-draft")

    # Generate (the Celery worker), then build, preview and estimate.
    walk.click("button", "Generate")
    walk.until_status("Ready")
    walk.shot("campaign-ready")
    walk.click("button", "Build HITs")
    expect(page.locator(".messagelist")).to_contain_text("built 1 HITs")
    walk.click("link", "Preview a HIT")
    expect(page.get_by_text("This is a preview")).to_be_visible()
    walk.shot("preview")
    page.go_back()
    page.reload()
    walk.click("button", "Estimate the cost")
    expect(page.locator(".messagelist")).to_contain_text("total up to")
    walk.shot("estimate")

    # Publish (the cost first), then invites.
    walk.click("button", "Publish")
    walk.shot("publish-confirm")
    page.locator("#content").get_by_role("button", name="Publish").click()
    walk.campaign("Driving test")
    walk.until_status("Published")
    walk.click("link", "Invite links and codes")
    page.get_by_label("Make").fill("3")
    walk.click("button", "Make invites")
    expect(page.locator(".messagelist")).to_contain_text("Made 3 invites")
    walk.shot("invites")
    walk.campaign("Driving test")

    # The live view, while a simulated crowd answers through the live server.
    walk.click("link", "Watch collection live")
    expect(page.locator('[data-live="assignments"]')).to_contain_text("None yet")
    walk.shot("live-before")
    campaign = Campaign.objects.get(name="Driving test")
    crowd = threading.Thread(
        target=simulate_campaign,
        kwargs={"campaign": campaign, "workers": 3, "seed": 1, "base_url": live_server.url},
    )
    crowd.start()
    expect(page.locator('[data-live="assignments"]')).to_contain_text("submitted", timeout=60_000)
    crowd.join(timeout=120)
    page.wait_for_timeout(3500)
    walk.shot("live-after")

    # Approve, pay, report.
    walk.campaign("Driving test")
    walk.click("button", "Approve submitted work")
    expect(page.locator(".messagelist")).to_contain_text("Approving")
    wait_until(lambda: campaign.hits.filter(assignments__status="approved").exists())
    walk.click("button", "Pay bonuses")
    expect(page.locator(".messagelist")).to_contain_text("Paying bonuses")
    walk.shot("approved-and-paid")
    walk.click("link", "Report")
    walk.click("button", "Build the report")  # looking builds nothing; building is a POST
    # The page refreshes itself while the report task builds; a loaded machine takes seconds.
    expect(page.locator("body")).to_contain_text("Fleiss", timeout=60_000)
    walk.shot("report")
