"""A cursor for the few statements every worker request runs, prepared once per connection.

On PostgreSQL, Django's cursors bind parameters on the client and never prepare, so each
answer had its token lookup, its upsert and its progress parsed and planned anew: about
half of the database's CPU per answer. This cursor binds on the server, and the settings'
``prepare_threshold`` (PostgreSQL only) lets psycopg prepare a statement the first time a
connection runs it. Only these cursors prepare (Django's own never do), so the ORM's
thousands of one-off statements stay unprepared. The statements run through them use
explicit column lists, so a migration that adds a column cannot break a prepared plan.
Other databases get Django's ordinary cursor, and so does a connection whose queries Django
logs (DEBUG, or a test that counts statements): psycopg leaves a prepared execution's text
unset, and the log would show None instead of the statement. The statements are the same.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection


@contextmanager
def prepared_cursor() -> Iterator[Any]:
    if connection.vendor != "postgresql" or connection.queries_logged:
        with connection.cursor() as cursor:
            yield cursor
        return
    # Imported here: the module needs psycopg, which a SQLite-only setup may not have.
    from django.db.backends.postgresql.base import ServerBindingCursor

    connection.ensure_connection()
    # _prepare_cursor is how Django wraps the cursors it makes (error translation); there is
    # no public way to ask it for another cursor class.
    # (django-stubs declare neither the method nor the cursor's psycopg constructor.)
    raw = ServerBindingCursor(connection.connection)  # type: ignore[call-arg]
    with connection._prepare_cursor(raw) as cursor:  # type: ignore[attr-defined]
        yield cursor
