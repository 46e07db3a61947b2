"""The admin's own form pages share one form layout (``admin/_form.html``) instead of three
copies, and each still shows its own button, file field and note."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import SystemFactory

pytestmark = pytest.mark.django_db


def test_the_form_pages_render_the_shared_form(client_as: Callable[[str], Client]) -> None:
    client = client_as("preparer")
    system = SystemFactory()
    pages = {
        reverse("admin:campaigns_campaign_from_preset"): 'value="Create campaign"',
        reverse("admin:campaigns_dataset_upload"): 'enctype="multipart/form-data"',
        reverse("admin:campaigns_system_label", args=[system.pk]): 'value="Label responses"',
    }
    for url, own in pages.items():
        page = client.get(url)
        assert page.status_code == 200, url
        assert "admin/_form.html" in [t.name for t in page.templates], url
        assert own in page.content.decode(), url
    upload = client.get(reverse("admin:campaigns_dataset_upload")).content.decode()
    assert "a bad line is named and nothing is stored" in upload
