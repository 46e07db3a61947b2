"""A query's integer columns read into numpy, without a Python object per value.

The report reads millions of rows whose every column is an integer (ids packed by the
database, flags, microseconds). Through the cursor, each row becomes a tuple of Python
ints that numpy then copies: on SQLite that took four times what SQLite's own stepping
over the rows costs. There SQLite joins each column's values into one text
(``group_concat``), and numpy parses it in C; other databases go through the cursor.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
from django.db import connections
from django.db.models import QuerySet

CHUNK = 100_000
# An int64 written as text: at most 19 digits and a sign, then the separator.
_CHARS_PER_VALUE = 21


def int_columns(query: QuerySet, names: Sequence[str]) -> list[np.ndarray]:
    """The fields or annotations ``names`` of ``query``'s rows (each a non-NULL integer
    within 64 bits), an int64 array each, aligned row by row, in the order the database
    returns the rows (every caller here indexes them; none relies on an order)."""
    query = query.values_list(*names)
    selected = _selected(query)
    columns = None
    if connections[query.db].vendor == "sqlite":
        columns = _sqlite_joined(query, len(selected))
    if columns is None:
        columns = _fetched(query, len(selected))
    return [columns[selected.index(name)] for name in names]


def _selected(query: QuerySet) -> list[str]:
    """The names of the SQL's columns in its order, as Django's ``ValuesIterable`` reads
    them (that order is not always the order of ``names``)."""
    sql = query.query
    if sql.selected:
        return list(sql.selected)
    return [*sql.extra_select, *sql.values_select, *sql.annotation_select]


def raw_chunks(query: QuerySet) -> Iterator[list[tuple[Any, ...]]]:
    """The query's rows as the driver gives them, ``CHUNK`` at a time (a server-side
    cursor on PostgreSQL), without Django's per-value converters."""
    sql, params = query.query.sql_with_params()
    with connections[query.db].chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(CHUNK):
            yield chunk


def _fetched(query: QuerySet, width: int) -> list[np.ndarray]:
    layout = [(f"c{i}", np.int64) for i in range(width)]
    parts = [np.fromiter(chunk, dtype=layout, count=len(chunk)) for chunk in raw_chunks(query)]
    table = np.concatenate(parts) if parts else np.empty(0, dtype=layout)
    return [np.ascontiguousarray(table[f"c{i}"]) for i in range(width)]


def _sqlite_joined(query: QuerySet, width: int) -> list[np.ndarray] | None:
    """One aggregate over the rows: their count and each column's values joined by commas,
    parsed by numpy. None when the rows could pass the longest text SQLite builds (the
    connection's length limit, a billion characters by default): then the cursor."""
    connection = connections[query.db]
    connection.ensure_connection()
    most_rows = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_LENGTH) // _CHARS_PER_VALUE
    sql, params = query.query.sql_with_params()
    names = [f"c{i}" for i in range(width)]
    joined = ", ".join(f"group_concat(q.{name})" for name in names)
    # One row past the limit tells "too many" from "exactly as many as fit".
    aggregate = (
        f"WITH q({', '.join(names)}) AS ({sql}) "
        f"SELECT COUNT(*), {joined} FROM (SELECT * FROM q LIMIT {most_rows + 1}) AS q"
    )
    with connection.cursor() as cursor:
        cursor.execute(aggregate, params)
        count, *texts = cursor.fetchone()
    if count > most_rows:
        return None
    return [_parsed(text, count) for text in texts]


def _parsed(text: str | None, count: int) -> np.ndarray:
    """``count`` integers from their joined text (None: no rows)."""
    try:
        column = np.fromstring(text or "", dtype=np.int64, sep=",")
    except ValueError:
        column = None
    # Anything else (a real, or a NULL that group_concat skips) breaks the contract.
    if column is None or len(column) != count:
        raise ValueError("int_columns: a value is not a 64-bit integer, or is NULL")
    return column
