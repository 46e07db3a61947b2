"""The good-okay-bad preset published to the fake MTurk of the providers' tests: generation
through Celery, HITs created on MTurk, workers accepting there and working on our pages,
externalSubmit, reconcile, approval, bonuses once, and the report."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client

from evalplatform.campaigns.models import Campaign
from evalplatform.campaigns.services import campaign_create_from_preset
from evalplatform.campaigns.tasks import campaign_start_generation
from evalplatform.crowd.models import AssignmentStatus, Judgment
from evalplatform.providers import services
from evalplatform.providers.ledger import Actor
from tests.conftest import wait_until
from tests.e2e.conftest import SYSTEMS
from tests.providers.conftest import _offline_aws, fake_mturk  # noqa: F401 (fixtures)
from tests.providers.test_mturk_roundtrip import accept_and_work

# Who decides on money in these tests (recorded on the ledger rows).
BY = Actor(label="test researcher")
pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]
WORKERS = ("AWORKERONE", "AWORKERTWO", "AWORKERTHREE", "AWORKERFOUR")


def test_good_okay_bad_on_fake_mturk_end_to_end(
    demo_dataset,
    adapter_systems,
    celery_worker_thread,
    fake_mturk,  # noqa: F811
):
    campaign = campaign_create_from_preset(
        preset_key="good-okay-bad",
        name="e2e mturk",
        dataset=demo_dataset,
        systems=adapter_systems,
        overrides={"sample_size": 30, "provider": "mturk"},
    )
    campaign_start_generation(campaign=campaign)
    wait_until(lambda: Campaign.objects.get(pk=campaign.pk).status == "ready", what="generation")
    campaign.refresh_from_db()
    published = services.campaign_provider_publish(campaign=campaign)
    assert published["created"] == 3 and len(fake_mturk.hits) == 3
    client = Client()
    done = [
        accept_and_work(client, fake_mturk, campaign.pk, hit_id, worker)
        for hit_id in fake_mturk.hits
        for worker in WORKERS
    ]
    assert Judgment.objects.filter(assignment__in=done).count() == sum(
        a.hit.items.values("candidates").count() for a in done
    )
    for _ in range(2):  # pressing the buttons twice moves money once
        services.campaign_provider_reconcile(campaign=campaign, actor=BY)
        services.campaign_submitted_approve(campaign=campaign, actor=BY)
        services.campaign_bonuses_pay(campaign=campaign, actor=BY)
    assert fake_mturk.calls["ApproveAssignment"] == len(done) == 12
    # Every worker labelled everything "good": all gold checks passed, one bonus each.
    assert fake_mturk.paid_total() == Decimal("0.10") * 12
    for assignment in done:
        assignment.refresh_from_db()
    assert {a.status for a in done} == {AssignmentStatus.APPROVED}
    assert set(SYSTEMS) == set(campaign.systems.values_list("name", flat=True))
    report = io.StringIO()
    call_command("report", campaign.name, fmt="json", stdout=report)
    # Answering "good" to everything is straight-lining: the report keeps the money side
    # apart from the quality side and excludes all four workers, saying why.
    quality = json.loads(report.getvalue())["quality"]
    assert quality["before"]["workers"] == 4 and quality["after"]["workers"] == 0
    assert all("straight-lining" in why for why in quality["excluded_workers"].values())


def test_forged_submissions_on_mturk_never_reach_the_report(fake_mturk):  # noqa: F811
    from tests.factories import make_campaign
    from tests.providers.test_mturk_roundtrip import SANDBOX, task_url
    from tests.providers.worker import do_task, open_entry

    campaign = make_campaign("good-okay-bad", status="ready", overrides={"provider": "mturk"})
    services.campaign_provider_publish(campaign=campaign)
    hit_id = next(iter(fake_mturk.hits))
    forger = Client()
    token = open_entry(
        forger,
        task_url(
            campaign.pk,
            assignmentId="FAKE1",
            hitId=hit_id,
            workerId="AFAKEWORKER",
            turkSubmitTo=SANDBOX + "/",
        ),
    )
    do_task(forger, token, label="bad")
    services.campaign_provider_reconcile(campaign=campaign, actor=BY)
    services.campaign_submitted_approve(campaign=campaign, actor=BY)
    from evalplatform.reports.selectors import campaign_judgments_frame

    assert campaign_judgments_frame(campaign).empty  # unverifiable on MTurk: not approved
