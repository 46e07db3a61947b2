"""The campaign status API counts the crowd's work too: the console composes the API, as it
composes the admin, so campaigns never imports the apps above it."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.console.conftest import VIEWER, staff_user

pytestmark = pytest.mark.django_db


def test_campaign_status_counts_hits_assignments_and_judgments(reviewed_campaign):
    campaign, _ = reviewed_campaign
    client = APIClient()
    user = staff_user("api-viewer", VIEWER)
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")

    counts = client.get(f"/api/campaigns/{campaign.pk}/status/").json()["counts"]

    assert counts["hits"] == 2
    assert counts["assignments_submitted"] == 1
    assert counts["judgments"] > 0
    assert counts["systems"] == campaign.systems.count()
