"""The plan page on a campaign being prepared (a cockpit button leads there) and the API's
plan endpoint: starting a plan takes the campaign's change permission, reading it the view
permission; the page shows the progress, then the table of designs and the power curve;
the API's answers are what its schema says."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.authtoken.models import Token

from evalplatform.campaigns.models import Campaign, CampaignPlan, CampaignStatus, PlanState
from evalplatform.reports.plan_runs import campaign_plan_run
from tests.campaigns.test_api_schema import (  # noqa: F401 - a fixture
    CHECKS,
    schema,
    wsgi_keeps_test_transaction,
)
from tests.console.conftest import ROLES, staff_user
from tests.console.plans import campaign_pilot_csv
from tests.factories import make_campaign

pytestmark = pytest.mark.django_db
SETS = "10"


@pytest.fixture
def draft() -> Campaign:
    return make_campaign("likert-fce", status=CampaignStatus.DRAFT)


def plan_url(campaign: Campaign, name: str = "console_campaign_plan") -> str:
    return reverse(f"admin:{name}", args=[campaign.pk])


def test_the_cockpit_offers_the_plan_page(client_as, draft):
    page = client_as("viewer").get(reverse("admin:campaigns_campaign_change", args=[draft.pk]))
    assert page.status_code == 200
    assert f'href="{plan_url(draft)}"' in page.content.decode()


def test_a_viewer_reads_the_plan_page_but_cannot_start_a_plan(client_as, draft):
    viewer = client_as("viewer")
    page = viewer.get(plan_url(draft))
    assert page.status_code == 200 and b"No plan yet." in page.content
    assert b'type="file"' not in page.content  # no form without the change permission
    refused = viewer.post(plan_url(draft), {"difference": "0.5", "target": "0.8"})
    assert refused.status_code == 403 and not CampaignPlan.objects.exists()
    assert client_as("staff_only").get(plan_url(draft)).status_code == 403


def test_a_preparer_plans_from_an_uploaded_pilot_and_sees_the_table_and_curve(client_as, draft):
    preparer = client_as("preparer")
    pilot = SimpleUploadedFile("pilot.csv", campaign_pilot_csv(draft).encode())
    form = {"difference": "0.5", "target": "0.8", "sets": SETS, "seed": "0", "pilot_file": pilot}
    started = preparer.post(plan_url(draft), form)
    assert started.status_code == 302
    plan = CampaignPlan.objects.get(campaign=draft)
    assert plan.state == PlanState.QUEUED and plan.pilot_name == "pilot.csv"
    assert plan.requested_by.get_username() == "preparer"
    polled = preparer.get(plan_url(draft, "console_campaign_plan_json")).json()
    assert polled["state"] == "queued" and polled["html"] == ""
    assert b'"running": true' in preparer.get(plan_url(draft)).content  # the page polls

    campaign_plan_run(plan_id=plan.pk)  # what the task does
    polled = preparer.get(plan_url(draft, "console_campaign_plan_json")).json()
    assert polled["state"] == "done" and polled["done"] == polled["total"] > 0
    assert "<table" in polled["html"] and "<svg" in polled["html"]
    page = preparer.get(plan_url(draft)).content.decode()
    assert "Cheapest design reaching the target" in page and "Current design" in page
    assert 'class="plan-table"' in page and "<svg" in page
    assert 'name="difference" value="0.5"' in page and 'name="sets" value="10"' in page


def test_a_bad_pilot_file_is_refused_on_the_form_naming_its_line(client_as, draft):
    bad = campaign_pilot_csv(draft).replace(",fluency,", ",fluency,seven,", 1)
    pilot = SimpleUploadedFile("pilot.csv", bad.encode())
    page = client_as("preparer").post(
        plan_url(draft),
        {"difference": "0.5", "target": "0.8", "sets": SETS, "seed": "0", "pilot_file": pilot},
    )
    assert page.status_code == 200 and b"pilot.csv: line 2:" in page.content
    assert not CampaignPlan.objects.exists()


def test_a_published_campaign_shows_its_frozen_plan_and_takes_no_new_one(client_as):
    campaign = make_campaign("likert-fce", status=CampaignStatus.PUBLISHED)
    page = client_as("spender").get(plan_url(campaign))
    assert b"plans are made before publishing" in page.content
    assert b"No power plan was made before this campaign was published" in page.content
    assert b'type="file"' not in page.content


def api(role: str):
    """An API client with a token of a user holding ``role`` (one user per role)."""
    from django.contrib.auth import get_user_model
    from rest_framework.test import APIClient

    user = get_user_model().objects.filter(username=role).first() or staff_user(role, ROLES[role])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def test_the_api_starts_a_plan_and_reads_its_state_with_the_permissions_it_needs(draft):
    path = f"/api/campaigns/{draft.pk}/plan/"
    body = {"difference": 0.5, "sets": 10, "pilot_csv": campaign_pilot_csv(draft)}
    assert api("viewer").post(path, body, format="json").status_code == 403
    assert api("viewer").get(path).status_code == 404  # no plan yet
    assert api("staff_only").get(path).status_code == 403
    started = api("preparer").post(path, body, format="json")
    assert started.status_code == 202 and started.json()["state"] == "queued"
    again = api("preparer").post(path, body, format="json")
    assert again.json()["id"] == started.json()["id"]  # the same plan, still queued

    campaign_plan_run(plan_id=started.json()["id"])
    read = api("viewer").get(path).json()
    assert read["state"] == "done" and read["result"]["rows"]
    assert read["pilot"] == "the uploaded file " + "pilot.csv"


def test_the_api_refuses_bad_pilots_and_published_campaigns_with_reasons(draft):
    path = f"/api/campaigns/{draft.pk}/plan/"
    bad = {"difference": 0.5, "pilot_csv": "item,worker\n", "pilot_name": "mine.csv"}
    refused = api("preparer").post(path, bad, format="json")
    assert refused.status_code == 400 and refused.json()["pilot_csv"][0].startswith("mine.csv:")
    published = make_campaign("likert-fce", status=CampaignStatus.PUBLISHED)
    refused = api("preparer").post(
        f"/api/campaigns/{published.pk}/plan/", {"difference": 0.5}, format="json"
    )
    assert refused.status_code == 400 and "before publishing" in refused.json()["detail"]


def test_the_plan_endpoint_answers_as_its_schema_says(draft, wsgi_keeps_test_transaction):  # noqa: F811
    user = staff_user("preparer", ROLES["preparer"])
    auth = {"Authorization": f"Token {Token.objects.create(user=user).key}"}

    def call(method: str, **case):
        operation = schema["/api/campaigns/{id}/plan/"][method]
        return operation.Case(path_parameters={"id": draft.pk}, **case).call_and_validate(
            headers=auth, checks=CHECKS
        )

    assert call("GET").status_code == 404
    started = call("POST", body={"difference": 0.5, "sets": 10})
    assert started.status_code == 202
    campaign_plan_run(plan_id=started.json()["id"])
    assert call("GET").status_code == 200
    assert call("POST", body={"difference": -1}).status_code == 400


@pytest.mark.parametrize(
    ("preset", "words"),
    [
        ("likert-fce", "points on the scale"),
        ("ab-wlt", "percentage points of preference"),
        ("good-okay-bad", "label score"),
    ],
)
def test_the_form_gives_the_difference_in_the_protocols_own_unit(client_as, preset, words):
    campaign = make_campaign(preset, status=CampaignStatus.DRAFT)
    page = client_as("preparer").get(plan_url(campaign)).content.decode()
    help_text = page.split('id="id_difference_helptext">')[1].split("</div>")[0]
    assert help_text.startswith("In ") and words in help_text, help_text
