"""The researchers' REST API, with and without a token."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from evalplatform.campaigns.models import Campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def researcher_client(db) -> APIClient:
    user = get_user_model().objects.create_user("researcher", password="pw", is_staff=True)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.mark.parametrize("url", ["/api/datasets/", "/api/systems/", "/api/campaigns/"])
def test_api_refuses_requests_without_a_token(url):
    response = APIClient().get(url)
    assert response.status_code == 401


def test_api_refuses_a_wrong_token_and_a_non_staff_token(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert client.get("/api/campaigns/").status_code == 401
    worker = get_user_model().objects.create_user("someone", password="pw")
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=worker).key}")
    assert client.get("/api/campaigns/").status_code == 403


def test_api_lists_datasets_and_their_dialogues(researcher_client, dataset):
    body = researcher_client.get("/api/datasets/").json()
    assert body["results"][0]["name"] == "test-set"
    assert body["results"][0]["dialogue_count"] == 60
    dialogues = researcher_client.get(f"/api/datasets/{dataset.pk}/dialogues/").json()
    assert dialogues["count"] == 60
    assert dialogues["results"][0]["turns"][0]["speaker"] == "speaker1"


def test_api_registers_a_system_and_validates_decoding(researcher_client):
    ok = researcher_client.post(
        "/api/systems/",
        {"name": "bart", "kind": "hf_seq2seq", "path": "/m", "decoding": {"num_beams": 5}},
        format="json",
    )
    assert ok.status_code == 201, ok.json()
    bad = researcher_client.post(
        "/api/systems/",
        {"name": "gpt", "kind": "hf_causal", "path": "/m", "decoding": {"num_beams": -1}},
        format="json",
    )
    assert bad.status_code == 400 and "num_beams" in str(bad.json())


def test_api_creates_a_campaign_from_a_preset_and_reports_status(
    researcher_client, dataset, systems
):
    response = researcher_client.post(
        "/api/campaigns/",
        {
            "preset": "ab-wlt",
            "name": "ab",
            "dataset": "test-set",
            "systems": ["system-a", "system-b"],
            "sample_size": 5,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["protocol"] == "ab" and body["systems"] == ["system-a", "system-b"]
    status = researcher_client.get(f"/api/campaigns/{body['id']}/status/").json()
    assert status["status"] == "draft" and status["problems"] == []
    assert status["counts"]["systems"] == 2
    assert [row["system"] for row in status["generation"]] == ["system-a", "system-b"]


def test_api_campaign_create_explains_bad_input(researcher_client, dataset, systems):
    response = researcher_client.post(
        "/api/campaigns/",
        {"preset": "nope", "name": "x", "dataset": "test-set", "systems": ["system-a"]},
        format="json",
    )
    assert response.status_code == 400 and "preset" in response.json()
    assert not Campaign.objects.exists()


def test_openapi_schema_is_served(researcher_client):
    response = researcher_client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert "/api/campaigns/{id}/status/" in response.json()["paths"]


def test_api_generate_queues_work_and_reports_progress(researcher_client, dataset, systems):
    created = researcher_client.post(
        "/api/campaigns/",
        {
            "preset": "likert-erf",
            "name": "imp",
            "dataset": "test-set",
            "systems": ["system-a"],
            "sample_size": 4,
        },
        format="json",
    ).json()
    response = researcher_client.post(f"/api/campaigns/{created['id']}/generate/")
    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "generating" and body["counts"]["sampled_dialogues"] == 4
    # An imported system with no responses fails with a message the researcher can act on.
    assert body["generation"][0]["status"] == "failed"
    assert "has no response for 4 sampled dialogues" in body["generation"][0]["error"]


def test_api_pages_campaigns_in_a_stable_order(researcher_client, dataset, systems):
    import warnings

    from django.core.paginator import UnorderedObjectListWarning

    for name in ("c1", "c2", "c3"):
        researcher_client.post(
            "/api/campaigns/",
            {
                "preset": "likert-erf",
                "name": name,
                "dataset": "test-set",
                "systems": ["system-a"],
                "sample_size": 4,
            },
            format="json",
        )
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnorderedObjectListWarning)
        body = researcher_client.get("/api/campaigns/").json()
    assert [c["name"] for c in body["results"]] == ["c1", "c2", "c3"]


def test_api_pages_datasets_in_a_stable_order(researcher_client):
    """The dataset list counts dialogues with a GROUP BY, which drops the model's ordering:
    pages of an unordered list may repeat or skip datasets."""
    import warnings

    from django.core.paginator import UnorderedObjectListWarning

    from tests.factories import DatasetFactory

    for name in ("delta", "alpha", "charlie", "bravo"):
        DatasetFactory(name=name)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnorderedObjectListWarning)
        body = researcher_client.get("/api/datasets/").json()
    assert [d["name"] for d in body["results"]] == ["alpha", "bravo", "charlie", "delta"]
