"""Handing out slots: limits, expiry, resume, and concurrency."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from evalplatform.campaigns.models import CampaignStatus
from evalplatform.crowd.errors import LeaseRefused
from evalplatform.crowd.models import Assignment, AssignmentStatus, Hit
from evalplatform.crowd.services import (
    assignment_expire_leases,
    assignment_lease,
    assignment_return,
    lease_duration,
    worker_block,
)
from evalplatform.crowd.tasks import expire_leases
from tests.factories import WorkerFactory, make_campaign

pytestmark = pytest.mark.django_db


def test_lease_gives_a_slot_with_an_expiry_and_copies_simulated(ab_campaign):
    worker = WorkerFactory(simulated=True)
    assignment = assignment_lease(campaign=ab_campaign, worker=worker)
    assert assignment.status == AssignmentStatus.LEASED
    assert assignment.hit.campaign == ab_campaign and assignment.simulated
    expected = timezone.now() + lease_duration(ab_campaign)
    assert abs((assignment.lease_expires_at - expected).total_seconds()) < 5


def test_leasing_again_resumes_the_same_assignment(ab_campaign, worker):
    first = assignment_lease(campaign=ab_campaign, worker=worker)
    assert assignment_lease(campaign=ab_campaign, worker=worker) == first
    assert Assignment.objects.count() == 1


def test_slots_per_hit_are_never_exceeded(ab_campaign):
    slots = ab_campaign.assignments_per_hit * ab_campaign.hits.count()
    leases = [assignment_lease(campaign=ab_campaign, worker=WorkerFactory()) for _ in range(slots)]
    assert Counter(a.hit_id for a in leases) == {
        hit.pk: ab_campaign.assignments_per_hit for hit in ab_campaign.hits.all()
    }
    with pytest.raises(LeaseRefused, match="no work left"):
        assignment_lease(campaign=ab_campaign, worker=WorkerFactory())
    assert Assignment.objects.count() == slots


def test_second_assignment_on_the_same_hit_is_refused(ab_campaign, worker):
    hit = ab_campaign.hits.first()
    done = assignment_lease(
        campaign=ab_campaign, worker=worker, hit=hit, provider_assignment_id="A1"
    )
    Assignment.objects.filter(pk=done.pk).update(status=AssignmentStatus.SUBMITTED)
    with pytest.raises(LeaseRefused, match="already done this HIT"):
        assignment_lease(campaign=ab_campaign, worker=worker, hit=hit, provider_assignment_id="A2")
    assert Assignment.objects.filter(hit=hit, worker=worker).count() == 1
    # Link-based crowds are never handed a HIT they did.
    other = assignment_lease(campaign=ab_campaign, worker=worker)
    assert other.hit != hit


def test_one_hit_past_the_worker_limit_is_refused():
    campaign = make_campaign("ab-wlt", overrides={"max_hits_per_worker": 2})
    worker = WorkerFactory()
    for _ in range(2):
        lease = assignment_lease(campaign=campaign, worker=worker)
        Assignment.objects.filter(pk=lease.pk).update(status=AssignmentStatus.SUBMITTED)
    with pytest.raises(LeaseRefused, match="limit of 2 HITs per worker"):
        assignment_lease(campaign=campaign, worker=worker)
    assert Assignment.objects.filter(worker=worker).count() == 2


def test_blocked_workers_and_closed_campaigns_are_refused(ab_campaign, worker):
    worker_block(worker=worker, reason="copied answers")
    with pytest.raises(LeaseRefused, match="copied answers"):
        assignment_lease(campaign=ab_campaign, worker=worker)
    draft = make_campaign("ab-wlt", status=CampaignStatus.READY)
    with pytest.raises(LeaseRefused, match="not taking workers"):
        assignment_lease(campaign=draft, worker=WorkerFactory())
    assert not Assignment.objects.exists()


def test_expired_leases_return_their_slots_to_the_pool():
    campaign = make_campaign("ab-wlt", overrides={"assignments_per_hit": 1})
    past = timezone.now() - timedelta(days=1)
    first = [
        assignment_lease(campaign=campaign, worker=WorkerFactory(), now=past)
        for _ in range(campaign.hits.count())
    ]
    # Leases that ran out free their slots even before the periodic task runs...
    late = assignment_lease(campaign=campaign, worker=WorkerFactory())
    assert late.hit_id == first[0].hit_id
    # ...and the task marks the rest expired, once.
    assert expire_leases() == len(first) - 1
    assert assignment_expire_leases() == 0
    statuses = Counter(Assignment.objects.values_list("status", flat=True))
    assert statuses == {AssignmentStatus.EXPIRED: len(first), AssignmentStatus.LEASED: 1}
    # The name the beat schedule in settings refers to.
    assert expire_leases.name == "evalplatform.crowd.tasks.expire_leases"


def test_a_worker_whose_lease_lapsed_gets_the_same_hit_back_if_free(ab_campaign, worker):
    past = timezone.now() - timedelta(days=1)
    lapsed = assignment_lease(campaign=ab_campaign, worker=worker, now=past)
    assignment_expire_leases()
    again = assignment_lease(campaign=ab_campaign, worker=worker)
    assert again.pk == lapsed.pk and again.status == AssignmentStatus.LEASED
    assert again.lease_expires_at > timezone.now()


def test_provider_assignment_ids_are_idempotent_and_not_shared(ab_campaign, worker):
    hit = ab_campaign.hits.first()
    context = {"submit": {"method": "post", "url": "https://example.org", "fields": {}}}
    first = assignment_lease(
        campaign=ab_campaign,
        worker=worker,
        hit=hit,
        provider_assignment_id="ASSIGN1",
        provider_context=context,
    )
    again = assignment_lease(
        campaign=ab_campaign,
        worker=worker,
        hit=hit,
        provider_assignment_id="ASSIGN1",
        provider_context=context,
    )
    assert again.pk == first.pk and again.provider_context == context
    with pytest.raises(LeaseRefused, match="another worker"):
        assignment_lease(
            campaign=ab_campaign, worker=WorkerFactory(), hit=hit, provider_assignment_id="ASSIGN1"
        )


def test_returned_hit_frees_its_slot(ab_campaign, worker):
    lease = assignment_lease(campaign=ab_campaign, worker=worker)
    assignment_return(assignment=lease)
    assignment_return(assignment=lease)
    lease.refresh_from_db()
    assert lease.status == AssignmentStatus.RETURNED


@pytest.mark.django_db(transaction=True)
def test_concurrent_leases_never_share_a_slot():
    campaign = make_campaign("ab-wlt", overrides={"assignments_per_hit": 2})
    capacity = campaign.hits.count() * 2
    workers = WorkerFactory.create_batch(capacity + 4)
    barrier = threading.Barrier(len(workers))
    leased: list[int] = []
    refused: list[str] = []

    def lease(worker):
        try:
            barrier.wait(timeout=10)
            leased.append(assignment_lease(campaign=campaign, worker=worker).hit_id)
        except LeaseRefused as error:
            refused.append(error.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=lease, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(leased) == capacity and len(refused) == 4
    assert Counter(leased) == {hit.pk: 2 for hit in Hit.objects.filter(campaign=campaign)}
    assert Assignment.objects.filter(hit__campaign=campaign).count() == capacity
