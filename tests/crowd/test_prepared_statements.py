"""On PostgreSQL, the statements of an answer (the narrow read of a token's facts when the
process sees it first, and the one-statement upsert that counts progress) are prepared
once per connection instead of parsed and planned on every answer:
planning was about half of the database's CPU per answer. Run with DATABASE_URL on
PostgreSQL; skipped on SQLite, which has no server-side statements."""

from __future__ import annotations

import json

import pytest
from django.db import connection

from evalplatform.crowd.services import assignment_lease
from evalplatform.crowd.tokens import assignment_url
from tests.factories import make_campaign, show_all

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL prepares"),
]


def prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [statement for (statement,) in cursor.fetchall()]


def test_an_answers_statements_are_prepared_once_per_connection(client, worker):
    campaign = make_campaign("likert-fce", overrides={"sample_size": 2, "items_per_hit": 2})
    lease = assignment_lease(campaign=campaign, worker=worker)
    show_all(lease)
    url = assignment_url(lease, "api-answer")
    counts = []
    for candidate in (0, 1, 2):
        body = {"session": lease.session, "item": 0, "candidate": candidate}
        response = client.post(
            url, json.dumps({**body, "criterion": "fluency", "value": "4"}), "application/json"
        )
        assert response.status_code == 200, response.json()
        counts.append(len(prepared_statements()))
    statements = prepared_statements()
    assert any("crowd_assignment" in s and "ON CONFLICT" not in s for s in statements), statements
    assert sum("ON CONFLICT" in s for s in statements) == 1, statements
    # The first answer: the facts' read and the upsert; the next ones run the upsert again,
    # prepared, and add none.
    assert counts == [2, 2, 2], statements
