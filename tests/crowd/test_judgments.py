"""Answers are validated on the server: refused with a clear message and nothing stored,
or upserted on their unique key."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from evalplatform.crowd.errors import AssignmentClosed, InvalidAnswer
from evalplatform.crowd.models import Assignment, AssignmentStatus, Judgment
from evalplatform.crowd.services import assignment_lease, judgment_save
from tests.factories import WorkerFactory, show_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def likert_lease(likert_campaign, worker):
    lease = assignment_lease(campaign=likert_campaign, worker=worker)
    show_all(lease)
    return lease


def test_likert_answer_is_stored_as_a_score_and_copies_simulated(likert_campaign):
    lease = assignment_lease(campaign=likert_campaign, worker=WorkerFactory(simulated=True))
    show_all(lease)
    judgment = judgment_save(
        assignment=lease, item_position=0, candidate_position=1, criterion="fluency", value="4"
    )
    assert (judgment.score, judgment.label, judgment.simulated) == (4, "", True)
    assert judgment.item_candidate.position == 1 and judgment.item.position == 0
    binary = judgment_save(
        assignment=lease,
        item_position=0,
        candidate_position=1,
        criterion="emotion_accuracy",
        value="0",
    )
    assert binary.score == 0


def test_resubmitting_is_idempotent_and_changing_replaces(likert_lease):
    args = {
        "assignment": likert_lease,
        "item_position": 0,
        "candidate_position": 0,
        "criterion": "fluency",
    }
    first = judgment_save(**args, value="3")
    again = judgment_save(**args, value="3")
    changed = judgment_save(**args, value="5")
    assert first.pk == again.pk == changed.pk
    assert Judgment.objects.get().score == 5


def test_ggb_and_ab_answers_are_labels(ggb_campaign, ab_campaign, worker):
    ggb = assignment_lease(campaign=ggb_campaign, worker=worker)
    show_all(ggb)
    sorted_ = judgment_save(
        assignment=ggb,
        item_position=0,
        candidate_position=0,
        criterion="appropriateness",
        value="okay",
    )
    assert (sorted_.label, sorted_.score) == ("okay", None)
    ab = assignment_lease(campaign=ab_campaign, worker=worker)
    show_all(ab)
    choice = judgment_save(assignment=ab, item_position=0, criterion="overall", value="tie")
    assert choice.label == "tie" and choice.item_candidate is None


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"value": "6"}, InvalidAnswer, "'6' is not an answer to 'fluency'"),
        ({"value": "0"}, InvalidAnswer, "choose one of 1, 2, 3, 4, 5"),
        ({"value": "good"}, InvalidAnswer, "is not an answer"),
        ({"item_position": 99}, InvalidAnswer, "Dialogue 100 is not part of this HIT"),
        ({"candidate_position": 9}, InvalidAnswer, "Response 10 is not part of dialogue 1"),
        ({"candidate_position": None}, InvalidAnswer, "Say which response"),
        ({"criterion": "overall"}, InvalidAnswer, "no question named 'overall'"),
    ],
)
def test_answers_that_do_not_fit_are_refused_and_nothing_is_stored(
    likert_lease, kwargs, error, message
):
    args = {
        "assignment": likert_lease,
        "item_position": 0,
        "candidate_position": 0,
        "criterion": "fluency",
        "value": "3",
        **kwargs,
    }
    with pytest.raises(error, match=message):
        judgment_save(**args)
    assert not Judgment.objects.exists()


def test_items_resolve_in_the_assignments_own_hit_only(likert_campaign, likert_lease):
    """The API names items by position in the assignment's own HIT, so another worker's
    item cannot even be named; positions past the HIT's end are refused."""
    second = likert_campaign.hits.exclude(pk=likert_lease.hit_id).first()
    other = assignment_lease(campaign=likert_campaign, worker=WorkerFactory(), hit=second)
    show_all(other)
    size = likert_lease.hit.items.count()
    with pytest.raises(InvalidAnswer, match="not part of this HIT"):
        judgment_save(
            assignment=likert_lease,
            item_position=size,
            candidate_position=0,
            criterion="fluency",
            value="3",
        )
    judgment_save(
        assignment=other, item_position=0, candidate_position=0, criterion="fluency", value="3"
    )
    stored = Judgment.objects.get()
    assert stored.item.hit_id == second.pk and stored.assignment_id == other.pk


def test_ab_answer_about_one_response_is_refused(ab_campaign, worker):
    lease = assignment_lease(campaign=ab_campaign, worker=worker)
    show_all(lease)
    with pytest.raises(InvalidAnswer, match="two responses together"):
        judgment_save(
            assignment=lease, item_position=0, candidate_position=0, criterion="overall", value="a"
        )
    with pytest.raises(InvalidAnswer, match="both_bad"):
        # both_bad is offered only when the campaign allows it
        judgment_save(assignment=lease, item_position=0, criterion="overall", value="both_bad")
    assert not Judgment.objects.exists()


def test_expired_or_submitted_assignments_take_no_answers(likert_campaign, likert_lease):
    args = {"item_position": 0, "candidate_position": 0, "criterion": "fluency", "value": "3"}
    late = timezone.now() + timedelta(days=1)
    with pytest.raises(AssignmentClosed, match="ran out"):
        judgment_save(assignment=likert_lease, now=late, **args)
    Assignment.objects.filter(pk=likert_lease.pk).update(status=AssignmentStatus.SUBMITTED)
    with pytest.raises(AssignmentClosed, match="already submitted"):
        judgment_save(assignment=likert_lease, **args)
    Assignment.objects.filter(pk=likert_lease.pk).update(status=AssignmentStatus.EXPIRED)
    with pytest.raises(AssignmentClosed, match="no longer yours"):
        judgment_save(assignment=likert_lease, **args)
    assert not Judgment.objects.exists()


def test_both_bad_is_offered_and_accepted_when_the_campaign_allows_it(client, worker):
    from evalplatform.crowd.tokens import assignment_url
    from tests.factories import make_campaign

    campaign = make_campaign("ab-wlt", overrides={"ab_allow_both_bad": True})
    lease = assignment_lease(campaign=campaign, worker=worker)
    show_all(lease)
    page = client.get(assignment_url(lease, "item", position=0)).content.decode()
    assert 'value="both_bad"' in page and "Both bad" in page
    judgment = judgment_save(
        assignment=lease, item_position=0, criterion="overall", value="both_bad"
    )
    assert judgment.label == "both_bad"
