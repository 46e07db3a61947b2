"""The researcher's admin: import a dataset, register systems, create a campaign from each
preset, see its page, and import responses, all through the admin's own forms."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from evalplatform.campaigns.models import Campaign, Candidate, Dataset, Dialogue, System
from evalplatform.campaigns.presets import PRESETS

pytestmark = pytest.mark.django_db
DEMO = Path(__file__).resolve().parents[2] / "demo"


@pytest.fixture
def admin_client() -> Client:
    user = get_user_model().objects.create_superuser("admin", "a@example.org", "pw")
    client = Client()
    client.force_login(user)
    return client


def upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (DEMO / name).read_bytes())


def test_researcher_imports_registers_and_creates_a_campaign_per_preset(admin_client):
    response = admin_client.post(
        "/admin/campaigns/dataset/upload/",
        {"dataset_name": "demo", "fmt": "jsonl", "subset": "", "file": upload("dialogues.jsonl")},
    )
    assert response.status_code == 302
    assert Dialogue.objects.filter(dataset__name="demo").count() == 360
    for name in ("a", "b", "c"):
        added = admin_client.post(
            "/admin/campaigns/system/add/",
            {
                "name": name,
                "kind": "hf_causal",
                "path": f"/models/{name}",
                "decoding": '{"num_beams": 5, "no_repeat_ngram_size": 3}',
                "description": "",
            },
        )
        assert added.status_code == 302, added.content[:500]
    systems = list(System.objects.values_list("pk", flat=True))
    dataset = Dataset.objects.get(name="demo")
    for preset in PRESETS:
        created = admin_client.post(
            "/admin/campaigns/campaign/from-preset/",
            {
                "preset": preset,
                "name": preset,
                "dataset": dataset.pk,
                "systems": systems,
                "sample_size": 10,
                "provider": "local",
            },
        )
        assert created.status_code == 302, created.content[:800]
        campaign = Campaign.objects.get(name=preset)
        page = admin_client.get(f"/admin/campaigns/campaign/{campaign.pk}/change/")
        assert page.status_code == 200
        assert b"Sampled dialogues" in page.content and b"Report" in page.content
    assert Campaign.objects.count() == len(PRESETS)
    assert admin_client.get("/admin/campaigns/campaign/").status_code == 200


def test_admin_upload_names_the_bad_line_and_stores_nothing(admin_client):
    bad = SimpleUploadedFile("bad.jsonl", b'{"id": "x", "turns": []}\n')
    response = admin_client.post(
        "/admin/campaigns/dataset/upload/",
        {"dataset_name": "demo", "fmt": "jsonl", "subset": "", "file": bad},
    )
    assert response.status_code == 200
    assert b"Nothing was imported. bad.jsonl, line 1: dialogue &#x27;x&#x27; has no turns" in (
        response.content
    )
    assert not Dataset.objects.exists()


def test_admin_explains_an_ab_campaign_with_one_system(admin_client):
    admin_client.post(
        "/admin/campaigns/dataset/upload/",
        {"dataset_name": "demo", "fmt": "jsonl", "subset": "", "file": upload("dialogues.jsonl")},
    )
    system = System.objects.create(name="only", kind="imported")
    response = admin_client.post(
        "/admin/campaigns/campaign/from-preset/",
        {
            "preset": "ab-wlt",
            "name": "ab",
            "dataset": Dataset.objects.get().pk,
            "systems": [system.pk],
            "provider": "local",
        },
        follow=True,
    )
    assert b"An A/B campaign needs at least two systems; it has 1." in response.content


def test_admin_imports_responses_for_a_system(admin_client):
    admin_client.post(
        "/admin/campaigns/dataset/upload/",
        {
            "dataset_name": "examples",
            "fmt": "jsonl",
            "subset": "",
            "file": upload("example_dialogues.jsonl"),
        },
    )
    system = System.objects.create(name="elsewhere", kind="imported")
    response = admin_client.post(
        f"/admin/campaigns/system/{system.pk}/responses/",
        {"dataset": Dataset.objects.get().pk, "file": upload("example_responses.jsonl")},
    )
    assert response.status_code == 302
    assert Candidate.objects.filter(system=system).count() == 5
