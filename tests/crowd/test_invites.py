"""The local provider: invites and participant codes, the provider interface, and the
campaign admin pages crowd adds."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from evalplatform.campaigns.models import CampaignStatus
from evalplatform.crowd.errors import CrowdError, LeaseRefused
from evalplatform.crowd.models import Assignment, AssignmentStatus, HitStatus, Invite, OwedBonus
from evalplatform.crowd.services import (
    assignment_lease,
    assignment_submit,
    invite_revoke,
    invite_start,
    invites_create,
)
from evalplatform.crowd.services.invites import display_code, invite_path
from evalplatform.providers.local import LocalProvider
from tests.factories import WorkerFactory, answer_all, make_campaign

pytestmark = pytest.mark.django_db


def test_invite_page_get_takes_nothing_and_post_starts_or_resumes(client, ggb_campaign):
    invite = invites_create(campaign=ggb_campaign, count=1)[0]
    page = client.get(invite_path(invite))
    assert page.status_code == 200 and b"Start" in page.content
    assert not Assignment.objects.exists()
    started = client.post(invite_path(invite))
    assert started.status_code == 302 and "/w/a/" in started.url
    again = client.post(invite_path(invite))
    assert Assignment.objects.count() == 1
    assert client.get(again.url).status_code == 302  # entry redirects to the page
    assert b"Continue your HIT" in client.get(invite_path(invite)).content
    invite.refresh_from_db()
    assert invite.worker.provider == "local" and invite.first_used_at


def test_participant_codes_are_typed_loosely_on_the_join_page(client, ggb_campaign):
    invite = invites_create(campaign=ggb_campaign, count=1, kind="code")[0]
    typed = display_code(invite).lower()  # "abcde-fghjk"
    response = client.post(reverse("crowd:join"), {"code": f"  {typed} "})
    assert response.status_code == 302 and response.url == invite_path(invite)
    wrong = client.post(reverse("crowd:join"), {"code": "NOPE"})
    assert wrong.status_code == 400 and b"not valid" in wrong.content


def test_invites_are_numbered_simulated_on_request_and_revocable(ggb_campaign):
    made = invites_create(campaign=ggb_campaign, count=3, label="pilot", simulated=True)
    assert [i.label for i in made] == ["pilot 1", "pilot 2", "pilot 3"]
    assert invite_start(invite=made[0]).simulated
    invite_revoke(invite=made[1])
    with pytest.raises(LeaseRefused, match="withdrawn"):
        invite_start(invite=Invite.objects.get(pk=made[1].pk))
    with pytest.raises(LeaseRefused, match="between 1 and 1000"):
        invites_create(campaign=ggb_campaign, count=0)


def test_invitee_goes_on_to_another_hit_up_to_the_limit(client):
    campaign = make_campaign("ab-wlt", overrides={"max_hits_per_worker": 2})
    invite = invites_create(campaign=campaign, count=1)[0]
    for _ in range(2):
        lease = invite_start(invite=invite)
        answer_all(lease)
        assignment_submit(assignment=lease)
    refused = client.post(invite_path(invite))
    assert refused.status_code == 409 and b"limit of 2 HITs" in refused.content
    assert Assignment.objects.count() == 2


def test_local_provider_publishes_and_records_review_once():
    provider = LocalProvider()
    campaign = make_campaign("good-okay-bad", status=CampaignStatus.READY)
    estimate = provider.estimate_cost(campaign)
    assert (estimate.hits, estimate.assignments, estimate.fees) == (3, 6, Decimal("0.00"))
    assert estimate.total == Decimal("0.40") * 6 + Decimal("0.10") * 6
    assert provider.publish(campaign) == 3 and provider.publish(campaign) == 0
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.PUBLISHED

    lease = assignment_lease(campaign=campaign, worker=WorkerFactory())
    answer_all(lease)
    result = assignment_submit(assignment=lease)
    [remote] = provider.fetch_submissions(campaign)
    assert (remote.status, remote.completion_code) == ("submitted", result.completion_code)

    provider.approve(lease)
    provider.approve(lease)
    provider.pay_bonus(lease, amount=Decimal("0.10"), reason="all checks passed")
    provider.pay_bonus(lease, amount=Decimal("0.10"), reason="all checks passed")
    lease.refresh_from_db()
    assert lease.status == AssignmentStatus.APPROVED and lease.reviewed_at
    assert OwedBonus.objects.get(assignment=lease).amount == Decimal("0.10")
    with pytest.raises(CrowdError, match="only a submitted assignment can be rejected"):
        provider.reject(lease, reason="changed my mind")


def test_local_provider_blocks_expires_and_reconciles(ggb_campaign):
    provider = LocalProvider()
    worker = WorkerFactory()
    provider.block_worker(worker, reason="spam")
    with pytest.raises(LeaseRefused):
        assignment_lease(campaign=ggb_campaign, worker=worker)
    assert provider.reconcile(ggb_campaign) == {"expired": 0}
    provider.expire(ggb_campaign)
    assert set(ggb_campaign.hits.values_list("status", flat=True)) == {HitStatus.EXPIRED}
    with pytest.raises(LeaseRefused, match="no work left"):
        assignment_lease(campaign=ggb_campaign, worker=WorkerFactory())


def test_admin_makes_invites_previews_hits_and_builds(admin_client):
    campaign = make_campaign("likert-fce", status=CampaignStatus.READY)
    url = reverse("admin:crowd_campaign_invites", args=[campaign.pk])
    assert admin_client.post(url, {"count": "2", "kind": "code", "label": "lab"}).status_code == 302
    listing = admin_client.get(url).content.decode()
    assert Invite.objects.filter(campaign=campaign, kind="code").count() == 2
    assert "lab 1" in listing and "lab 2" in listing and "/w/i/" in listing
    csv = admin_client.get(url + "?format=csv").content.decode()
    assert csv.splitlines()[0] == "label,kind,code,url,used,revoked,external_id"
    preview = reverse("admin:crowd_campaign_preview", args=[campaign.pk])
    assert admin_client.get(preview).status_code == 302  # no HITs yet
    change = reverse("admin:campaigns_campaign_changelist")
    admin_client.post(change, {"action": "build_hits", "_selected_action": [campaign.pk]})
    assert campaign.hits.count() == 2
    assert b"This is a preview" in admin_client.get(preview + "?hit=1&item=2").content
    page = admin_client.get(reverse("admin:campaigns_campaign_change", args=[campaign.pk]))
    assert b"Invite links and codes" in page.content and b"Preview a HIT" in page.content
