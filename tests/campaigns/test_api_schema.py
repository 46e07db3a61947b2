"""The API is what its schema says: schemathesis generates requests from /api/schema/ and
sends them in-process to the WSGI app; no answer may be a server error or fall outside the
documented status codes, content types and bodies. Seeded and bounded, so it stays fast."""

from __future__ import annotations

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def token(db) -> str:
    user = get_user_model().objects.create_user("researcher", password="pw", is_staff=True)
    return Token.objects.create(user=user).key


@pytest.fixture
def wsgi_keeps_test_transaction(db):
    """Django's WSGI handler closes the connection after each request, which would close the
    test's transaction; Django's own test client unhooks the same signal handlers."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def served_schema() -> schemathesis.schemas.BaseSchema:
    """The schema as /api/schema/ serves it, loaded from the WSGI app itself (the schema
    view needs no token and no database)."""
    from evalplatform.wsgi import application

    return schemathesis.openapi.from_wsgi(
        "/api/schema/", application, headers={"Accept": "application/json"}
    )


# (schemathesis.pytest.from_fixture would load it per test, but 4.32 reads a pytest
# attribute that pytest 9 removed; loading at import needs nothing from the database.)
schema = served_schema()


@schema.parametrize()
@settings(
    max_examples=25,
    derandomize=True,
    database=None,  # the same examples every run, nothing stored between runs
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_api_answer_is_documented_and_never_a_server_error(
    case, token, wsgi_keeps_test_transaction, dataset, systems
):
    case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)


def test_the_schema_documents_errors_and_the_rules_it_enforces():
    served = schema.raw_schema
    for path, operations in served["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"401", "403"} <= codes, (method, path)
            if "{id}" in path or method == "get":
                assert "404" in codes, (method, path)
            if method == "post":
                assert "400" in codes, (method, path)
    create = served["components"]["schemas"]["CampaignCreate"]["properties"]
    assert create["name"]["minLength"] == 1 and create["systems"]["minItems"] == 1
    assert create["sample_size"]["minimum"] == 1
    presets = served["components"]["schemas"]["PresetEnum"]["enum"]
    assert "ab-wlt" in presets and "good-okay-bad" in presets


def test_a_researchers_path_through_the_api_matches_the_schema(
    token, wsgi_keeps_test_transaction, dataset, systems
):
    """Random requests rarely name a real dataset: walk the successful path explicitly,
    with the same checks, so the success bodies are held to the schema too."""
    auth = {"Authorization": f"Token {token}"}

    def call(path: str, method: str, **case):
        return schema[path][method].Case(**case).call_and_validate(headers=auth, checks=CHECKS)

    call("/api/systems/", "POST", body={"name": "bart", "kind": "hf_seq2seq", "path": "/m"})
    created = call(
        "/api/campaigns/",
        "POST",
        body={
            "preset": "ab-wlt",
            "name": "ab",
            "dataset": "test-set",
            "systems": ["system-a", "system-b"],
            "sample_size": 5,
        },
    )
    assert created.status_code == 201
    campaign = {"id": created.json()["id"]}
    refused = call(
        "/api/campaigns/",
        "POST",
        body={"preset": "ab-wlt", "name": "one", "dataset": "test-set", "systems": ["system-a"]},
    )
    assert refused.status_code == 400 and "non_field_errors" in refused.json()
    for path in ("/api/campaigns/{id}/", "/api/campaigns/{id}/status/"):
        assert call(path, "GET", path_parameters=campaign).status_code == 200
    edited = call(
        "/api/campaigns/{id}/", "PATCH", path_parameters=campaign, body={"reward": "0.55"}
    )
    assert edited.status_code == 200 and edited.json()["reward"] == "0.55"
    # A draft cannot be paused: only a published campaign hands out work.
    paused = call("/api/campaigns/{id}/pause/", "POST", path_parameters=campaign)
    assert paused.status_code == 400
    assert (
        call("/api/campaigns/{id}/generate/", "POST", path_parameters=campaign).status_code == 202
    )
    # Pressed again: the imported systems have no responses yet, so it restarts them.
    assert (
        call("/api/campaigns/{id}/generate/", "POST", path_parameters=campaign).status_code == 202
    )
    dialogues = call("/api/datasets/{id}/dialogues/", "GET", path_parameters={"id": dataset.pk})
    assert dialogues.status_code == 200
    for path in ("/api/datasets/", "/api/systems/", "/api/campaigns/"):
        assert call(path, "GET").status_code == 200
