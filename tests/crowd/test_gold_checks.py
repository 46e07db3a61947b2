"""Gold checks that pay for attention, not for probing: the oracle
attack of the issue, the freeze after a check, the bound and the record of presses, the
stricter rule, and answers that follow the page order."""

from __future__ import annotations

import json

import pytest

from evalplatform.crowd.models import BonusCheckRecord, ItemCandidate, Judgment
from evalplatform.crowd.services import assignment_lease, assignment_submit
from evalplatform.crowd.services.bonus_checks import PRESSES_PER_ITEM
from evalplatform.crowd.tokens import assignment_url
from tests.factories import WorkerFactory, answer_all, make_campaign, worker_post

pytestmark = pytest.mark.django_db
CRITERION = "appropriateness"


def post(client, url, body):
    return worker_post(client, url, body)


def sort(client, lease, position, good_handle):
    """Every card of the dialogue in Bad but one in Good, through the JSON API."""
    shown = ItemCandidate.objects.filter(item__hit=lease.hit, item__position=position)
    answers = [
        {
            "item": position,
            "candidate": ic.position,
            "criterion": CRITERION,
            "value": "good" if ic.position == good_handle else "bad",
        }
        for ic in shown
    ]
    return post(client, assignment_url(lease, "api-answer"), {"answers": answers}).json()


@pytest.fixture
def lease(client, ggb_campaign):
    lease = assignment_lease(campaign=ggb_campaign, worker=WorkerFactory())
    for position in range(lease.hit.items.count()):
        client.get(assignment_url(lease, "item", position=position))
    # Pages open in order only once the ones before are answered; mark them all shown.
    lease.refresh_from_db()
    return lease


def _show_all(client, lease):
    for position in range(lease.hit.items.count()):
        if position:
            sort(client, lease, position - 1, 0)
        assert client.get(assignment_url(lease, "item", position=position)).status_code == 200


def test_the_oracle_attack_learns_nothing(client, ggb_campaign):
    """The issue's attack: sort all in Bad, one in Good, press Bonus Validate, move the Good
    card and press again, until the point appears. A check answers once and alike whatever
    was placed where, and freezes the dialogue, so the attacker gets one uninformative
    answer per dialogue."""
    lease = assignment_lease(campaign=ggb_campaign, worker=WorkerFactory())
    client.get(assignment_url(lease, "item", position=0))
    gold = ItemCandidate.objects.get(item__hit=lease.hit, is_gold=True)
    position = gold.item.position
    _show_all(client, lease)
    n_cards = gold.item.candidates.count()
    answers = []
    for handle in range(n_cards):
        stored = sort(client, lease, position, handle)
        check = post(client, assignment_url(lease, "api-bonus"), {"item": position})
        answers.append((stored["ok"], check.status_code, check.json()))
    first = answers[0]
    assert first[0] is True and first[2]["checked"] is True and first[2]["locked"] is True
    assert set(first[2]) == {"ok", "checked", "locked", "message"}  # no pass or fail
    # Later moves are refused and later checks say only that it was checked already.
    assert all(stored is False for stored, _, _ in answers[1:])
    assert {json.dumps(check) for _, _, check in answers[1:]} == {json.dumps(answers[1][2])}
    assert answers[1][2]["checked"] is False and answers[1][2]["locked"] is True
    placed = Judgment.objects.filter(assignment=lease, item__position=position, label="good")
    assert list(placed.values_list("item_candidate__position", flat=True)) == [0]


def test_a_check_answers_the_same_on_gold_and_filler_dialogues(client, lease):
    _show_all(client, lease)
    sort(client, lease, lease.hit.items.count() - 1, 0)
    answers = {
        json.dumps(post(client, assignment_url(lease, "api-bonus"), {"item": p}).json())
        for p in range(lease.hit.items.count())
    }
    assert len(answers) == 1 and '"checked": true' in answers.pop()


def test_a_check_before_every_card_is_sorted_locks_nothing_and_is_recorded(client, lease):
    early = post(client, assignment_url(lease, "api-bonus"), {"item": 0}).json()
    assert early["checked"] is False and early["locked"] is False
    assert sort(client, lease, 0, 1)["ok"] is True  # still free to answer
    record = BonusCheckRecord.objects.get(assignment=lease)
    assert record.outcome == "unfinished" and record.answers == {}
    post(client, assignment_url(lease, "api-bonus"), {"item": 0})
    checked = BonusCheckRecord.objects.filter(assignment=lease).last()
    assert checked.outcome == "checked"
    assert checked.answers["1"] == {CRITERION: "good"} and checked.answers["0"] == {
        CRITERION: "bad"
    }


def test_presses_per_hit_are_bounded(client, lease):
    bound = PRESSES_PER_ITEM * lease.hit.items.count()
    for _ in range(bound):
        assert post(client, assignment_url(lease, "api-bonus"), {"item": 0}).status_code == 200
    refused = post(client, assignment_url(lease, "api-bonus"), {"item": 0})
    assert refused.status_code == 429 and refused.json()["ok"] is False
    assert BonusCheckRecord.objects.filter(assignment=lease).count() == bound


def test_a_checked_dialogue_page_is_locked(client, lease):
    sort(client, lease, 0, 0)
    post(client, assignment_url(lease, "api-bonus"), {"item": 0})
    page = client.get(assignment_url(lease, "item", position=0)).content.decode()
    assert '"locked": true' in page


def test_seed_002_rule_pays_for_all_in_good_the_strict_rule_does_not(worker):
    loose = make_campaign("good-okay-bad")
    lease = assignment_lease(campaign=loose, worker=WorkerFactory())
    answer_all(lease, label_for=lambda ic: "good")
    assert assignment_submit(assignment=lease).bonus_points == 1

    strict = make_campaign("good-okay-bad", overrides={"gold_rule": "ranked_top"})
    uniform = assignment_lease(campaign=strict, worker=WorkerFactory())
    answer_all(uniform, label_for=lambda ic: "good")
    assert assignment_submit(assignment=uniform).bonus_points == 0
    ranked = assignment_lease(campaign=strict, worker=WorkerFactory())
    answer_all(ranked, label_for=lambda ic: "good" if ic.is_gold else "okay")
    assert assignment_submit(assignment=ranked).bonus_points == 1
    beaten = assignment_lease(campaign=strict, worker=WorkerFactory())
    # Gold in Okay, its dialogue's other responses in Good: placed, but not on top.
    answer_all(beaten, label_for=lambda ic: "okay" if ic.is_gold else "good")
    assert assignment_submit(assignment=beaten).bonus_points == 0


def test_an_answer_to_a_dialogue_not_shown_yet_is_refused(client, ggb_campaign):
    lease = assignment_lease(campaign=ggb_campaign, worker=WorkerFactory())
    url = assignment_url(lease, "api-answer")
    body = {"item": 0, "candidate": 0, "criterion": CRITERION, "value": "bad"}
    refused = post(client, url, body)
    assert refused.status_code == 400 and "not been shown" in refused.json()["error"]
    client.get(assignment_url(lease, "item", position=0))
    assert post(client, url, body).status_code == 200
    ahead = post(client, url, {**body, "item": 1})
    assert ahead.status_code == 400 and "not been shown" in ahead.json()["error"]
    assert not Judgment.objects.filter(assignment=lease, item__position=1).exists()


def test_filler_answers_are_never_analysed(worker):
    from evalplatform.reports.selectors import campaign_judgments_frame

    campaign = make_campaign("good-okay-bad")
    lease = assignment_lease(campaign=campaign, worker=WorkerFactory())
    answer_all(lease, label_for=lambda ic: "good" if ic.is_filler else "bad")
    assignment_submit(assignment=lease)
    stored = Judgment.objects.filter(assignment=lease)
    fillers = stored.filter(item_candidate__is_filler=True).count()
    assert fillers == lease.hit.items.filter(has_gold=False).count() > 0
    frame = campaign_judgments_frame(campaign)
    assert len(frame) == stored.count() - fillers
    assert set(frame["label"]) == {"bad"} and frame["system"].notna().all()


def test_the_campaign_report_shows_who_pressed_the_check_before_sorting_or_twice(client, lease):
    from evalplatform.analysis.quality import probing_by_worker
    from evalplatform.reports.selectors import campaign_bonus_checks_frame

    for _ in range(3):
        post(client, assignment_url(lease, "api-bonus"), {"item": 0})
    sort(client, lease, 0, 0)
    post(client, assignment_url(lease, "api-bonus"), {"item": 0})
    post(client, assignment_url(lease, "api-bonus"), {"item": 0})
    # What campaign_report puts in its meta["bonus_checks"].
    (row,) = probing_by_worker(campaign_bonus_checks_frame(lease.hit.campaign))
    assert row == {
        "worker": f"w{lease.worker_id}",
        "presses": 5,
        "checked": 1,
        "refused": 4,
        "assignments": 1,
    }


def test_an_answer_racing_the_check_cannot_land_after_it(client, lease):
    """The request loaded the assignment before the check committed: the upsert's own WHERE
    still refuses the frozen dialogue."""
    from evalplatform.crowd.errors import InvalidAnswer
    from evalplatform.crowd.models import Assignment
    from evalplatform.crowd.services.judgments import AnswerIn, judgments_save

    sort(client, lease, 0, 0)
    stale = Assignment.objects.select_related("hit__campaign", "worker").get(pk=lease.pk)
    post(client, assignment_url(lease, "api-bonus"), {"item": 0})
    with pytest.raises(InvalidAnswer, match="locked"):
        judgments_save(assignment=stale, answers=[AnswerIn(0, CRITERION, "good", 1)])
    assert Judgment.objects.get(assignment=lease, item__position=0, label="good")
    assert Judgment.objects.filter(assignment=lease, item__position=0, label="good").count() == 1
