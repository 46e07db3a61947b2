"""The gold attacker in a real browser: a worker goes through several HITs, and on
every dialogue page records what the rendered page offers (every element's tag, classes and
attribute names, the number of cards, the controls) and what pressing "Bonus Validate" shows
once the dialogue is sorted. Every dialogue of every HIT must look and answer exactly the
same, gold or not, so no classifier can beat chance; tests/crowd/test_gold_attacker.py does
the statistical version over the HTTP responses."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from evalplatform.crowd.models import Item
from tests.browser.test_worker_pages import SAVED, start
from tests.factories import make_campaign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

N_HITS = 3

# Everything a page renders, without the texts: tag, classes and attribute names per element.
SKELETON_JS = """() => [...document.querySelectorAll('main *')].map(el =>
  el.tagName + '.' + [...el.classList].sort().join('.') + '[' +
  [...el.attributes].map(a => a.name).filter(n => n !== 'class').sort().join(',') + ']'
).join(' ')"""


def _sort_all_bad(page: Any) -> None:
    pool = page.locator(".task .pool .card")
    while pool.count():
        pool.first.locator("[data-place=bad]").click()
    expect(page.locator("[data-role=save-status]")).to_have_text(SAVED)


def _walk(page: Any, live_server: Any, campaign: Any) -> list[tuple[str, str, bool]]:
    assignment = start(page, live_server, campaign)
    page.click("[data-role=start]")
    page.wait_for_url(re.compile(r"/instructions/$"))
    page.click("[data-role=begin]")
    seen = []
    for position in range(assignment.hit.items.count()):
        page.wait_for_url(re.compile(rf"/item/{position}/$"))
        skeleton = page.evaluate(SKELETON_JS)
        _sort_all_bad(page)
        page.click("[data-role=bonus]")
        result = page.locator("[data-role=bonus-result]")
        expect(result).to_have_text(re.compile(r"^(?!Checking)\S"))
        has_gold = Item.objects.get(hit=assignment.hit, position=position).has_gold
        seen.append((skeleton, result.inner_text(), has_gold))
        page.click("[data-role=next]")
    return seen


def test_gold_dialogues_look_and_answer_like_every_other(page, live_server):
    campaign = make_campaign(
        "good-okay-bad", overrides={"sample_size": 4 * N_HITS, "max_hits_per_worker": 1}
    )
    seen = [s for _ in range(N_HITS) for s in _walk(page, live_server, campaign)]
    assert {has_gold for _, _, has_gold in seen} == {True, False}
    by_gold = {
        gold: {(skeleton, result) for skeleton, result, has_gold in seen if has_gold == gold}
        for gold in (True, False)
    }
    assert len(by_gold[True] | by_gold[False]) == 1, "a page or its check tells gold apart"
