"""A campaign that cannot run is refused when it is created, with the same message in the
admin's "new campaign from a preset" page and in the API, and nothing is stored."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from evalplatform.campaigns.models import Campaign, Dataset, Dialogue, System
from tests.campaigns.conftest import dialogue_row

pytestmark = pytest.mark.django_db

TOO_SMALL = "The sample needs 100 dialogues but dataset five has 5."


@pytest.fixture
def api() -> APIClient:
    user = get_user_model().objects.create_user("researcher", password="pw", is_staff=True)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def admin() -> Client:
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("admin", "a@example.org", "pw"))
    return client


@pytest.fixture
def five(db) -> Dataset:
    """A dataset of 5 dialogues, none with a gold response."""
    dataset = Dataset.objects.create(name="five")
    for index in range(5):
        row = dialogue_row(index, "ED", gold="")
        Dialogue.objects.create(
            dataset=dataset, external_id=row["id"], turns=row["turns"], subset="ED"
        )
    return dataset


def create_by_api(api: APIClient, **body) -> dict:
    response = api.post("/api/campaigns/", {"name": "c", **body}, format="json")
    assert response.status_code == 400, response.json()
    assert not Campaign.objects.exists()
    return response.json()


def create_in_admin(admin: Client, **form) -> str:
    response = admin.post("/admin/campaigns/campaign/from-preset/", {"name": "c", **form})
    assert response.status_code == 200  # the form again, with the reason
    assert not Campaign.objects.exists()
    return response.content.decode()


def test_api_refuses_a_preset_sample_larger_than_the_dataset(api, five, systems):
    body = create_by_api(api, preset="likert-erf", dataset="five", systems=["system-a"])
    assert body == {"non_field_errors": [TOO_SMALL]}


def test_admin_refuses_a_preset_sample_larger_than_the_dataset_with_the_same_message(
    admin, five, systems
):
    page = create_in_admin(
        admin, preset="likert-erf", dataset=five.pk, systems=[systems[0].pk], provider="local"
    )
    assert TOO_SMALL in page


def test_api_refuses_an_ab_campaign_without_two_systems(api, dataset, systems):
    body = create_by_api(
        api, preset="ab-wlt", dataset="test-set", systems=["system-a"], sample_size=5
    )
    assert body == {"non_field_errors": ["An A/B campaign needs at least two systems; it has 1."]}
    assert "systems" in create_by_api(api, preset="ab-wlt", dataset="test-set", systems=[])


def test_admin_refuses_an_ab_campaign_without_two_systems(admin, dataset, systems):
    page = create_in_admin(
        admin,
        preset="ab-wlt",
        dataset=dataset.pk,
        systems=[systems[0].pk],
        sample_size=5,
        provider="local",
    )
    assert "An A/B campaign needs at least two systems; it has 1." in page


def test_api_refuses_duplicate_systems_and_names_them(api, dataset, systems):
    body = create_by_api(
        api,
        preset="ab-wlt",
        dataset="test-set",
        systems=["system-a", "system-b", "system-a"],
        sample_size=5,
    )
    assert body == {"systems": ["System system-a is listed more than once."]}


def test_api_refuses_gold_checks_without_gold_dialogues(api, five):
    for name in ("x", "y"):
        System.objects.create(name=name, kind="imported")
    body = create_by_api(
        api, preset="good-okay-bad", dataset="five", systems=["x", "y"], sample_size=3
    )
    problems = body["non_field_errors"]
    assert any("dialogues with a gold response in subset 'ED'" in p for p in problems)


def test_api_refuses_an_empty_name_and_an_unknown_dataset(api, dataset, systems):
    body = create_by_api(api, preset="likert-erf", dataset="nowhere", systems=["system-a"])
    assert "dataset" in body
    response = api.post(
        "/api/campaigns/",
        {"name": "", "preset": "likert-erf", "dataset": "test-set", "systems": ["system-a"]},
        format="json",
    )
    assert response.status_code == 400 and "name" in response.json()


def test_a_campaign_that_can_run_is_still_created(api, admin, dataset, systems):
    made = api.post(
        "/api/campaigns/",
        {
            "name": "ok",
            "preset": "likert-erf",
            "dataset": "test-set",
            "systems": ["system-a"],
            "sample_size": 10,
        },
        format="json",
    )
    assert made.status_code == 201, made.json()
    response = admin.post(
        "/admin/campaigns/campaign/from-preset/",
        {
            "name": "ok2",
            "preset": "likert-erf",
            "dataset": dataset.pk,
            "systems": [systems[0].pk],
            "sample_size": 10,
            "provider": "local",
        },
    )
    assert response.status_code == 302
    assert Campaign.objects.count() == 2
