"""The database itself refuses what would double-count: a second judgment for the same
assignment, candidate and criterion (or item and criterion for A/B), a second assignment
of one worker on one HIT, and a gold row that also names a system candidate."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from evalplatform.crowd.models import Assignment, ItemCandidate, Judgment
from tests.factories import WorkerFactory, make_campaign

pytestmark = pytest.mark.django_db


def lease(campaign) -> Assignment:
    return Assignment.objects.create(
        hit=campaign.hits.first(),
        worker=WorkerFactory(),
        lease_expires_at=timezone.now() + timedelta(hours=1),
    )


def test_duplicate_judgment_on_a_candidate_is_refused_by_the_database():
    campaign = make_campaign("good-okay-bad")
    assignment = lease(campaign)
    shown = ItemCandidate.objects.filter(item__hit=assignment.hit).first()
    criterion = campaign.criteria.get()
    Judgment.objects.create(
        assignment=assignment,
        item=shown.item,
        item_candidate=shown,
        criterion=criterion,
        label="good",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Judgment.objects.create(
            assignment=assignment,
            item=shown.item,
            item_candidate=shown,
            criterion=criterion,
            label="bad",
        )
    assert Judgment.objects.count() == 1


def test_duplicate_ab_judgment_on_an_item_is_refused_by_the_database():
    campaign = make_campaign("ab-wlt")
    assignment = lease(campaign)
    item = assignment.hit.items.first()
    criterion = campaign.criteria.get()
    Judgment.objects.create(assignment=assignment, item=item, criterion=criterion, label="a")
    with pytest.raises(IntegrityError), transaction.atomic():
        Judgment.objects.create(assignment=assignment, item=item, criterion=criterion, label="b")


def test_judgment_needs_exactly_one_of_score_and_label():
    campaign = make_campaign("likert-fce")
    assignment = lease(campaign)
    shown = ItemCandidate.objects.filter(item__hit=assignment.hit).first()
    criterion = campaign.criteria.first()
    for fields in ({"score": 3, "label": "good"}, {}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Judgment.objects.create(
                assignment=assignment,
                item=shown.item,
                item_candidate=shown,
                criterion=criterion,
                **fields,
            )


def test_second_assignment_of_a_worker_on_a_hit_is_refused_by_the_database():
    campaign = make_campaign("likert-fce")
    assignment = lease(campaign)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(
            hit=assignment.hit, worker=assignment.worker, lease_expires_at=timezone.now()
        )


def test_gold_candidate_cannot_name_a_system_candidate():
    campaign = make_campaign("good-okay-bad")
    shown = ItemCandidate.objects.filter(item__hit__campaign=campaign, is_gold=False).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        ItemCandidate.objects.filter(pk=shown.pk).update(is_gold=True)


def test_gold_response_is_not_singled_out_by_its_emotion_label(client):
    from evalplatform.campaigns.models import CampaignStatus, Candidate
    from evalplatform.campaigns.services import campaign_draw_sample, campaign_transition
    from evalplatform.crowd.services import assignment_lease, campaign_publish_hits
    from evalplatform.crowd.tokens import assignment_url
    from tests.factories import SystemFactory

    systems = [SystemFactory() for _ in range(3)]
    campaign = make_campaign(
        "likert-fce",
        status=CampaignStatus.DRAFT,
        systems=systems,
        overrides={"gold_per_hit": 1, "unlabelled_systems": "exclude"},
    )
    for dialogue_id in campaign_draw_sample(campaign=campaign):
        for system in systems:  # systems that predict no emotion
            Candidate.objects.create(system=system, dialogue_id=dialogue_id, text="A reply.")
    campaign_transition(campaign=campaign, to=CampaignStatus.GENERATING)
    campaign_transition(campaign=campaign, to=CampaignStatus.READY)
    campaign_publish_hits(campaign=campaign)
    lease = assignment_lease(campaign=campaign, worker=WorkerFactory())
    state = client.get(assignment_url(lease, "api-state")).json()
    assert {len(item["responses"]) for item in state["items"]} == {4}
    for item in state["items"]:
        labels = {response["label"] for response in item["responses"]}
        assert len(labels) == 1 and "" not in labels


def test_unlabelled_systems_are_explained_and_refused_unless_left_out(client):
    from evalplatform.campaigns.models import CampaignStatus, Candidate
    from evalplatform.campaigns.services import campaign_draw_sample
    from evalplatform.campaigns.validation import campaign_problems
    from tests.factories import SystemFactory

    labelled, silent = SystemFactory(), SystemFactory(name="silent")
    campaign = make_campaign("likert-fce", status=CampaignStatus.DRAFT, systems=[labelled, silent])
    for dialogue_id in campaign_draw_sample(campaign=campaign):
        Candidate.objects.create(system=labelled, dialogue_id=dialogue_id, text="A.", label="joy")
        Candidate.objects.create(system=silent, dialogue_id=dialogue_id, text="B.")
    (problem,) = [p for p in campaign_problems(campaign) if "predicted" in p]
    assert "'silent'" in problem and "leave those systems out" in problem.lower()
    for choice in ("exclude", "borrow"):
        campaign.unlabelled_systems = choice
        campaign.save()
        assert not [p for p in campaign_problems(campaign) if "predicted" in p]
    Candidate.objects.filter(system=labelled).update(label="")
    (nothing_to_borrow,) = [p for p in campaign_problems(campaign) if "predicts any" in p]
    assert "borrows" in nothing_to_borrow
