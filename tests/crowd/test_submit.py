"""Submitting: completeness, bonus points, completion codes, idempotency, status moves."""

from __future__ import annotations

import pytest

from evalplatform.campaigns.models import CampaignStatus
from evalplatform.crowd.completion import completion_code_make, completion_code_verify
from evalplatform.crowd.errors import InvalidAnswer
from evalplatform.crowd.models import HitStatus
from evalplatform.crowd.services import assignment_lease, assignment_submit, judgment_save
from tests.factories import WorkerFactory, answer_all, show_all

pytestmark = pytest.mark.django_db


def test_incomplete_assignments_are_refused_naming_the_dialogues(likert_campaign, worker):
    lease = assignment_lease(campaign=likert_campaign, worker=worker)
    show_all(lease)
    judgment_save(
        assignment=lease, item_position=0, candidate_position=0, criterion="fluency", value="3"
    )
    with pytest.raises(InvalidAnswer, match=r"not finished: dialogue 1, 2, 3"):
        assignment_submit(assignment=lease)
    lease.refresh_from_db()
    assert lease.status == "leased" and not lease.completion_code


def test_submit_counts_bonus_points_sets_a_verifiable_code_and_is_idempotent(ggb_campaign):
    lease = assignment_lease(campaign=ggb_campaign, worker=WorkerFactory())
    show_all(lease)
    answer_all(lease, label_for=lambda ic: "okay" if ic.is_gold else "bad")
    result = assignment_submit(assignment=lease)
    assert (result.bonus_points, result.bonus_checks, result.bonus_earned) == (1, 1, True)
    assert result.status == "submitted"
    lease.refresh_from_db()
    assert lease.completion_code == result.completion_code == completion_code_make(lease)
    assert completion_code_verify(lease, result.completion_code.lower().replace("-", " "))
    assert not completion_code_verify(lease, "AAAA-BBBB-CCCC-DDDD")
    assert assignment_submit(assignment=lease) == result
    ggb_campaign.refresh_from_db()
    assert ggb_campaign.status == CampaignStatus.COLLECTING


def test_gold_in_bad_earns_no_point(ggb_campaign, worker):
    lease = assignment_lease(campaign=ggb_campaign, worker=worker)
    show_all(lease)
    answer_all(lease, label_for=lambda ic: "bad" if ic.is_gold else "good")
    assert assignment_submit(assignment=lease).bonus_points == 0


def test_hit_completes_when_all_its_slots_are_submitted(ab_campaign):
    hit = ab_campaign.hits.first()
    for index in range(ab_campaign.assignments_per_hit):
        lease = assignment_lease(
            campaign=ab_campaign,
            worker=WorkerFactory(),
            hit=hit,
            provider_assignment_id=f"X{index}",
        )
        answer_all(lease)
        assignment_submit(assignment=lease)
    hit.refresh_from_db()
    assert hit.status == HitStatus.COMPLETE


def test_likert_gold_point_needs_the_middle_of_every_scale():
    from tests.factories import make_campaign

    campaign = make_campaign("likert-fce", overrides={"gold_per_hit": 1})
    lease = assignment_lease(campaign=campaign, worker=WorkerFactory())
    show_all(lease)
    answer_all(lease, score="3")
    assert assignment_submit(assignment=lease).bonus_points == 1
    other = assignment_lease(campaign=campaign, worker=WorkerFactory())
    show_all(other)
    answer_all(other, score="2")
    assert assignment_submit(assignment=other).bonus_points == 0
