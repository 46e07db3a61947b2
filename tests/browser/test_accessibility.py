"""Issue 14, item 5: axe-core (bundled by PyPI's axe-playwright-python) on every worker
page, laptop and phone, in the states a worker sees them, the HIT preview included and
inside MTurk's iframe too; any serious or critical violation fails. Every page also has
one h1, and every control a finger must hit is at least 44x44 px."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from evalplatform.crowd.models import Hit
from evalplatform.crowd.services import assignment_lease, invites_create
from evalplatform.crowd.services.invites import invite_path
from evalplatform.crowd.tokens import assignment_url
from evalplatform.providers.models import ProviderHit
from evalplatform.providers.mturk.builders import PREVIEW_ASSIGNMENT_ID
from tests.browser.test_framing import SANDBOX, SUBMIT
from tests.browser.test_worker_pages import SAVED, start
from tests.factories import WorkerFactory, answer_all, make_campaign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
BLOCKING = {"serious", "critical"}
AXE = Axe()
TARGET = 44
# Controls tapped on a phone (links inside running text are exempt, as in WCAG 2.5.5).
CONTROLS = ".grip, .card-buttons button, label.option, .button, .topbar-link"


def assert_accessible(page: Any, where: str, *, size: str = "") -> None:
    """``page`` may be a Frame (a page inside MTurk's iframe): axe runs in that document,
    and ``size`` then names the screen."""
    size = size or page.size
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
    assert not found, f"{where} ({size}):\n" + "\n".join(found)
    assert page.locator("h1").count() == 1, f"{where} ({size}): not exactly one h1"
    assert_touch_targets(page, where, size)


def assert_touch_targets(page: Any, where: str, size: str) -> None:
    sizes = page.locator(CONTROLS).evaluate_all(
        """(nodes) => nodes.filter((n) => n.offsetParent).map((n) => {
            const box = n.getBoundingClientRect();
            return [n.outerHTML.slice(0, 80), Math.round(box.width), Math.round(box.height)];
        })"""
    )
    small = [size for size in sizes if size[1] < TARGET or size[2] < TARGET]
    assert not small, f"{where} ({size}): targets under {TARGET}x{TARGET} px: {small}"


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


def mturk_preview_url(preset: str) -> str:
    """The URL MTurk opens for a worker previewing a HIT of a published MTurk campaign (the
    console's preview renders the same page)."""
    campaign = make_campaign(preset, overrides={"provider": "mturk"})
    hit = campaign.hits.order_by("index").first()
    hit_id = f"3PREVIEW{hit.pk}"
    Hit.objects.filter(pk=hit.pk).update(provider_hit_id=hit_id)
    ProviderHit.objects.create(
        hit=hit,
        provider="mturk",
        environment="sandbox",
        provider_hit_id=hit_id,
        request_token=hit_id,
    )
    query = urlencode({"assignmentId": PREVIEW_ASSIGNMENT_ID, "hitId": hit_id})
    return f"/p/mturk/task/{campaign.pk}/?{query}"


@pytest.mark.parametrize("preset", ["good-okay-bad", "likert-fce", "ab-wlt"])
def test_the_hit_preview_has_no_serious_violation(sized_page, live_server, preset):
    page = sized_page
    page.goto(live_server.url + mturk_preview_url(preset))
    expect(page.get_by_text("This is a preview")).to_be_visible()
    assert_accessible(page, f"{preset} preview")


def framed(page: Any, src: str) -> Any:
    """``src`` inside an MTurk-like parent page that gives the frame the whole screen, as
    MTurk's worker site does on a phone; returns the frame."""
    parent = f"{SANDBOX}/projects/1/tasks"
    page.context.grant_permissions(["local-network-access"], origin=SANDBOX)
    page.route(
        parent,
        lambda route: route.fulfill(
            content_type="text/html",
            body='<!DOCTYPE html><html lang="en"><head><title>MTurk</title><meta name="viewport" '
            'content="width=device-width, initial-scale=1"></head><body style="margin:0">'
            f'<iframe id="task" title="HIT" src="{src}" style="border:0;width:100%;'
            'height:100vh"></iframe></body></html>',
        ),
    )
    page.goto(parent)
    frame = page.frame_locator("#task")
    expect(frame.locator("h1")).to_have_count(1)
    return page.frames[1]


def test_pages_inside_mturks_iframe_have_no_serious_violation(sized_page, live_server):
    page = sized_page
    frame = framed(page, live_server.url + mturk_preview_url("good-okay-bad"))
    assert_accessible(frame, "preview in MTurk's iframe", size=page.size)
    campaign = make_campaign("good-okay-bad", overrides={"provider": "mturk"})
    lease = assignment_lease(
        campaign=campaign,
        worker=WorkerFactory(provider="mturk", external_id="AWORKER1"),
        provider_assignment_id="ASSIGN1",
        provider_context={
            "submit": {"method": "post", "url": SUBMIT, "fields": {"assignmentId": "ASSIGN1"}}
        },
    )
    frame.goto(live_server.url + assignment_url(lease))
    expect(frame.locator("[data-role=start]")).to_be_visible()
    assert_accessible(frame, "welcome in MTurk's iframe", size=page.size)
    frame.goto(live_server.url + assignment_url(lease, "instructions"))
    expect(frame.locator("[data-role=begin]")).to_be_visible()
    assert_accessible(frame, "instructions in MTurk's iframe", size=page.size)
    frame.goto(live_server.url + assignment_url(lease, "item", position=0))
    expect(frame.locator(".task .pool .card").first).to_be_visible()
    assert_accessible(frame, "good/okay/bad item in MTurk's iframe", size=page.size)
    answer_all(lease)
    frame.goto(live_server.url + assignment_url(lease, "review"))
    expect(frame.locator("[data-role=submit]")).to_be_visible()
    assert_accessible(frame, "review in MTurk's iframe", size=page.size)
    frame.locator("[data-role=submit]").click()
    expect(frame.locator("[data-role=provider-submit] button")).to_be_visible()
    assert_accessible(frame, "completion in MTurk's iframe", size=page.size)
