"""What a newcomer reads in the console: model names, help on every field they fill in,
the site's name and index, a title per page."""

from __future__ import annotations

import pytest
from django.apps import apps

from evalplatform.campaigns.models import Campaign, System

pytestmark = pytest.mark.django_db

PLURALS = {
    ("campaigns", "criterion"): "criteria",
    ("crowd", "hit"): "HITs",
    ("providers", "prolificbulkbonus"): "Prolific bulk bonuses",
    ("providers", "prolificstudy"): "Prolific studies",
    ("providers", "mturkhittype"): "MTurk HIT types",
    ("providers", "mturkqualificationtype"): "MTurk qualification types",
    ("providers", "providerhit"): "provider HITs",
}


@pytest.mark.parametrize(("model", "plural"), PLURALS.items())
def test_model_names_read_properly(model, plural):
    assert str(apps.get_model(*model)._meta.verbose_name_plural) == plural


SYSTEM_FIELDS = ["name", "kind", "path", "decoding", "description"]
CAMPAIGN_FIELDS = [
    "name",
    "title",
    "description",
    "instructions",
    "minutes_per_hit",
    "dataset",
    "sample_size",
    "sample_subsets",
    "sample_seed",
    "items_per_hit",
    "assignments_per_hit",
    "gold_per_hit",
    "gold_subset",
    "reward",
    "bonus",
    "worker_requirements",
    "max_hits_per_worker",
    "provider",
    "provider_settings",
    "alpha",
    "correction",
    "quality_filter",
]


@pytest.mark.parametrize(
    ("model", "field"),
    [(System, name) for name in SYSTEM_FIELDS] + [(Campaign, name) for name in CAMPAIGN_FIELDS],
)
def test_every_field_a_newcomer_fills_in_has_help(model, field):
    assert model._meta.get_field(field).help_text


def test_decoding_help_names_the_settings():
    help_text = str(System._meta.get_field("decoding").help_text)
    for setting in ("num_beams", "do_sample", "top_p", "max_new_tokens"):
        assert setting in help_text


def test_the_admin_index_is_evalplatforms_and_opens_on_the_campaigns(client_as):
    from tests.factories import make_campaign

    campaign = make_campaign("likert-fce", status="draft")
    response = client_as("viewer").get("/admin/")
    html = response.content.decode()
    assert "<title>" in html and "evalplatform" in html.split("<title>")[1].split("</title>")[0]
    assert "Django administration" not in html
    assert html.index("Your campaigns") < html.index("Datasets")
    assert campaign.name in html
    assert 'href="/"' not in html  # "View site" led to a 404


def test_view_site_does_not_lead_to_a_404(client_as):
    from django.contrib import admin

    site_url = admin.site.site_url
    if site_url:
        assert client_as("viewer").get(site_url).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/admin/campaigns/campaign/",
        "/admin/campaigns/campaign/from-preset/",
        "/admin/campaigns/system/",
        "/admin/campaigns/dataset/",
    ],
)
def test_every_console_page_has_its_own_title(client_as, url):
    html = client_as("preparer").get(url).content.decode()
    title = html.split("<title>")[1].split("</title>")[0]
    assert "evalplatform" in title and "Django" not in title


def test_the_sidebar_lists_the_campaigns_first(client):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.create_superuser("admin", password="pw"))
    html = client.get("/admin/campaigns/campaign/").content.decode()
    sidebar = html[html.index('id="nav-sidebar"') :]
    assert sidebar.index("Campaigns") < sidebar.index("Crowd work")


@pytest.mark.parametrize("page", ["change/", "live/", "crowd/invites/", "providers/"])
def test_every_campaign_page_has_a_title_naming_the_campaign(client_as, page):
    from tests.factories import make_campaign

    campaign = make_campaign("likert-fce")
    html = client_as("spender").get(f"/admin/campaigns/campaign/{campaign.pk}/{page}")
    title = html.content.decode().split("<title>")[1].split("</title>")[0]
    assert campaign.name in title and "evalplatform" in title
