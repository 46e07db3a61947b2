"""Saving a worker's answers, each validated on the server and upserted on its unique key.

An answer is one statement: ``INSERT ... SELECT ... FROM assignment WHERE <still open> ...
ON CONFLICT DO UPDATE``. The open check is part of the write, so an answer can never land
in an assignment that was submitted, returned or expired first. On PostgreSQL the select
takes ``FOR KEY SHARE`` on the assignment row (the same lock the judgment's foreign key
check takes anyway): answers do not block each other, but ``assignment_submit`` (``FOR
UPDATE``) waits for an answer being written, and an answer arriving during a submit waits
for it and then sees the assignment submitted (READ COMMITTED re-checks the row), so it is
refused rather than stored behind the submission's back. SQLite serialises writers itself.
Nothing else is locked: not the campaign, the HIT or the worker.

Two more guards, read from the assignment row the request loaded (no extra statement):
answers follow the page order (a dialogue whose page was never served is refused), and a
dialogue whose bonus check was run is frozen; the freeze is also part of the upsert's WHERE
(``checked_items``), so an answer racing the check cannot land after it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection
from django.utils import timezone

from evalplatform.crowd.errors import AssignmentClosed, InvalidAnswer, SessionSuperseded
from evalplatform.crowd.models import Assignment, AssignmentStatus, Judgment
from evalplatform.crowd.prepared import prepared_cursor
from evalplatform.crowd.selectors.progress import (
    Progress,
    assignment_progress,
    progress_from_counts,
)
from evalplatform.crowd.selectors.shapes import (
    CampaignRules,
    HitShape,
    ItemShape,
    campaign_rules,
    hit_shape,
)

DONE_STATUSES = (AssignmentStatus.SUBMITTED, AssignmentStatus.APPROVED, AssignmentStatus.REJECTED)
SUPERSEDED = (
    "This HIT was opened in another window; this one has stopped saving. Reload this page "
    "to continue here instead."
)
LOCKED_MESSAGE = (
    "You ran this dialogue's bonus check, which locked its answers in; they can no longer change."
)
# One HIT's worth of answers (10 dialogues x 5 responses x 4 criteria) fits in one request.
MAX_ANSWERS_PER_REQUEST = 200


@dataclass(frozen=True)
class AnswerIn:
    """``item`` is the dialogue's position in the HIT, ``candidate`` the response's position
    as shown (None for A/B, whose answer is about the pair), ``criterion`` the criterion's
    name and ``value`` one of its allowed values."""

    item: int
    criterion: str
    value: str
    candidate: int | None = None


@dataclass(frozen=True)
class AnswerOutcome:
    answer: AnswerIn
    error: str = ""  # empty when the answer is stored

    @property
    def stored(self) -> bool:
        return not self.error


@dataclass(frozen=True)
class Saved:
    """Each answer's outcome, and the assignment's progress once they are stored."""

    outcomes: list[AnswerOutcome]
    progress: Progress


@dataclass(frozen=True)
class _Row:
    item_id: int
    shown_id: int | None
    criterion_id: int
    score: int | None
    label: str
    item_position: int = 0


def item_checked(assignment: Assignment, position: int) -> bool:
    """Whether the dialogue's bonus check was run (its answers are then frozen)."""
    return assignment.checked_items[position : position + 1] == "1"


def closed_reason(assignment: Assignment, now: datetime) -> str | None:
    """Why the assignment takes no answers, or None while it does."""
    if assignment.status in DONE_STATUSES:
        return "This HIT was already submitted; its answers can no longer change."
    if assignment.status != AssignmentStatus.LEASED:
        return "This HIT is no longer yours: it was returned or its time ran out."
    if assignment.lease_expires_at <= now:
        return (
            "Your time for this HIT ran out at "
            f"{assignment.lease_expires_at:%H:%M} UTC; answers can no longer be saved."
        )
    return None


def judgments_save(
    *,
    assignment: Assignment,
    answers: Sequence[AnswerIn],
    session: str | None = None,
    now: datetime | None = None,
) -> Saved:
    """Store several answers of a leased assignment, each validated and acknowledged on its
    own: an answer that does not fit is refused (its outcome says why) without stopping the
    others; returns the outcomes with the progress they leave (on PostgreSQL counted by the
    write itself, no statement more). Idempotent per answer; a new value replaces the old
    one; within one call the last answer to the same question wins. Raises
    ``AssignmentClosed`` (nothing stored) when the assignment no longer takes answers, also
    when that changed a moment ago, and ``SessionSuperseded`` when ``session`` (the nonce of
    the window that sends them) is no longer the assignment's: another window opened it
    since, and took it over."""
    now = now or timezone.now()
    reason = closed_reason(assignment, now)
    if reason:
        raise AssignmentClosed(reason)
    if session is not None and session != assignment.session:
        raise SessionSuperseded(SUPERSEDED)
    if len(answers) > MAX_ANSWERS_PER_REQUEST:
        raise InvalidAnswer(f"Send at most {MAX_ANSWERS_PER_REQUEST} answers at once.")
    rules = campaign_rules(assignment.hit.campaign)
    shape = hit_shape(assignment.hit)
    outcomes = []
    rows: dict[tuple[int, int | None, int], _Row] = {}
    for answer in answers:
        try:
            row = _resolve(answer, rules, shape, assignment)
        except InvalidAnswer as error:
            outcomes.append(AnswerOutcome(answer, error.message))
            continue
        rows[(row.item_id, row.shown_id, row.criterion_id)] = row
        outcomes.append(AnswerOutcome(answer))
    answered: dict[int, int] | None = None
    for about_item in (False, True):
        group = [row for row in rows.values() if (row.shown_id is None) == about_item]
        if not group:
            continue
        stored, answered = _upsert(
            assignment, group, about_item=about_item, now=now, session=session
        )
        if not stored:
            current = Assignment.objects.only("status", "lease_expires_at", "session").get(
                pk=assignment.pk
            )
            reason = closed_reason(current, now)
            if reason:
                raise AssignmentClosed(reason)
            if session is not None and current.session != session:
                raise SessionSuperseded(SUPERSEDED)
            # Still open and this window's: the dialogue was checked (frozen) between
            # reading and writing.
            raise InvalidAnswer(LOCKED_MESSAGE)
    progress = (
        assignment_progress(assignment)
        if answered is None
        else progress_from_counts(shape, rules, answered)
    )
    return Saved(outcomes, progress)


def judgment_save(
    *,
    assignment: Assignment,
    item_position: int,
    criterion: str,
    value: str,
    candidate_position: int | None = None,
    now: datetime | None = None,
) -> Judgment:
    """Store one answer (see ``judgments_save``) and return it; refused with
    ``InvalidAnswer`` / ``AssignmentClosed`` and nothing stored when anything does not fit."""
    answer = AnswerIn(item_position, criterion, value, candidate_position)
    (outcome,) = judgments_save(assignment=assignment, answers=[answer], now=now).outcomes
    if outcome.error:
        raise InvalidAnswer(outcome.error)
    keys = {"item__position": item_position, "criterion__name": criterion}
    if candidate_position is None:
        keys["item_candidate__isnull"] = True
    else:
        keys["item_candidate__position"] = candidate_position
    return Judgment.objects.get(assignment=assignment, **keys)


def _resolve(
    answer: AnswerIn, rules: CampaignRules, shape: HitShape, assignment: Assignment
) -> _Row:
    item = shape.item(answer.item)
    if item is None:
        raise InvalidAnswer(f"Dialogue {_human(answer.item)} is not part of this HIT.")
    if item.position >= assignment.items_shown:
        # Answers follow the page order the worker saw: the page is served first.
        raise InvalidAnswer(
            f"Dialogue {_human(item.position)} has not been shown to you yet; open its page first."
        )
    if item_checked(assignment, item.position):
        raise InvalidAnswer(LOCKED_MESSAGE)
    rule = rules.get(answer.criterion)
    if rule is None:
        raise InvalidAnswer(f"This HIT asks no question named {answer.criterion!r}.")
    shown_id = _shown_candidate(item, rule.about_item, answer.candidate)
    if answer.value not in rule.allowed:
        raise InvalidAnswer(
            f"{answer.value!r} is not an answer to {rule.name!r}: "
            f"choose one of {', '.join(rule.allowed)}."
        )
    score = int(answer.value) if rule.numeric else None
    label = "" if rule.numeric else answer.value
    return _Row(item.id, shown_id, rule.id, score, label, item.position)


def _shown_candidate(item: ItemShape, about_item: bool, candidate: int | None) -> int | None:
    if about_item:
        if candidate is not None:
            raise InvalidAnswer(
                "This question is about the two responses together: send no response."
            )
        return None
    if candidate is None:
        raise InvalidAnswer("Say which response this answer is about.")
    shown = item.candidates.get(candidate)
    if shown is None:
        raise InvalidAnswer(
            f"Response {_human(candidate)} is not part of dialogue {_human(item.position)}."
        )
    return shown


def _upsert(
    assignment: Assignment,
    rows: list[_Row],
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
    table = Judgment._meta.db_table
    assignments = Assignment._meta.db_table
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
               answer.score, answer.label, %s, %s, %s
        FROM {assignments} a CROSS JOIN answer
        WHERE a.id = %s AND a.status = %s AND a.lease_expires_at > %s
        {"AND a.session = %s" if session is not None else ""}
          AND COALESCE(SUBSTR(a.checked_items, answer.slot, 1), '') <> '1'
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
    params += [assignment.worker.simulated, stamp, stamp]
    params += [assignment.pk, AssignmentStatus.LEASED, stamp]
    if session is not None:
        params.append(session)
    if postgres:
        params.append(assignment.pk)
    with prepared_cursor() as cursor:
        cursor.execute(sql, params)
        result = cursor.fetchall()
    if not postgres:
        return bool(result), None
    counts = {item_id: count for item_id, count in result if item_id is not None}
    written = next(count for item_id, count in result if item_id is None)
    return written > 0, counts


def _human(position: int) -> str:
    """Positions count from 0 in the API and from 1 on the page."""
    return str(position + 1) if position >= 0 else str(position)
