"""No per-system tells: for every protocol, a worker who reads each
response's card (its markup, its predicted label, its JSON state entry) with the response's
own text blanked must not tell which system wrote it better than chance.

The attacker learns, on half of the HITs, which system each card feature goes with, and
guesses on the other half. A predicted label is a per-response attribute: its value is the
system's own prediction, so it is reduced to "a label" (any value of the dataset's emotion
vocabulary) and what stands out is a card with no label, or a placeholder such as "none
given", which the likert-fce preset once showed for the system that predicts none.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict

import pytest

from evalplatform.campaigns.models import CampaignStatus, Candidate
from evalplatform.campaigns.services import campaign_draw_sample, campaign_transition
from evalplatform.crowd.models import ItemCandidate
from evalplatform.crowd.services import assignment_lease, campaign_publish_hits
from evalplatform.crowd.tokens import assignment_url
from tests.factories import EMOTIONS, SystemFactory, WorkerFactory, answer_all, make_campaign

pytestmark = pytest.mark.django_db

CARD = re.compile(r'<li class="card".*?</li>|<section class="response[^"]*".*?</section>', re.S)


def _blank(text: str, secrets: list[str]) -> str:
    for secret in sorted(set(secrets), key=len, reverse=True):
        text = text.replace(secret, "TEXT")
    for emotion in EMOTIONS:
        text = re.sub(rf"\b{emotion}\b", "LABEL", text)
    text = re.sub(r"/w/a/[^/\"']+/", "/w/a/TOKEN/", text)
    return re.sub(r"\d+", "0", text)


def _unlabelled_likert(policy: str = "exclude"):
    """likert-fce with one system that predicts no emotion, left out of that criterion
    (``exclude``) or labelled with another system's prediction (``borrow``)."""
    systems = SystemFactory.create_batch(3)
    campaign = make_campaign(
        "likert-fce",
        status=CampaignStatus.DRAFT,
        systems=systems,
        overrides={"sample_size": 24, "unlabelled_systems": policy},
        per_subset=24,
    )
    for index, dialogue_id in enumerate(campaign_draw_sample(campaign=campaign)):
        for rank, system in enumerate(systems):
            label = "" if rank == 0 else EMOTIONS[(index + rank) % len(EMOTIONS)]
            Candidate.objects.create(
                system=system, dialogue_id=dialogue_id, text=f"Reply {index}.", label=label
            )
    campaign_transition(campaign=campaign, to=CampaignStatus.GENERATING)
    campaign_transition(campaign=campaign, to=CampaignStatus.READY)
    campaign_publish_hits(campaign=campaign)
    return campaign


CAMPAIGNS = {
    "likert-unlabelled": _unlabelled_likert,
    "likert-borrowed-labels": lambda: _unlabelled_likert("borrow"),
    "good-okay-bad": lambda: make_campaign(
        "good-okay-bad", overrides={"sample_size": 24}, per_subset=12
    ),
    "ab-wlt": lambda: make_campaign("ab-wlt", overrides={"sample_size": 8}, per_subset=30),
}


def _cards(client, campaign) -> list[tuple[int, str, str]]:
    """(HIT index, card features, system) for every system response shown."""
    out = []
    for hit in campaign.hits.order_by("index"):
        lease = assignment_lease(campaign=campaign, worker=WorkerFactory(), hit=hit)
        state = client.get(assignment_url(lease, "api-state")).json()
        secrets = [t["text"] for i in state["items"] for t in i["turns"]]
        secrets += [r["text"] for i in state["items"] for r in i["responses"]]
        answer_all(lease)  # every page may be opened
        systems = {
            (ic.item.position, ic.position): ic.candidate.system.name if ic.candidate else None
            for ic in ItemCandidate.objects.filter(item__hit=hit).select_related(
                "item", "candidate__system"
            )
        }
        for item in state["items"]:
            html = client.get(assignment_url(lease, "item", position=item["position"]))
            cards = CARD.findall(html.content.decode())
            assert len(cards) == len(item["responses"]), "every response has one card"
            for response, card in zip(item["responses"], cards, strict=True):
                system = systems[(item["position"], response["handle"])]
                if system is None:
                    continue  # gold and filler: the gold attacker's business
                entry = json.dumps({k: v for k, v in response.items() if k != "handle"})
                features = _blank(card, secrets) + "|" + _blank(entry, secrets)
                out.append((hit.index, features, system))
    return out


@pytest.mark.parametrize("preset", sorted(CAMPAIGNS))
def test_no_card_feature_but_the_text_tells_the_system(client, preset):
    cards = _cards(client, CAMPAIGNS[preset]())
    train = [(f, s) for h, f, s in cards if h % 2 == 0]
    test = [(f, s) for h, f, s in cards if h % 2 == 1]
    votes: dict[str, Counter] = defaultdict(Counter)
    for features, system in train:
        votes[features][system] += 1
    overall = Counter(s for _, s in train).most_common(1)[0][0]
    hits = sum((votes[f].most_common(1)[0][0] if f in votes else overall) == s for f, s in test)
    chance = max(Counter(s for _, s in test).values()) / len(test)
    margin = 3 * math.sqrt(chance * (1 - chance) / len(test)) + 1 / len(test)
    assert hits / len(test) <= chance + margin, (
        f"{preset}: {hits / len(test):.2f} vs chance {chance:.2f} over {len(test)} cards"
    )


def test_answers_about_a_decoy_label_are_not_analysed(client):
    from evalplatform.crowd.services import assignment_submit
    from evalplatform.reports.selectors import campaign_judgments_frame

    campaign = _unlabelled_likert()
    lease = assignment_lease(campaign=campaign, worker=WorkerFactory())
    answer_all(lease)
    assignment_submit(assignment=lease)
    frame = campaign_judgments_frame(campaign)
    silent = Candidate.objects.filter(label="", dialogue__in=campaign.sample.values("dialogue"))
    silent_name = silent.first().system.name
    asked = frame[frame["criterion"] == "emotion_accuracy"]
    assert silent_name not in set(asked["system"]) and len(asked) > 0
    assert silent_name in set(frame[frame["criterion"] == "fluency"]["system"])


def test_borrowed_labels_are_the_first_labelled_systems_and_are_analysed(client):
    from evalplatform.crowd.services import assignment_submit
    from evalplatform.reports.selectors import campaign_judgments_frame

    campaign = _unlabelled_likert("borrow")
    first_labelled = campaign.systems.order_by("entries__position")[1]
    for shown in ItemCandidate.objects.filter(
        item__hit__campaign=campaign, candidate__label=""
    ).select_related("item"):
        lender = Candidate.objects.get(system=first_labelled, dialogue=shown.item.dialogue_id)
        assert shown.shown_label == lender.label and not shown.label_is_decoy
    lease = assignment_lease(campaign=campaign, worker=WorkerFactory())
    answer_all(lease)
    assignment_submit(assignment=lease)
    frame = campaign_judgments_frame(campaign)
    silent = campaign.systems.order_by("entries__position")[0].name
    assert silent in set(frame[frame["criterion"] == "emotion_accuracy"]["system"])
