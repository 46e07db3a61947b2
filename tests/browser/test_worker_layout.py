"""Issue 14, item 5: the worker pages on a 1366x768 laptop and a 390x844 phone, measured in
the browser: the good/okay/bad bins in view without scrolling, a drag held at an edge that
keeps scrolling, nothing under the fixed bottom bar, Likert anchors never cut, and the save
status after the connection comes back."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from evalplatform.crowd.models import Judgment
from tests.browser.test_worker_pages import SAVED, start
from tests.factories import make_campaign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
BINS = ("good", "okay", "bad")


def open_item(page: Any, live_server: Any, preset: str) -> Any:
    assignment = start(page, live_server, make_campaign(preset))
    page.goto(page.url.replace("/welcome/", "/item/0/"))
    return assignment


def visible_band(page: Any) -> tuple[float, float]:
    """The part of the viewport between the sticky top bar and the fixed bottom bar."""
    top = page.locator(".topbar").bounding_box()
    bar = page.locator(".nav-bar").bounding_box()
    return top["y"] + top["height"], bar["y"]


def assert_in_band(page: Any, selector: str, where: str) -> None:
    top, bottom = visible_band(page)
    box = page.locator(selector).bounding_box()
    assert box["y"] >= top - 0.5 and box["y"] + box["height"] <= bottom + 0.5, (
        f"{selector} {where} ({page.size}): {box} outside [{top}, {bottom}]"
    )


def test_bins_are_in_view_without_scrolling(sized_page, live_server):
    page = sized_page
    open_item(page, live_server, "good-okay-bad")
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height > page.viewport_size["height"], "the page must be taller than the screen"
    for scroll in (0, height // 2):
        page.evaluate(f"window.scrollTo(0, {scroll})")
        for value in BINS:
            assert_in_band(page, f".task .bin-{value}", f"scrolled to {scroll}")
    # Sorting every card keeps the bins in view: each bin scrolls its own cards.
    while page.locator(".task .pool .card").count():
        page.locator(".task .pool .card").first.locator("[data-place=good]").click()
    expect(page.locator("[data-role=save-status]")).to_have_text(SAVED)
    for value in BINS:
        assert_in_band(page, f".task .bin-{value}", "with every card in Good")


def test_a_drag_held_at_an_edge_keeps_scrolling(sized_page, live_server):
    page = sized_page
    open_item(page, live_server, "good-okay-bad")
    card = page.locator(".task .pool .card").first
    box = card.bounding_box()
    x = box["x"] + box["width"] / 2
    page.mouse.move(x, box["y"] + 14)
    page.mouse.down()
    bottom = page.viewport_size["height"] - 8
    page.mouse.move(x, bottom, steps=8)
    before = page.evaluate("window.scrollY")
    page.wait_for_timeout(600)  # held still: no pointer moves
    held = page.evaluate("window.scrollY")
    assert held >= before + 100, f"held at the bottom edge ({page.size}): {before} -> {held}"
    # Held on, it stops at the page's end (the moved card must not stretch the page).
    end = page.evaluate("document.documentElement.scrollHeight - window.innerHeight")
    page.wait_for_timeout(1500)
    held = page.evaluate("window.scrollY")
    assert held <= end + 1, f"scrolled past the end ({page.size}): {held} > {end}"
    page.mouse.move(x, 8, steps=4)
    page.wait_for_timeout(300)
    assert page.evaluate("window.scrollY") < held - 50, "held at the top edge, it scrolls back"
    page.mouse.up()


def test_practice_feedback_and_page_end_are_not_under_the_bar(sized_page, live_server):
    page = sized_page
    start(page, live_server, make_campaign("good-okay-bad"))
    page.click("[data-role=start]")
    page.wait_for_url(re.compile(r"/instructions/$"))
    page.click("[data-role=validate]")
    expect(page.locator("[data-role=feedback-title]")).to_have_text("Not quite:")
    page.wait_for_timeout(200)
    assert_in_band(page, "[data-role=feedback]", "after Validate")
    page.click("[data-role=begin]")
    page.wait_for_url(re.compile(r"/item/0/$"))
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    page.wait_for_timeout(100)
    _, bottom = visible_band(page)
    for selector in ("main .task", "main .bonus"):
        if not page.locator(selector).count():
            continue
        box = page.locator(selector).bounding_box()
        assert box["y"] + box["height"] <= bottom + 0.5, f"{selector} under the bar"


def test_the_sorted_pool_says_so(sized_page, live_server):
    page = sized_page
    open_item(page, live_server, "good-okay-bad")
    message = page.get_by_text("All responses are sorted.")
    expect(message).to_be_hidden()
    while page.locator(".task .pool .card").count():
        page.locator(".task .pool .card").first.locator("[data-place=okay]").click()
    expect(message).to_be_visible()


def test_the_instructions_link_stays_on_screen(sized_page, live_server):
    page = sized_page
    open_item(page, live_server, "likert-fce")
    link = page.locator(".topbar-link")
    expect(link).to_be_visible()
    box = link.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"]


def test_likert_anchors_are_never_cut(sized_page, live_server):
    page = sized_page
    open_item(page, live_server, "likert-fce")
    cut = page.locator(".task .anchor").evaluate_all(
        """(nodes) => nodes.filter((n) => {
            const box = n.getBoundingClientRect();
            const label = n.closest("label").getBoundingClientRect();
            return n.scrollWidth > n.clientWidth + 1 || box.left < label.left - 1
                || box.right > label.right + 1 || box.left < 0 || box.right > window.innerWidth;
        }).map((n) => n.textContent)"""
    )
    assert not cut, f"anchors cut ({page.size}): {cut}"


def test_reconnecting_saves_what_waited(sized_page, live_server):
    """Every card sorted while offline: Next stays closed while they are not saved, and once
    the connection is back they are sent without another click."""
    page = sized_page
    assignment = open_item(page, live_server, "good-okay-bad")
    page.context.set_offline(True)
    cards = page.locator(".task .pool .card").count()
    while page.locator(".task .pool .card").count():
        page.locator(".task .pool .card").first.locator("[data-place=good]").click()
    status = page.locator("[data-role=save-status]")
    expect(status).to_have_text(re.compile("Not saved yet"), timeout=12_000)
    expect(page.locator("[data-role=next]")).to_be_disabled()
    page.context.set_offline(False)
    expect(status).to_have_text(SAVED, timeout=5_000)
    expect(page.locator("[data-role=next]")).to_be_enabled()
    assert Judgment.objects.filter(assignment=assignment).count() == cards


def touch(cdp: Any, kind: str, x: float, y: float) -> None:
    points = [] if kind == "touchEnd" else [{"x": x, "y": y}]
    cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})


def test_a_finger_drags_a_card_into_a_bin_and_held_low_keeps_scrolling(browser, live_server):
    """On the phone, by touch (Chrome DevTools touch events): a card dragged by its grip
    lands in a bin without scrolling first, and a finger held on the bottom bar scrolls."""
    from tests.browser.conftest import SIZES

    context = browser.new_context(**SIZES["phone"])
    page = context.new_page()
    page.size = "phone"
    try:
        open_item(page, live_server, "good-okay-bad")
        cdp = context.new_cdp_session(page)
        grip = page.locator(".task .pool .card").first.locator(".grip").bounding_box()
        handle = page.locator(".task .pool .card").first.get_attribute("data-handle")
        goal = page.locator(".task .bin-bad").bounding_box()
        x, y = grip["x"] + grip["width"] / 2, grip["y"] + grip["height"] / 2
        touch(cdp, "touchStart", x, y)
        for step in range(1, 9):
            gx, gy = goal["x"] + goal["width"] / 2, goal["y"] + goal["height"] / 2
            touch(cdp, "touchMove", x + (gx - x) * step / 8, y + (gy - y) * step / 8)
        touch(cdp, "touchEnd", 0, 0)
        expect(page.locator(f".task .bin-bad .card[data-handle='{handle}']")).to_have_count(1)

        grip = page.locator(".task .pool .card").first.locator(".grip").bounding_box()
        x, y = grip["x"] + grip["width"] / 2, grip["y"] + grip["height"] / 2
        touch(cdp, "touchStart", x, y)
        bottom = page.viewport_size["height"] - 8
        for step in range(1, 5):
            touch(cdp, "touchMove", x, y + (bottom - y) * step / 4)
        before = page.evaluate("window.scrollY")
        page.wait_for_timeout(600)
        held = page.evaluate("window.scrollY")
        touch(cdp, "touchEnd", 0, 0)
        assert held >= before + 100, f"finger held at the bottom: {before} -> {held}"
    finally:
        context.close()


def test_a_focused_card_is_not_hidden_behind_the_bins(sized_page, live_server):
    page = sized_page
    open_item(page, live_server, "good-okay-bad")
    page.locator(".task .pool .card").first.focus()
    for _ in range(page.locator(".task .pool .card").count() - 1):
        page.keyboard.press("ArrowDown")
        page.wait_for_timeout(100)
        card = page.evaluate("document.activeElement.getBoundingClientRect().bottom")
        bins = page.locator(".task .bins").bounding_box()
        assert card <= bins["y"] + 0.5, f"focused card under the bins ({page.size})"
