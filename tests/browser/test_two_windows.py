"""Issue 12, item 5: one invite open in two browsers. The later window takes the HIT over;
the earlier one is told, on the page, that it stopped saving, and its later answer is not
stored; reloading it takes the HIT back explicitly."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from evalplatform.crowd.models import Judgment
from tests.browser.test_worker_pages import SAVED, start
from tests.factories import make_campaign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
TAKEN_OVER = "This HIT was opened in another window; this one has stopped saving."


def choose(page: Any, question: int, value: str) -> tuple[int, str]:
    """Click ``value`` on the page's ``question``-th question; (candidate, criterion).
    Seed 000's questions per response: fluency, consistency (1-5), emotion accuracy."""
    fieldset = page.locator(".task fieldset.question").nth(question)
    fieldset.locator(f"label.option:has(input[value='{value}'])").click()
    return int(fieldset.get_attribute("data-candidate")), fieldset.get_attribute("data-criterion")


def stored(assignment: Any) -> dict[tuple[int, str], int]:
    return {
        (j.item_candidate.position, j.criterion.name): j.score
        for j in Judgment.objects.filter(assignment=assignment, item__position=0).select_related(
            "item_candidate", "criterion"
        )
    }


def test_the_second_browser_takes_over_and_the_first_stops_saving(page, browser, live_server):
    assignment = start(page, live_server, make_campaign("likert-fce"))
    item_url = page.url.replace("/welcome/", "/item/0/")
    page.goto(item_url)
    first_answer = choose(page, 0, "2")
    expect(page.locator("[data-role=save-status]")).to_have_text(SAVED)
    expect(page.locator("[data-role=takeover]")).to_be_hidden()

    other = browser.new_context(viewport={"width": 1280, "height": 1500})
    try:
        second = other.new_page()
        second.goto(item_url)  # the same invite's HIT, opened on another device
        expect(second.locator(".task fieldset.question").first).to_be_visible()

        late = choose(page, 1, "5")
        expect(page.locator("[data-role=takeover]")).to_be_visible()
        expect(page.locator("[data-role=takeover]")).to_contain_text(TAKEN_OVER)
        expect(page.locator("[data-role=save-status]")).to_contain_text("another window")
        assert late not in stored(assignment)  # the first window's later answer is lost...
        assert stored(assignment) == {first_answer: 2}

        taken = choose(second, 1, "4")  # ...and the second window's is stored
        expect(second.locator("[data-role=save-status]")).to_have_text(SAVED)
        expect(second.locator("[data-role=takeover]")).to_be_hidden()
        assert stored(assignment) == {first_answer: 2, taken: 4}

        # The first window stays stopped: a further answer sends nothing.
        choose(page, 3, "1")
        expect(page.locator("[data-role=save-status]")).to_contain_text("another window")
        assert len(stored(assignment)) == 2

        # Continuing in the first window is explicit: its link reloads the page, which
        # takes the HIT back, and now the second window is told.
        page.click("[data-role=takeover] a")
        page.wait_for_url(re.compile(r"/item/0/$"))
        expect(page.locator("[data-role=takeover]")).to_be_hidden()
        choose(page, 3, "3")
        expect(page.locator("[data-role=save-status]")).to_have_text(SAVED)
        choose(second, 4, "2")
        expect(second.locator("[data-role=takeover]")).to_be_visible()
        assert len(stored(assignment)) == 3
    finally:
        other.close()
