"""Issue 12, item 5: one person, one limit. Invites tied to the researcher's id for a
person (a student or panel id) share one worker, so a second invite or participant code
for the same person does not start a fresh HIT limit."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from evalplatform.crowd.errors import LeaseRefused
from evalplatform.crowd.models import Assignment, Invite, Worker
from evalplatform.crowd.services import assignment_submit, invite_start, invites_create
from evalplatform.crowd.services.invites import invite_path
from tests.factories import answer_all, make_campaign

pytestmark = pytest.mark.django_db


def finish(invite: Invite) -> None:
    lease = invite_start(invite=invite)
    answer_all(lease)
    assignment_submit(assignment=lease)


def test_a_second_invite_for_the_same_person_shares_the_hit_limit(client):
    campaign = make_campaign("ab-wlt", overrides={"max_hits_per_worker": 1})
    link, code = (
        invites_create(campaign=campaign, external_ids=["s1234"]),
        invites_create(campaign=campaign, kind="code", external_ids=[" s1234 "]),
    )
    finish(link[0])
    refused = client.post(invite_path(code[0]))
    assert refused.status_code == 409 and b"limit of 1 HIT" in refused.content
    assert Assignment.objects.count() == 1 and Worker.objects.count() == 1
    # Someone else, and an invite naming nobody, each have a limit of their own.
    finish(invites_create(campaign=campaign, external_ids=["s9999"])[0])
    finish(invites_create(campaign=campaign, count=1)[0])
    assert Assignment.objects.count() == 3


def test_two_open_invites_of_one_person_lead_to_the_same_hit():
    campaign = make_campaign("ab-wlt", overrides={"max_hits_per_worker": 3})
    first, second = invites_create(campaign=campaign, external_ids=["panel-7", "panel-7"])
    assert invite_start(invite=first).pk == invite_start(invite=second).pk


def test_external_ids_are_refused_when_empty_or_unreadable():
    campaign = make_campaign("ab-wlt")
    for bad in (["ok", "  "], ["a\x00b"], ["x" * 151]):
        with pytest.raises(LeaseRefused):
            invites_create(campaign=campaign, external_ids=bad)
    assert not Invite.objects.exists()


@pytest.fixture
def admin_client() -> Client:
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("root", "r@example.org", "pw"))
    return client


def test_the_invites_page_makes_invites_per_person_from_the_box_and_a_csv(admin_client):
    campaign = make_campaign("ab-wlt")
    url = reverse("admin:crowd_campaign_invites", args=[campaign.pk])
    typed = admin_client.post(url, {"kind": "link", "external_ids": "s1\n\ns2\n", "count": "9"})
    assert typed.status_code == 302
    people = SimpleUploadedFile("people.csv", b"external_id,label\ns3,Ann\ns1,Ann again\n")
    uploaded = admin_client.post(url, {"kind": "code", "label": "", "people": people})
    assert uploaded.status_code == 302
    made = list(Invite.objects.order_by("pk").values_list("external_id", "label", "kind"))
    assert made == [
        ("s1", "1", "link"),
        ("s2", "2", "link"),
        ("s3", "Ann", "code"),
        ("s1", "Ann again", "code"),
    ]
    no_column = SimpleUploadedFile("people.csv", b"student\ns4\n")
    admin_client.post(url, {"kind": "link", "people": no_column})
    assert Invite.objects.count() == 4
    download = admin_client.get(url, {"format": "csv"}).content.decode().splitlines()
    assert download[0].endswith(",external_id") and download[1].endswith(",s1")
