"""The report page on a phone: at 390 px nothing scrolls the page sideways;
wide tables scroll inside their own box. Real Chromium through Playwright."""

from __future__ import annotations

import pytest

from evalplatform.console.views.report import _with_downloads
from evalplatform.crowd.simulation.run import simulate_campaign
from evalplatform.reports.campaign_report import campaign_export
from tests.browser.conftest import SCREENSHOTS
from tests.factories import SystemFactory, make_campaign

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

OVERFLOW = """() => {
  const page = document.documentElement.scrollWidth;
  const boxes = [...document.querySelectorAll('.table-wrap')].map(
    (box) => ({scrolls: box.scrollWidth > box.clientWidth, style: getComputedStyle(box).overflowX,
               right: box.getBoundingClientRect().right}));
  const wider = [...document.body.querySelectorAll('*')].filter((el) => {
    const r = el.getBoundingClientRect();
    return r.right > window.innerWidth + 1 && !el.closest('.table-wrap');
  }).map((el) => el.tagName + '.' + el.className + ': ' + (el.textContent || '').slice(0, 40));
  return {page, width: window.innerWidth, boxes, wider};
}"""


def test_report_page_fits_a_phone_and_tables_scroll_in_their_box(browser):
    systems = [
        SystemFactory(name=f"a-rather-long-system-name-fine-tuned-on-EmpatheticDialogues-{n}")
        for n in range(4)
    ]
    campaign = make_campaign("good-okay-bad", systems=systems, name="a" * 80)
    simulate_campaign(campaign=campaign, workers=4, seed=2, hits_per_worker=2)
    html = _with_downloads(campaign_export(campaign, "html"), "/admin/report/")
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.set_content(html)
        measured = page.evaluate(OVERFLOW)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / "report-phone.png")
    finally:
        context.close()
    assert measured["wider"] == [], measured["wider"][:10]
    assert measured["page"] <= measured["width"], measured
    assert any(box["scrolls"] for box in measured["boxes"]), "no wide table to check"
    assert all(box["style"] == "auto" and box["right"] <= 391 for box in measured["boxes"])
