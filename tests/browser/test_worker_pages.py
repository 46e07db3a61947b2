"""Whole HITs in real Chromium: good/okay/bad by mouse drag and by keyboard alone, Likert
and A/B; Back, reload and resume; then the stored judgments must match what was done."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from evalplatform.crowd.models import Assignment, Invite, Judgment
from evalplatform.crowd.services import invites_create
from evalplatform.crowd.services.invites import invite_path
from tests.factories import make_campaign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LABELS = ("good", "okay", "bad")
KEYS = {"good": "1", "okay": "o", "bad": "3"}
SAVED = "All answers saved."


def choice_for(item: int, handle: int) -> str:
    return LABELS[(item + handle) % 3]


def start(page: Any, live_server: Any, campaign: Any) -> Assignment:
    """Open a fresh invite link and press Start; returns the assignment made."""
    invite = invites_create(campaign=campaign, count=1)[0]
    page.goto(live_server.url + invite_path(invite))
    page.click("[data-role=start]")
    page.wait_for_url(re.compile(r"/welcome/$"))
    return Assignment.objects.get(worker=Invite.objects.get(pk=invite.pk).worker)


def drag(page: Any, card: Any, target: Any) -> None:
    card.scroll_into_view_if_needed()
    box, goal = card.bounding_box(), target.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + 14)
    page.mouse.down()
    page.mouse.move(goal["x"] + goal["width"] / 2, goal["y"] + goal["height"] / 2, steps=12)
    page.mouse.up()


def sort_pool_by_mouse(page: Any, item: int, *, limit: int | None = None) -> dict[int, str]:
    placed: dict[int, str] = {}
    pool = page.locator(".task .pool .card")
    while pool.count() and (limit is None or len(placed) < limit):
        card = pool.first
        handle = int(card.get_attribute("data-handle"))
        value = choice_for(item, handle)
        drag(page, card, page.locator(f".task .bin-{value}"))
        expect(page.locator(f".task .bin-{value} .card[data-handle='{handle}']")).to_have_count(1)
        placed[handle] = value
    expect(page.locator("[data-role=save-status]")).to_have_text(SAVED)
    return placed


def stored(assignment: Assignment) -> dict[tuple[int, int | None, str], str]:
    return {
        (
            j.item.position,
            j.item_candidate.position if j.item_candidate else None,
            j.criterion.name,
        ): j.label or str(j.score)
        for j in Judgment.objects.filter(assignment=assignment).select_related(
            "item", "item_candidate", "criterion"
        )
    }


def submit_and_finish(page: Any, shots: Path | None) -> str:
    page.wait_for_url(re.compile(r"/review/$"))
    page.click("[data-role=submit]")
    page.wait_for_url(re.compile(r"/done/$"))
    code = page.locator("[data-role=completion-code]").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-7]{4}(-[A-Z2-7]{4}){3}", code)
    if shots:
        page.screenshot(path=str(shots / "completion.png"), full_page=True)
    return code


def test_good_okay_bad_hit_by_mouse_with_back_reload_and_bonus(page, live_server, screenshot_dir):
    campaign = make_campaign("good-okay-bad")
    assignment = start(page, live_server, campaign)
    page.screenshot(path=str(screenshot_dir / "welcome.png"), full_page=True)

    page.click("[data-role=start]")
    page.wait_for_url(re.compile(r"/instructions/$"))
    practice = page.locator(".practice")
    drag(page, practice.locator(".card[data-handle='2']"), practice.locator(".bin-good"))
    page.click("[data-role=validate]")
    expect(page.locator("[data-role=feedback-title]")).to_have_text("Not quite:")
    for handle, value in ((0, "good"), (1, "okay"), (2, "bad")):
        drag(
            page,
            practice.locator(f".card[data-handle='{handle}']"),
            practice.locator(f".bin-{value}"),
        )
    page.click("[data-role=validate]")
    expect(page.locator("[data-role=feedback-title]")).to_have_text("Correct!")
    page.screenshot(path=str(screenshot_dir / "instructions.png"), full_page=True)
    assert not Judgment.objects.filter(assignment=assignment).exists()  # practice not stored

    page.click("[data-role=begin]")
    expected: dict[tuple[int, int | None, str], str] = {}
    total = assignment.hit.items.count()
    for item in range(total):
        page.wait_for_url(re.compile(rf"/item/{item}/$"))
        expect(page.locator("[data-role=next]")).to_be_disabled()
        if item == 1:
            # Half the cards, then a reload: the placed ones come back from the server.
            first = sort_pool_by_mouse(page, item, limit=2)
            page.reload()
            for handle, value in first.items():
                expect(page.locator(f".bin-{value} .card[data-handle='{handle}']")).to_have_count(1)
            expected.update({(item, h, "appropriateness"): v for h, v in first.items()})
        placed = sort_pool_by_mouse(page, item)
        expected.update({(item, h, "appropriateness"): v for h, v in placed.items()})
        if item == 0:
            page.evaluate("window.scrollTo(0, 0)")
            page.screenshot(path=str(screenshot_dir / "ggb.png"), full_page=True)
        page.click("[data-role=bonus]")
        # Every dialogue answers alike, gold or not, and the check locks its answers.
        expect(page.locator("[data-role=bonus-result]")).to_have_text(re.compile(r"locked in"))
        expect(page.locator("[data-role=bonus]")).to_be_disabled()
        if item == 2:
            page.click("[data-role=back]")
            page.wait_for_url(re.compile(r"/item/1/$"))
            for (position, handle, _), value in expected.items():
                if position == 1:
                    expect(
                        page.locator(f".bin-{value} .card[data-handle='{handle}']")
                    ).to_have_count(1)
            page.click("[data-role=next]")
            page.wait_for_url(re.compile(r"/item/2/$"))
        expect(page.locator("[data-role=next]")).to_be_enabled()
        page.click("[data-role=next]")

    submit_and_finish(page, screenshot_dir)
    assignment.refresh_from_db()
    assert assignment.status == "submitted"
    assert stored(assignment) == expected
    golds = Judgment.objects.filter(assignment=assignment, item_candidate__is_gold=True)
    assert assignment.bonus_points == golds.filter(label__in=["good", "okay"]).count()


def test_good_okay_bad_hit_by_keyboard_alone(page, live_server):
    campaign = make_campaign("good-okay-bad")
    assignment = start(page, live_server, campaign)
    page.goto(page.url.replace("/welcome/", "/item/0/"))
    expected = {}
    total = assignment.hit.items.count()
    for item in range(total):
        page.wait_for_url(re.compile(rf"/item/{item}/$"))
        for _ in range(30):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.classList.contains('card')"):
                break
        first = page.evaluate("document.activeElement.dataset.handle")
        page.keyboard.press("ArrowDown")
        assert page.evaluate("document.activeElement.dataset.handle") != first
        page.keyboard.press("ArrowUp")
        assert page.evaluate("document.activeElement.dataset.handle") == first
        while page.locator(".pool .card").count():
            handle = int(page.evaluate("document.activeElement.dataset.handle"))
            value = choice_for(item, handle)
            page.keyboard.press(KEYS[value])
            expect(page.locator(f".bin-{value} .card[data-handle='{handle}']")).to_have_count(1)
            expect(page.locator("[data-role=announce]")).to_contain_text(
                f"Response {handle + 1} placed in {value.capitalize()}"
            )
            label = page.locator(f".card[data-handle='{handle}']").get_attribute("aria-label")
            assert label.endswith(f"In {value.capitalize()}.")
            expected[(item, handle, "appropriateness")] = value
        expect(page.locator("[data-role=save-status]")).to_have_text(SAVED)
        for _ in range(30):
            if page.evaluate("document.activeElement.dataset.role") == "next":
                break
            page.keyboard.press("Tab")
        page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/review/$"))
    for _ in range(40):
        if page.evaluate("document.activeElement.dataset.role") == "submit":
            break
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/done/$"))
    assignment.refresh_from_db()
    assert assignment.status == "submitted"
    assert stored(assignment) == expected


def _answer_choices(page: Any, item: int, *, limit: int | None = None) -> dict:
    """Click one option of each unanswered question (a label, as a person would)."""
    answered = {}
    fieldsets = page.locator(".task fieldset.question")
    for index in range(fieldsets.count()):
        fieldset = fieldsets.nth(index)
        if limit is not None and len(answered) >= limit:
            break
        if fieldset.locator("input:checked").count():
            continue
        values = fieldset.locator("input").evaluate_all("(nodes) => nodes.map((n) => n.value)")
        value = values[(item + index) % len(values)]
        fieldset.locator(f"label.option:has(input[value='{value}'])").click()
        raw = fieldset.get_attribute("data-candidate")
        criterion = fieldset.get_attribute("data-criterion")
        answered[(item, int(raw) if raw else None, criterion)] = value
    expect(page.locator("[data-role=save-status]")).to_have_text(SAVED)
    return answered


def _run_choice_hit(page: Any, live_server: Any, preset: str, shots: Path, name: str) -> None:
    campaign = make_campaign(preset)
    assignment = start(page, live_server, campaign)
    page.goto(page.url.replace("/welcome/", "/instructions/"))
    page.click("[data-role=begin]")
    expected: dict = {}
    total = assignment.hit.items.count()
    for item in range(total):
        page.wait_for_url(re.compile(rf"/item/{item}/$"))
        if item == 1:
            first = _answer_choices(page, item, limit=2)
            page.reload()
            for (_, candidate, criterion), value in first.items():
                prefix = f"r{candidate}" if candidate is not None else "item"
                expect(
                    page.locator(f"input[name='t-{prefix}-{criterion}'][value='{value}']")
                ).to_be_checked()
            expected.update(first)
        expected.update(_answer_choices(page, item))
        if item == 0:
            page.evaluate("window.scrollTo(0, 0)")
            page.screenshot(path=str(shots / f"{name}.png"), full_page=True)
        if item == 1:
            page.click("[data-role=back]")
            page.wait_for_url(re.compile(r"/item/0/$"))
            for (position, candidate, criterion), value in expected.items():
                if position == 0:
                    prefix = f"r{candidate}" if candidate is not None else "item"
                    name_ = f"t-{prefix}-{criterion}"
                    expect(page.locator(f"input[name='{name_}'][value='{value}']")).to_be_checked()
            page.click("[data-role=next]")
            page.wait_for_url(re.compile(r"/item/1/$"))
        page.click("[data-role=next]")
    submit_and_finish(page, None)
    assert stored(assignment) == expected


def test_likert_hit_with_back_and_reload(page, live_server, screenshot_dir):
    _run_choice_hit(page, live_server, "likert-fce", screenshot_dir, "likert")
    # Seed 000's binary criterion shows the predicted emotion it is judged against.


def test_ab_hit_with_back_and_reload(page, live_server, screenshot_dir):
    _run_choice_hit(page, live_server, "ab-wlt", screenshot_dir, "ab")
