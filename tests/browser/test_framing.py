"""Inside MTurk's iframe: the task pages load and work when framed by MTurk's hosts, the
completion form posts to externalSubmit from the frame, and any other parent (or a page
that is not a task page) is refused by the browser itself."""

from __future__ import annotations

import re
from urllib.parse import parse_qs

import pytest
from playwright.sync_api import expect

from evalplatform.crowd.completion import completion_code_verify
from evalplatform.crowd.services import assignment_lease, invites_create
from evalplatform.crowd.services.invites import invite_path
from evalplatform.crowd.tokens import assignment_url
from tests.factories import WorkerFactory, answer_all, make_campaign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SANDBOX = "https://workersandbox.mturk.com"
SUBMIT = f"{SANDBOX}/mturk/externalSubmit"


def host_frame(page, parent_url: str, frame_src: str) -> None:
    """Serve ``parent_url`` (no network: Playwright answers) as a page framing our URL.

    Chromium stops public pages from reaching localhost (Local Network Access); the
    permission is granted so that only our own headers decide whether framing works."""
    origin = re.match(r"https://[^/]+", parent_url).group(0)
    page.context.grant_permissions(["local-network-access"], origin=origin)
    page.route(
        parent_url,
        lambda route: route.fulfill(
            content_type="text/html",
            body=f'<!DOCTYPE html><iframe id="task" src="{frame_src}" width="1200" '
            'height="1400"></iframe>',
        ),
    )
    page.goto(parent_url)


def test_a_hit_is_done_and_submitted_to_mturk_from_inside_its_iframe(page, live_server):
    campaign = make_campaign("ab-wlt")
    worker = WorkerFactory(provider="mturk", external_id="AWORKER1")
    lease = assignment_lease(
        campaign=campaign,
        worker=worker,
        hit=campaign.hits.first(),
        provider_assignment_id="ASSIGN1",
        provider_context={
            "submit": {"method": "post", "url": SUBMIT, "fields": {"assignmentId": "ASSIGN1"}}
        },
    )
    answer_all(lease)
    posted: list[str] = []

    def external_submit(route):
        posted.append(route.request.post_data or "")
        route.fulfill(content_type="text/html", body="<p>MTurk got it</p>")

    page.route(SUBMIT, external_submit)
    host_frame(page, f"{SANDBOX}/projects/1/tasks", live_server.url + assignment_url(lease))
    frame = page.frame_locator("#task")
    expect(frame.locator("h1")).to_have_text("Welcome!")
    # The autosave endpoint works from the frame (no cookies needed).
    frame.locator("[data-role=start]").click()
    expect(frame.locator("h1")).to_have_text("Instructions")
    page.frames[1].goto(live_server.url + assignment_url(lease, "item", position=0))
    frame.locator("label.option:has(input[value='tie'])").click()
    expect(frame.locator("[data-role=save-status]")).to_have_text("All answers saved.")
    page.frames[1].goto(live_server.url + assignment_url(lease, "review"))
    frame.locator("[data-role=submit]").click()
    expect(frame.locator("[data-role=completion-code]")).to_be_visible()
    frame.locator("[data-role=provider-submit] button").click()
    # The form post navigates the frame; under load that can take longer than the default
    # wait, and until then "p" also matches the completion page's paragraphs.
    expect(frame.get_by_text("MTurk got it", exact=True)).to_be_visible(timeout=30_000)
    fields = {key: values[0] for key, values in parse_qs(posted[0]).items()}
    assert fields["assignmentId"] == "ASSIGN1"
    lease.refresh_from_db()
    assert completion_code_verify(lease, fields["completion_code"])
    assert lease.judgments.get(item__position=0).label == "tie"


def test_other_parents_and_non_task_pages_cannot_frame_us(page, live_server):
    campaign = make_campaign("ab-wlt")
    lease = assignment_lease(campaign=campaign, worker=WorkerFactory())
    host_frame(page, "https://evil.example/phish", live_server.url + assignment_url(lease))
    page.wait_for_timeout(500)
    blocked = page.frame_locator("#task").locator("body")
    assert page.frame_locator("#task").locator("h1:has-text('Welcome')").count() == 0
    assert "local network" not in blocked.inner_text()  # refused by our CSP, not by LNA
    invite = invites_create(campaign=campaign, count=1)[0]
    host_frame(page, f"{SANDBOX}/projects/2/tasks", live_server.url + invite_path(invite))
    page.wait_for_timeout(500)
    assert page.frame_locator("#task").locator("[data-role=start]").count() == 0
    # The same invite page opens fine at the top level.
    page.goto(live_server.url + invite_path(invite))
    expect(page.locator("[data-role=start]")).to_be_visible()


def test_phone_layout_stacks_bins_and_sorts_by_tapping(browser, live_server, screenshot_dir):
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        has_touch=True,
        is_mobile=True,
        device_scale_factor=2,
    )
    page = context.new_page()
    try:
        campaign = make_campaign("good-okay-bad")
        lease = assignment_lease(campaign=campaign, worker=WorkerFactory())
        page.goto(live_server.url + assignment_url(lease, "item", position=0))
        bins = [page.locator(f".bin-{v}").bounding_box() for v in ("good", "okay", "bad")]
        assert bins[0]["x"] == bins[1]["x"] and bins[1]["y"] > bins[0]["y"]  # stacked
        while page.locator(".pool .card").count():
            page.locator(".pool .card").first.locator("button[data-place='okay']").tap()
        expect(page.locator("[data-role=save-status]")).to_have_text("All answers saved.")
        expect(page.locator("[data-role=next]")).to_be_enabled()
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(screenshot_dir / "ggb-phone.png"), full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, "no sideways scrolling on a phone"
        assert re.search(r"/item/0/$", page.url)
        assert set(lease.judgments.values_list("label", flat=True)) == {"okay"}
    finally:
        context.close()
