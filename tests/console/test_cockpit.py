"""The campaign page as the researcher's cockpit: every step a button on the campaign's own
page, offered or disabled with the reason, obeying the user's permissions."""

from __future__ import annotations

import re

import pytest

from evalplatform.campaigns.models import Campaign, CampaignStatus, Candidate
from evalplatform.crowd.models import Hit
from tests.factories import CandidateFactory, make_campaign

pytestmark = pytest.mark.django_db


def change_url(campaign: Campaign) -> str:
    return f"/admin/campaigns/campaign/{campaign.pk}/change/"


def step(html: str, label: str) -> str:
    """The cockpit's list entry of the step labelled ``label``."""
    cockpit = html[html.index('class="cockpit-steps"') :]
    for entry in re.findall(r"<li[^>]*>.*?</li>", cockpit, flags=re.S):
        if f">{label}</" in entry:
            return entry
    raise AssertionError(f"no step {label!r} in the cockpit")


def cockpit_post(client, campaign: Campaign, action: str):
    return client.post(
        "/admin/campaigns/campaign/",
        {
            "action": action,
            "_selected_action": campaign.pk,
            "index": 0,
            "_cockpit": campaign.pk,
        },
    )


def responses_for_every_dialogue(campaign: Campaign) -> None:
    for system in campaign.systems.all():
        for dialogue in campaign.dataset.dialogues.all():
            CandidateFactory(system=system, dialogue=dialogue)


def test_a_draft_campaign_links_each_imported_system_to_its_response_import(client_as):
    campaign = make_campaign("likert-fce", status=CampaignStatus.DRAFT)
    html = client_as("preparer").get(change_url(campaign)).content.decode()
    for system in campaign.systems.all():
        entry = step(html, f"Import responses for {system.name}")
        assert f'href="/admin/campaigns/system/{system.pk}/responses/"' in entry


def test_the_campaign_page_offers_every_step_and_says_why_one_is_not_available(client_as):
    campaign = make_campaign("likert-fce", status=CampaignStatus.DRAFT)
    html = client_as("spender").get(change_url(campaign)).content.decode()
    assert "disabled" not in step(html, "Generate")
    build = step(html, "Build HITs")
    assert "disabled" in build and "Generate first" in build
    assert "Build the HITs first" in step(html, "Publish")
    assert "Build the HITs first" in step(html, "Estimate the cost")
    assert "Publish first" in step(html, "Invite links and codes")
    assert "No judgments yet" in step(html, "Report")
    assert "Next: <strong>Generate</strong>" in html


def test_the_cockpit_obeys_the_users_permissions(client_as):
    campaign = make_campaign("likert-fce", status=CampaignStatus.READY)
    Hit.objects.filter(campaign=campaign).delete()
    viewer = client_as("viewer")
    assert "permission" in step(viewer.get(change_url(campaign)).content.decode(), "Build HITs")
    preparer = client_as("preparer").get(change_url(campaign)).content.decode()
    assert "disabled" not in step(preparer, "Build HITs")
    assert "permission" in step(preparer, "Publish")
    # And the server refuses what the page does not offer.
    cockpit_post(viewer, campaign, "build_hits")
    assert not Hit.objects.filter(campaign=campaign).exists()


def test_generate_and_build_from_the_cockpit_return_to_the_campaign(client_as):
    campaign = make_campaign("likert-fce", status=CampaignStatus.DRAFT)
    responses_for_every_dialogue(campaign)
    client = client_as("preparer")

    generated = cockpit_post(client, campaign, "start_generation")
    assert generated.status_code == 302 and generated["Location"] == change_url(campaign)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.READY
    assert Candidate.objects.filter(system__in=campaign.systems.all()).exists()

    built = cockpit_post(client, campaign, "build_hits")
    assert built["Location"] == change_url(campaign)
    assert Hit.objects.filter(campaign=campaign).exists()
    html = client.get(change_url(campaign)).content.decode()
    assert "disabled" not in step(html, "Preview a HIT")


def test_publish_from_the_cockpit_shows_the_cost_first(client_as):
    campaign = make_campaign("likert-fce", status=CampaignStatus.READY)
    cockpit_post(client_as("preparer"), campaign, "build_hits")
    response = cockpit_post(client_as("spender"), campaign, "provider_publish")
    assert response.status_code == 200 and "check the cost" in response.content.decode()


def test_an_imported_systems_page_links_to_its_response_import(client_as):
    from evalplatform.campaigns.models import System

    system = System.objects.create(name="elsewhere", kind="imported")
    html = client_as("preparer").get(f"/admin/campaigns/system/{system.pk}/change/").content
    assert f'href="/admin/campaigns/system/{system.pk}/responses/"'.encode() in html
