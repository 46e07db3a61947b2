"""Worker links are signed with this instance's secret key only: a link signed with any
other key (the development constant the source once carried, or a random one) is refused."""

from __future__ import annotations

import json
import secrets

import pytest
from django.core import signing
from django.urls import reverse

from evalplatform.crowd.models import Judgment
from evalplatform.crowd.services import assignment_lease
from evalplatform.crowd.tokens import SALT

pytestmark = pytest.mark.django_db
# The key the settings used whenever DJANGO_DEBUG was on and no key was set (the default).
OLD_CONSTANT_KEY = "insecure-development-key-never-use-in-production"
ANSWER = {"item": 0, "candidate": 0, "criterion": "fluency", "value": "3"}


@pytest.mark.parametrize("key", [OLD_CONSTANT_KEY, secrets.token_urlsafe(50)])
def test_a_token_signed_with_another_key_is_refused(client, likert_campaign, worker, key):
    lease = assignment_lease(campaign=likert_campaign, worker=worker)
    forged = signing.dumps([lease.pk, lease.worker_id], key=key, salt=SALT, compress=False)
    page = client.get(reverse("crowd:welcome", kwargs={"token": forged}))
    assert page.status_code == 403
    api = client.post(
        reverse("crowd:api-answer", kwargs={"token": forged}),
        json.dumps(ANSWER),
        content_type="application/json",
    )
    assert api.status_code == 403 and api.json()["ok"] is False
    assert not Judgment.objects.exists()
