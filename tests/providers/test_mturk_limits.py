"""Per-worker HIT limits through the custom qualification, and blocking."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from evalplatform.crowd.models import Assignment, AssignmentStatus, Worker
from evalplatform.crowd.services import worker_block
from evalplatform.providers import services, tasks
from evalplatform.providers.models import QualificationGrant
from evalplatform.providers.registry import campaign_provider
from tests.providers.conftest import make_hits_campaign
from tests.providers.fakes.mturk_server import FakeError, FakeMTurk

pytestmark = pytest.mark.django_db


def published_campaign(**fields: Any) -> Any:
    campaign = make_hits_campaign(hits=3, max_hits_per_worker=2, **fields)
    services.campaign_provider_publish(campaign=campaign)
    campaign.refresh_from_db()
    return campaign


def work(campaign: Any, worker: Worker, hits: int) -> None:
    for hit in campaign.hits.order_by("index")[:hits]:
        Assignment.objects.create(
            hit=hit,
            worker=worker,
            status=AssignmentStatus.SUBMITTED,
            lease_expires_at=timezone.now() + timedelta(hours=1),
            provider_assignment_id=f"A{worker.pk}X{hit.index}",
        )


def test_workers_at_the_limit_get_the_qualification_once(fake_mturk: FakeMTurk) -> None:
    campaign = published_campaign()
    busy = Worker.objects.create(provider="mturk", external_id="ABUSYWORKER")
    light = Worker.objects.create(provider="mturk", external_id="ALIGHTWORKER")
    work(campaign, busy, 2)
    work(campaign, light, 1)
    assert services.campaign_worker_limits_enforce(campaign=campaign) == 1
    assert services.campaign_worker_limits_enforce(campaign=campaign) == 0
    assert fake_mturk.calls["AssociateQualificationWithWorker"] == 1
    grant = QualificationGrant.objects.get()
    assert grant.worker == busy and grant.environment == "sandbox"
    third = campaign.hits.get(index=2).provider_hit_id
    with pytest.raises(FakeError):
        fake_mturk.accept(third, "ABUSYWORKER")  # DoesNotExist requirement keeps them out
    fake_mturk.accept(third, "ALIGHTWORKER")


def test_blocking_refuses_leases_and_qualifies_out_on_mturk(fake_mturk: FakeMTurk) -> None:
    campaign = published_campaign()
    worker = Worker.objects.create(provider="mturk", external_id="ASPAMMER")
    worker_block(worker=worker, reason="Random answers.")
    campaign_provider(campaign).block_worker(worker, reason="Random answers.")
    worker.refresh_from_db()
    assert worker.blocked
    blocked = [q for q in fake_mturk.qual_types.values() if q["Name"] == "evalplatform-blocked"]
    assert (blocked[0]["QualificationTypeId"], "ASPAMMER") in fake_mturk.scores


def test_beat_tasks_enqueue_live_remote_campaigns(
    fake_mturk: FakeMTurk, monkeypatch: pytest.MonkeyPatch
) -> None:
    live = published_campaign()
    make_hits_campaign(name="draft-one", hits=1)  # ready, not published
    make_hits_campaign(name="local-one", hits=1, provider="local", status="published")
    queued: list[tuple[str, int]] = []
    monkeypatch.setattr(tasks.reconcile_campaign, "delay", lambda pk: queued.append(("r", pk)))
    monkeypatch.setattr(
        tasks.enforce_campaign_worker_limits, "delay", lambda pk: queued.append(("l", pk))
    )
    assert tasks.reconcile_all() == 1 and tasks.enforce_worker_limits() == 1
    assert queued == [("r", live.pk), ("l", live.pk)]
    assert tasks.reconcile_campaign(live.pk)["hits"] == 3  # the task body runs the service


def test_expire_stops_the_hits_here_and_on_mturk(fake_mturk: FakeMTurk) -> None:
    from evalplatform.crowd.models import HitStatus

    campaign = published_campaign()
    services.campaign_provider_expire(campaign=campaign)
    services.campaign_provider_expire(campaign=campaign)  # again: no further calls
    assert fake_mturk.calls["UpdateExpirationForHIT"] == 3
    assert {h["HITStatus"] for h in fake_mturk.hits.values()} == {"Reviewable"}
    assert set(campaign.hits.values_list("status", flat=True)) == {HitStatus.EXPIRED}
