"""Issue 14, item 5: axe-core (bundled by PyPI's axe-playwright-python) on every worker
page, laptop and phone, in the states a worker sees them; any serious or critical
violation fails. Every page also has one h1, and every control a finger must hit is at
least 44x44 px."""

from __future__ import annotations

import re
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from evalplatform.crowd.services import invites_create
from evalplatform.crowd.services.invites import invite_path
from tests.browser.test_worker_pages import SAVED, start
from tests.factories import make_campaign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
BLOCKING = {"serious", "critical"}
AXE = Axe()
TARGET = 44
# Controls tapped on a phone (links inside running text are exempt, as in WCAG 2.5.5).
CONTROLS = ".grip, .card-buttons button, label.option, .button, .topbar-link"


def assert_accessible(page: Any, where: str) -> None:
    response = AXE.run(page).response
    found = [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + "; ".join(
            f"{' '.join(node['target'])} {node.get('failureSummary', '')[:160]!r}"
            for node in v["nodes"][:4]
        )
        for v in response["violations"]
        if v["impact"] in BLOCKING
    ]
    assert not found, f"{where} ({page.size}):\n" + "\n".join(found)
    assert page.locator("h1").count() == 1, f"{where} ({page.size}): not exactly one h1"
    assert_touch_targets(page, where)


def assert_touch_targets(page: Any, where: str) -> None:
    sizes = page.locator(CONTROLS).evaluate_all(
        """(nodes) => nodes.filter((n) => n.offsetParent).map((n) => {
            const box = n.getBoundingClientRect();
            return [n.outerHTML.slice(0, 80), Math.round(box.width), Math.round(box.height)];
        })"""
    )
    small = [size for size in sizes if size[1] < TARGET or size[2] < TARGET]
    assert not small, f"{where} ({page.size}): targets under {TARGET}x{TARGET} px: {small}"


def place_by_buttons(page: Any, values: tuple[str, ...]) -> None:
    """Tap the Good/Okay/Bad button of the first unsorted card, once per value."""
    for value in values:
        card = page.locator(".task .pool .card").first
        card.locator(f"[data-place={value}]").click()
    expect(page.locator("[data-role=save-status]")).to_have_text(SAVED)


def test_good_okay_bad_pages_have_no_serious_violation(sized_page, live_server):
    page = sized_page
    assignment = start(page, live_server, make_campaign("good-okay-bad"))
    assert_accessible(page, "welcome")
    page.click("[data-role=start]")
    page.wait_for_url(re.compile(r"/instructions/$"))
    assert_accessible(page, "instructions")
    page.click("[data-role=validate]")
    expect(page.locator("[data-role=feedback-title]")).to_have_text("Not quite:")
    assert_accessible(page, "instructions with warm-up feedback")
    page.click("[data-role=begin]")
    for item in range(assignment.hit.items.count()):
        page.wait_for_url(re.compile(rf"/item/{item}/$"))
        if item == 0:
            assert_accessible(page, "good/okay/bad item, nothing sorted")
            place_by_buttons(page, ("good", "okay", "bad"))
            assert_accessible(page, "good/okay/bad item, one card in each bin")
        place_by_buttons(page, ("bad",) * page.locator(".task .pool .card").count())
        if item == 0:
            assert_accessible(page, "good/okay/bad item, all sorted")
        page.click("[data-role=next]")
    page.wait_for_url(re.compile(r"/review/$"))
    assert_accessible(page, "review")
    page.click("[data-role=submit]")
    page.wait_for_url(re.compile(r"/done/$"))
    assert_accessible(page, "completion")


@pytest.mark.parametrize("preset", ["likert-fce", "ab-wlt"])
def test_choice_pages_have_no_serious_violation(sized_page, live_server, preset):
    page = sized_page
    start(page, live_server, make_campaign(preset))
    page.goto(page.url.replace("/welcome/", "/instructions/"))
    assert_accessible(page, f"{preset} instructions")
    page.click("[data-role=begin]")
    page.wait_for_url(re.compile(r"/item/0/$"))
    assert_accessible(page, f"{preset} item")
    page.locator(".task fieldset.question").first.locator("label.option").first.click()
    expect(page.locator("[data-role=save-status]")).to_have_text(SAVED)
    assert_accessible(page, f"{preset} item, one answer given")


def test_entry_pages_have_no_serious_violation(sized_page, live_server):
    """The pages before the HIT: the code form (and its refusal), the invite, and the
    message a broken link shows."""
    page = sized_page
    page.goto(live_server.url + "/w/join/")
    assert_accessible(page, "join")
    page.fill("input[name=code]", "NOT-A-CODE")
    page.click("button[type=submit]")
    expect(page.locator(".error")).to_be_visible()
    assert_accessible(page, "join with a refusal")
    invite = invites_create(campaign=make_campaign("good-okay-bad"), count=1)[0]
    page.goto(live_server.url + invite_path(invite))
    assert_accessible(page, "invite")
    page.goto(live_server.url + "/w/a/not-a-token/welcome/")
    assert_accessible(page, "message for a broken link")
