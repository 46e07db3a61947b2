"""The attacker's view of gold checks: a worker who reads everything a worker can
load (item pages' HTML with their inline JSON, the JS and CSS they link, the JSON state, the
bonus check's answers) over many seeded HITs, and tries to tell which dialogues carry a gold
check and which response is the gold one.

The attacker learns on half of the HITs, with the truth read from the database, and guesses
on the other half. Each page is reduced to what could tell the cases apart without reading
the responses' meaning: its markup with every dialogue and response text, every number and
the worker's token blanked (what is left: card counts, controls, attributes, data ids, order),
the check endpoint's answer, and each response's place. A gold response is a person's reply,
so its wording may give it away to a reader; that is the attention the check pays for, and
the filler of non-gold dialogues is a person's reply too (another context's gold), so the
wording does not tell a gold dialogue from the others.

Its accuracy must not beat the best guess that ignores the pages (the majority class for
dialogues, one response in k for the card) by more than binomial noise (3 standard errors).
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

import pytest

from evalplatform.crowd.models import Item, ItemCandidate
from evalplatform.crowd.services import assignment_lease
from evalplatform.crowd.tokens import assignment_url
from tests.factories import WorkerFactory, make_campaign, worker_post

pytestmark = pytest.mark.django_db

N_HITS = 24
STATIC = re.compile(r'(?:src|href)="(/static/[^"]+)"')


def post(client, url, body):
    return worker_post(client, url, body)


@dataclass
class Seen:
    """What one worker saw of one dialogue, reduced to features, and the truth."""

    hit: int
    page: str
    check: str
    state: str
    cards: list[str]
    has_gold: bool
    gold_card: int | None


def _blank(text: str, secrets: list[str]) -> str:
    for secret in sorted(set(secrets), key=len, reverse=True):
        if secret:
            text = text.replace(secret, "TEXT")
            text = text.replace(json.dumps(secret)[1:-1], "TEXT")
    text = re.sub(r"/w/a/[^/\"']+/", "/w/a/TOKEN/", text)
    return re.sub(r"\d+", "0", text)


def _skeleton(html: str, secrets: list[str]) -> str:
    """The markup with texts, numbers and tokens blanked: tags, attributes and structure."""
    return _blank(html, secrets)


def _card_features(html: str) -> list[str]:
    """Each card's markup (blanked), in the order shown."""
    return re.findall(r'<li class="card"[^>]*>', html) or re.findall(
        r'<section class="response"[^>]*>', html
    )


def _walk_hit(client, campaign, hit, hit_index: int) -> list[Seen]:
    lease = assignment_lease(campaign=campaign, worker=WorkerFactory(), hit=hit)
    state = client.get(assignment_url(lease, "api-state")).json()
    secrets = [t["text"] for item in state["items"] for t in item["turns"]]
    secrets += [r["text"] for item in state["items"] for r in item["responses"]]
    criterion = next(c["name"] for c in state["criteria"])
    client.get(assignment_url(lease, "welcome"))
    instructions = client.get(assignment_url(lease, "instructions")).content.decode()
    for asset in STATIC.findall(instructions):
        # The attacker reads the scripts and styles too; they are the same for every page.
        assert client.get(asset).status_code in (200, 404)
    seen = []
    for item in state["items"]:
        position = item["position"]
        html = client.get(assignment_url(lease, "item", position=position)).content.decode()
        early = post(client, assignment_url(lease, "api-bonus"), {"item": position})
        answers = [
            {"item": position, "candidate": r["handle"], "criterion": criterion, "value": "bad"}
            for r in item["responses"]
        ]
        post(client, assignment_url(lease, "api-answer"), {"answers": answers})
        check = post(client, assignment_url(lease, "api-bonus"), {"item": position})
        shown = Item.objects.get(hit=lease.hit, position=position)
        gold = ItemCandidate.objects.filter(item=shown, is_gold=True).first()
        item_state = {k: v for k, v in item.items() if k not in ("turns", "answers")}
        seen.append(
            Seen(
                hit=hit_index,
                page=_skeleton(html, secrets),
                check="|".join(
                    _blank(r.content.decode(), secrets) + str(r.status_code) for r in (early, check)
                ),
                state=_blank(json.dumps(item_state, sort_keys=True), secrets),
                cards=[_blank(card, secrets) for card in _card_features(html)],
                has_gold=shown.has_gold,
                gold_card=gold.position if gold else None,
            )
        )
    return seen


def _margin(p: float, n: int) -> float:
    return 3 * math.sqrt(p * (1 - p) / n) + 1 / n


def _learn(train: list[tuple[str, bool]]) -> tuple[dict[str, bool], bool]:
    votes: dict[str, Counter] = defaultdict(Counter)
    for key, truth in train:
        votes[key][truth] += 1
    overall = Counter(truth for _, truth in train).most_common(1)[0][0]
    return {key: counts.most_common(1)[0][0] for key, counts in votes.items()}, overall


@pytest.fixture(scope="module")
def walked(django_db_setup, django_db_blocker):
    from django.test import Client

    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            campaign = make_campaign(
                "good-okay-bad",
                overrides={"sample_size": N_HITS * 4, "max_hits_per_worker": 1},
                per_subset=N_HITS * 2,
            )
            client = Client()
            hits = list(campaign.hits.order_by("index")[:N_HITS])
            assert len(hits) == N_HITS
            seen = [s for i, hit in enumerate(hits) for s in _walk_hit(client, campaign, hit, i)]
            transaction.set_rollback(True)
    return seen


@pytest.mark.parametrize("feature", ["page", "check", "state", "all"])
def test_no_page_feature_tells_a_gold_dialogue_from_the_others(walked, feature):
    def key(s: Seen) -> str:
        return "|".join((s.page, s.check, s.state)) if feature == "all" else getattr(s, feature)

    train = [(key(s), s.has_gold) for s in walked if s.hit % 2 == 0]
    test = [(key(s), s.has_gold) for s in walked if s.hit % 2 == 1]
    table, overall = _learn(train)
    hits = sum(table.get(k, overall) == truth for k, truth in test)
    baseline = max(Counter(t for _, t in test).values()) / len(test)
    accuracy = hits / len(test)
    assert accuracy <= baseline + _margin(baseline, len(test)), (
        f"{feature}: {accuracy:.2f} vs chance {baseline:.2f} over {len(test)} dialogues"
    )


def test_no_card_feature_tells_the_gold_response(walked):
    gold_dialogues = [s for s in walked if s.has_gold]
    train = [s for s in gold_dialogues if s.hit % 2 == 0]
    test = [s for s in gold_dialogues if s.hit % 2 == 1]
    rate: dict[str, Counter] = defaultdict(Counter)
    for s in train:
        for position, card in enumerate(s.cards):
            rate[f"{position}:{card}"][position == s.gold_card] += 1

    def guess(s: Seen) -> int:
        def score(position: int) -> float:
            counts = rate[f"{position}:{s.cards[position]}"]
            return counts[True] / (sum(counts.values()) or 1)

        return max(range(len(s.cards)), key=score)

    hits = sum(guess(s) == s.gold_card for s in test)
    chance = 1 / len(test[0].cards)
    accuracy = hits / len(test)
    assert accuracy <= chance + _margin(chance, len(test)), (
        f"{accuracy:.2f} vs chance {chance:.2f} over {len(test)} gold dialogues"
    )


def test_every_dialogue_of_a_hit_shows_as_many_responses(walked):
    by_hit: dict[int, set[int]] = defaultdict(set)
    for s in walked:
        by_hit[s.hit].add(len(s.cards))
    assert all(len(counts) == 1 for counts in by_hit.values()), dict(by_hit)
