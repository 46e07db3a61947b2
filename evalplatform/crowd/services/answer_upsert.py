"""The answer upsert: one statement that writes validated answers only while the assignment
takes them, checked at the moment of writing (services/judgments.py says what it checks
and why it locks as it does), and on PostgreSQL counts the assignment's progress too."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection

from evalplatform.campaigns.models import Campaign
from evalplatform.crowd.models import Assignment, AssignmentStatus, Hit, Judgment, Worker
from evalplatform.crowd.prepared import prepared_cursor
from evalplatform.crowd.selectors.facts import AssignmentFacts


@dataclass(frozen=True)
class AnswerRow:
    """One validated answer, as the upsert writes it."""

    item_id: int
    shown_id: int | None
    criterion_id: int
    score: int | None
    label: str
    item_position: int = 0


def answers_upsert(
    assignment: Assignment,
    rows: list[AnswerRow],
    *,
    about_item: bool,
    now: datetime,
    session: str | None,
) -> tuple[bool, dict[int, int] | None]:
    """One statement -> (stored, answers per item id). Not stored when the assignment was no
    longer open at the moment of writing, or no longer the sending window's. On PostgreSQL
    the same statement counts the assignment's answers per item (the progress every answer
    returns): the judgments it read before writing, united with the rows it wrote (a changed
    answer is in both and counted once). Other databases count afterwards (None here)."""
    stamp = connection.ops.adapt_datetimefield_value(now)
    source = f"""
        FROM {Assignment._meta.db_table} a CROSS JOIN answer
        WHERE a.id = %s AND a.status = %s AND a.lease_expires_at > %s
        {"AND a.session = %s" if session is not None else ""}
          AND COALESCE(SUBSTR(a.checked_items, answer.slot, 1), '') <> '1'
    """
    params: list[Any] = [assignment.pk, AssignmentStatus.LEASED, stamp]
    if session is not None:
        params.append(session)
    return _write(
        rows,
        about_item=about_item,
        now=now,
        assignment_id=assignment.pk,
        simulated=("%s", [assignment.worker.simulated]),
        source=(source, params),
    )


def answers_upsert_cached(
    facts: AssignmentFacts, rows: list[AnswerRow], *, about_item: bool, now: datetime, session: str
) -> tuple[bool, dict[int, int] | None]:
    """As ``answers_upsert``, for an assignment known only by its remembered facts: the statement
    finds it by the token's claims (its id and worker) and stores nothing unless, at the
    moment of writing, it is leased, unexpired and this window's, every answer's dialogue
    was served and none is checked (all or nothing, so that the full path can say which
    answer it refuses), its HIT is the one remembered and its campaign unchanged since."""
    qn = connection.ops.quote_name
    adapt = connection.ops.adapt_datetimefield_value
    source = f"""
        FROM {qn(Assignment._meta.db_table)} a
        JOIN {qn(Hit._meta.db_table)} h ON h.id = a.hit_id
        JOIN {qn(Campaign._meta.db_table)} c ON c.id = h.campaign_id
        JOIN {qn(Worker._meta.db_table)} w ON w.id = a.worker_id
        CROSS JOIN answer
        WHERE a.id = %s AND a.worker_id = %s AND a.hit_id = %s AND h.created_at = %s
          AND c.id = %s AND c.updated_at = %s
          AND a.status = %s AND a.lease_expires_at > %s AND a.session = %s
          AND NOT EXISTS (
              SELECT 1 FROM answer refused WHERE refused.slot > a.items_shown
                  OR COALESCE(SUBSTR(a.checked_items, refused.slot, 1), '') = '1')
    """
    params: list[Any] = [
        facts.assignment_id,
        facts.worker_id,
        facts.hit_id,
        adapt(facts.hit_created_at),
        facts.campaign_id,
        adapt(facts.campaign_updated_at),
        AssignmentStatus.LEASED,
        adapt(now),
        session,
    ]
    return _write(
        rows,
        about_item=about_item,
        now=now,
        assignment_id=facts.assignment_id,
        simulated=("w.simulated", []),
        source=(source, params),
    )


def _write(
    rows: list[AnswerRow],
    *,
    about_item: bool,
    now: datetime,
    assignment_id: int,
    simulated: tuple[str, list[Any]],
    source: tuple[str, list[Any]],
) -> tuple[bool, dict[int, int] | None]:
    """The upsert of ``rows`` from ``source`` (a FROM ... WHERE naming the assignment ``a``
    and the CTE ``answer``, with its parameters), with the progress count on PostgreSQL."""
    table = Judgment._meta.db_table
    postgres = connection.vendor == "postgresql"
    same = "IS NOT DISTINCT FROM" if postgres else "IS"
    values = ", ".join(
        "(CAST(%s AS bigint), CAST(%s AS bigint), CAST(%s AS bigint), "
        "CAST(%s AS integer), CAST(%s AS varchar(10)), CAST(%s AS integer))"
        for _ in rows
    )
    if about_item:
        target = "(assignment_id, item_id, criterion_id) WHERE item_candidate_id IS NULL"
    else:
        target = (
            "(assignment_id, item_candidate_id, criterion_id) WHERE item_candidate_id IS NOT NULL"
        )
    # Table names come from the models; every value is a parameter.
    upsert = f"""
        INSERT INTO {table} (assignment_id, item_id, item_candidate_id, criterion_id, score,
                             label, simulated, created_at, updated_at)
        SELECT a.id, answer.item_id, answer.item_candidate_id, answer.criterion_id,
               answer.score, answer.label, {simulated[0]}, %s, %s
        {source[0]}
        {"FOR KEY SHARE OF a" if postgres else ""}
        ON CONFLICT {target} DO UPDATE SET
            score = excluded.score,
            label = excluded.label,
            updated_at = CASE
                WHEN {table}.score {same} excluded.score
                     AND {table}.label = excluded.label
                THEN {table}.updated_at ELSE excluded.updated_at END
    """
    answer = f"""
        WITH answer (item_id, item_candidate_id, criterion_id, score, label, slot)
            AS (VALUES {values})
    """
    if postgres:
        # A data-modifying WITH runs once however often it is read; the outer SELECT sees
        # the table as it was before the statement, hence the UNION with what was written.
        sql = f"""
            {answer}, saved AS ({upsert} RETURNING item_id, item_candidate_id, criterion_id)
            SELECT item_id, COUNT(*) FROM (
                SELECT item_id, item_candidate_id, criterion_id FROM {table}
                WHERE assignment_id = %s
                UNION SELECT item_id, item_candidate_id, criterion_id FROM saved
            ) answered
            WHERE EXISTS (SELECT 1 FROM saved)
            GROUP BY item_id
            UNION ALL SELECT NULL, COUNT(*) FROM saved
        """
    else:
        sql = f"{answer} {upsert} RETURNING id"
    params: list[Any] = []
    for row in rows:
        slot = row.item_position + 1  # SUBSTR counts from 1
        params += [row.item_id, row.shown_id, row.criterion_id, row.score, row.label, slot]
    stamp = connection.ops.adapt_datetimefield_value(now)
    params += [*simulated[1], stamp, stamp, *source[1]]
    if postgres:
        params.append(assignment_id)
    with prepared_cursor() as cursor:
        cursor.execute(sql, params)
        result = cursor.fetchall()
    if not postgres:
        return bool(result), None
    counts = {item_id: count for item_id, count in result if item_id is not None}
    written = next(count for item_id, count in result if item_id is None)
    return written > 0, counts
