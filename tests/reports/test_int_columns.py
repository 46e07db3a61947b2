"""``int_columns`` reads a query's integer columns into numpy: on SQLite through one
aggregate of joined text, elsewhere (and past SQLite's length limit) through the cursor;
both give the values the ORM gives, column by column, in the rows' order."""

from __future__ import annotations

import numpy as np
import pytest
from django.db import connection
from django.db.models import BigIntegerField, F, FloatField, Value

from evalplatform.crowd.models import Judgment
from evalplatform.crowd.simulation.run import simulate_campaign
from evalplatform.reports import int_columns as reads
from evalplatform.reports.int_columns import int_columns
from tests.factories import make_campaign

pytestmark = pytest.mark.django_db

NAMES = ["_twice", "id", "assignment_id", "_negative"]  # not in the SQL's order


@pytest.fixture
def judgments():
    campaign = make_campaign("likert-fce")
    simulate_campaign(campaign=campaign, workers=3, seed=2, hits_per_worker=1)
    return Judgment.objects.order_by("pk").annotate(
        _twice=F("id") * Value(2), _negative=Value(-(2**62), output_field=BigIntegerField())
    )


def expected_columns(query, names):
    rows = list(query.values_list(*names))
    assert len(rows) >= 10
    return [np.array([row[i] for row in rows], dtype=np.int64) for i in range(len(names))]


def assert_columns_equal(got, expected):
    assert len(got) == len(expected)
    for column, reference in zip(got, expected, strict=True):
        assert column.dtype == np.int64
        np.testing.assert_array_equal(column, reference)


def test_int_columns_give_the_orm_values_in_the_order_asked(judgments):
    assert_columns_equal(int_columns(judgments, NAMES), expected_columns(judgments, NAMES))


def test_the_cursor_read_gives_the_same_columns(judgments, monkeypatch):
    monkeypatch.setattr(reads, "_sqlite_joined", lambda query, width: None)
    assert_columns_equal(int_columns(judgments, NAMES), expected_columns(judgments, NAMES))


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's aggregate only")
def test_rows_past_sqlite_length_limit_are_read_through_the_cursor(judgments, monkeypatch):
    monkeypatch.setattr(reads, "_CHARS_PER_VALUE", 10**12)  # not one row fits
    fetched = []
    real = reads._fetched
    monkeypatch.setattr(reads, "_fetched", lambda *args: fetched.append(1) or real(*args))
    assert_columns_equal(int_columns(judgments, NAMES), expected_columns(judgments, NAMES))
    assert fetched


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's aggregate only")
def test_a_value_that_is_not_an_integer_or_is_null_is_refused(judgments):
    query = judgments.annotate(
        _half=Value(0.5, output_field=FloatField()),
        _none=Value(None, output_field=BigIntegerField()),
    )
    for name in ("_half", "_none"):
        with pytest.raises(ValueError, match="not a 64-bit integer, or is NULL"):
            int_columns(query, ["id", name])


def test_no_rows_give_empty_columns(judgments):
    got = int_columns(judgments.filter(pk__lt=0), NAMES)
    assert [len(column) for column in got] == [0] * len(NAMES)
    assert all(column.dtype == np.int64 for column in got)
