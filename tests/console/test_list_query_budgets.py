"""Every admin changelist and every API list costs the same number of queries whatever the
number of rows: a per-row query turns a page of 100 rows into 100 queries.

Rows are made generically for each registered model, each with its own related rows, so
that a display column reading a relation per row shows up as a difference in counts."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.contrib import admin
from django.db import connection, models
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evalplatform.campaigns.models import Candidate, Dataset, System
from tests.factories import CandidateFactory, DialogueFactory, make_dataset

_serial = itertools.count(1)


def _value(field: models.Field) -> Any:
    """A valid value, distinct from every other row's, for one concrete field."""
    n = next(_serial)
    if field.choices:
        return field.choices[n % len(field.choices)][0]
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, models.DecimalField):
        return Decimal("0.10")
    if isinstance(field, models.FloatField):
        return 0.5
    if isinstance(field, models.IntegerField):
        return n
    if isinstance(field, models.DateTimeField):
        return datetime(2026, 1, 1, tzinfo=UTC)
    if isinstance(field, models.JSONField):
        return field.get_default() if field.has_default() else {}
    if isinstance(field, models.CharField | models.TextField):
        return f"v{n}"[: field.max_length or 40]
    raise NotImplementedError(f"{field.model.__name__}.{field.name}: {type(field).__name__}")


def make_row(model: type[models.Model]) -> models.Model:
    """One row of ``model`` with every required field set and a fresh row behind each
    foreign key (nullable ones included, so that their display is exercised)."""
    values: dict[str, Any] = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or (field.has_default() and not field.is_relation):
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            continue
        if field.is_relation:
            values[field.name] = make_row(field.related_model)
        elif not field.null or field.choices:
            values[field.name] = _value(field)
    return model.objects.create(**values)


SPECIFIC_MAKERS = {
    Dataset: lambda: make_dataset(per_subset=3),
    Candidate: lambda: CandidateFactory(),
}


def add_rows(model: type[models.Model], count: int) -> None:
    for _ in range(count):
        maker = SPECIFIC_MAKERS.get(model)
        maker() if maker else make_row(model)
    if model is System:  # a system's list shows how many candidates it has
        for system in System.objects.all():
            CandidateFactory(system=system, dialogue=DialogueFactory())


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


@pytest.fixture
def superuser_client(db) -> Client:
    from django.contrib.auth import get_user_model

    client = Client()
    client.force_login(get_user_model().objects.create_superuser("root", password="pw"))
    return client


CHANGELISTS = sorted(admin.site._registry, key=lambda model: model._meta.label)


@pytest.mark.parametrize("model", CHANGELISTS, ids=lambda model: model._meta.label)
def test_admin_changelist_queries_do_not_grow_with_rows(superuser_client, model):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    add_rows(model, 2)
    few = count_queries(superuser_client, url)
    add_rows(model, 5)
    assert model.objects.count() >= 7
    many = count_queries(superuser_client, url)
    assert many == few, f"{model._meta.label}: {few} queries with 2 rows, {many} with 7"


API_LISTS = {"dataset": Dataset, "system": System}


@pytest.mark.parametrize("basename", ["dataset", "system", "campaign"])
def test_api_list_queries_do_not_grow_with_rows(superuser_client, basename, campaign_factory):
    url = reverse(f"{basename}-list")

    def grow(count: int) -> None:
        if basename == "campaign":
            for _ in range(count):
                campaign_factory("likert-fce", status="draft")
        else:
            add_rows(API_LISTS[basename], count)

    grow(1)
    few = count_queries(superuser_client, url)
    grow(3)
    many = count_queries(superuser_client, url)
    assert many == few, f"{basename}: {few} queries with 1 row, {many} with 4"


def test_generation_progress_queries_do_not_grow_with_systems(campaign_factory):
    from evalplatform.campaigns.selectors import campaign_generation_progress

    def queries_for(n_systems: int) -> int:
        campaign = campaign_factory("good-okay-bad", status="ready", n_systems=n_systems)
        with CaptureQueriesContext(connection) as queries:
            progress = campaign_generation_progress(campaign)
        assert len(progress) == n_systems
        assert all(row.done > 0 for row in progress), progress
        return len(queries)

    assert queries_for(4) == queries_for(2)
