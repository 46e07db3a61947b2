"""Users of the researcher's console by role, and a campaign with work awaiting review."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client

from evalplatform.campaigns.models import Campaign, CampaignStatus
from evalplatform.crowd.models import Assignment
from evalplatform.crowd.services import assignment_lease, assignment_submit
from tests.factories import WorkerFactory, answer_all, make_campaign

VIEWER = ["campaigns.view_campaign", "campaigns.view_dataset", "campaigns.view_system"]
# Prepares campaigns: creates, edits, generates, builds HITs, makes invites; spends nothing.
PREPARER = [
    *VIEWER,
    "campaigns.add_campaign",
    "campaigns.change_campaign",
    "campaigns.add_dataset",
    "campaigns.change_system",
]
# Also runs the campaign on the paid provider: publishes, reviews, pays.
SPENDER = [
    *PREPARER,
    "campaigns.publish_campaign",
    "campaigns.approve_work",
    "campaigns.pay_bonuses",
]
ROLES: dict[str, list[str]] = {
    "staff_only": [],
    "viewer": VIEWER,
    "preparer": PREPARER,
    "spender": SPENDER,
}


def staff_user(username: str, permissions: list[str]) -> Any:
    user = get_user_model().objects.create_user(username, password="pw", is_staff=True)
    for dotted in permissions:
        app_label, codename = dotted.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user


@pytest.fixture
def client_as(db) -> Callable[[str], Client]:
    """``client_as("viewer")``: a logged-in client holding that role's permissions."""

    def login(role: str) -> Client:
        client = Client()
        client.force_login(staff_user(role, ROLES[role]))
        return client

    return login


@pytest.fixture
def reviewed_campaign(db) -> tuple[Campaign, Assignment]:
    """A published local Likert campaign (2 HITs) with one submitted assignment."""
    campaign = make_campaign("likert-fce", status=CampaignStatus.PUBLISHED)
    lease = assignment_lease(campaign=campaign, worker=WorkerFactory())
    answer_all(lease)
    assignment_submit(assignment=lease)
    lease.refresh_from_db()
    return campaign, lease
