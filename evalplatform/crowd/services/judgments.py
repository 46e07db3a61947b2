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

``judgments_save_cached`` is the API's path when the process remembers the token
(``selectors.facts``): the assignment is not loaded first, and every check above, the
pages served included, is in the upsert's WHERE, with the same lock. On PostgreSQL an
answer is then one statement in all. When it stores nothing, ``judgments_save`` says why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from evalplatform.crowd.errors import AssignmentClosed, InvalidAnswer, SessionSuperseded
from evalplatform.crowd.models import Assignment, AssignmentStatus, Judgment
from evalplatform.crowd.selectors.facts import AssignmentFacts
from evalplatform.crowd.selectors.progress import (
    Progress,
    answered_per_item,
    assignment_progress,
    progress_from_counts,
)
from evalplatform.crowd.selectors.shapes import (
    CampaignRules,
    HitShape,
    ItemShape,
    campaign_rules,
    campaign_rules_at,
    hit_shape,
    hit_shape_at,
)
from evalplatform.crowd.services.answer_upsert import (
    AnswerRow,
    answers_upsert,
    answers_upsert_cached,
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
    rows: dict[tuple[int, int | None, int], AnswerRow] = {}
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
        stored, answered = answers_upsert(
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


def judgments_save_cached(
    *,
    facts: AssignmentFacts,
    answers: Sequence[AnswerIn],
    session: str,
    now: datetime | None = None,
) -> Saved | None:
    """``judgments_save`` for an assignment known by its remembered facts
    (``selectors.facts``), without loading it first: on PostgreSQL one statement for the
    answers and their progress. Returns None, having stored nothing, whenever it cannot
    store every answer: one does not fit the HIT or the campaign, the assignment is closed,
    another window's, or refuses one of them (page not served, dialogue checked), or what
    was remembered is out of date. The caller then loads the assignment and calls
    ``judgments_save``, which refuses exactly as it always does (one lookup more, only on
    that path)."""
    now = now or timezone.now()
    if not answers or len(answers) > MAX_ANSWERS_PER_REQUEST:
        return None
    rules = campaign_rules_at(facts.campaign_id, facts.campaign_updated_at, facts.ab_allow_both_bad)
    shape = hit_shape_at(facts.hit_id, facts.hit_created_at)
    rows: dict[tuple[int, int | None, int], AnswerRow] = {}
    for answer in answers:
        try:
            row = _row(answer, rules, _item(answer, shape))
        except InvalidAnswer:
            return None
        rows[(row.item_id, row.shown_id, row.criterion_id)] = row
    about_item = {row.shown_id is None for row in rows.values()}
    if len(about_item) != 1:  # two upserts (their conflict targets differ): the full path
        return None
    stored, answered = answers_upsert_cached(
        facts, list(rows.values()), about_item=about_item.pop(), now=now, session=session
    )
    if not stored:
        return None
    if answered is None:
        answered = answered_per_item(facts.assignment_id)
    return Saved(
        [AnswerOutcome(answer) for answer in answers], progress_from_counts(shape, rules, answered)
    )


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
) -> AnswerRow:
    item = _item(answer, shape)
    if item.position >= assignment.items_shown:
        # Answers follow the page order the worker saw: the page is served first.
        raise InvalidAnswer(
            f"Dialogue {_human(item.position)} has not been shown to you yet; open its page first."
        )
    if item_checked(assignment, item.position):
        raise InvalidAnswer(LOCKED_MESSAGE)
    return _row(answer, rules, item)


def _item(answer: AnswerIn, shape: HitShape) -> ItemShape:
    item = shape.item(answer.item)
    if item is None:
        raise InvalidAnswer(f"Dialogue {_human(answer.item)} is not part of this HIT.")
    return item


def _row(answer: AnswerIn, rules: CampaignRules, item: ItemShape) -> AnswerRow:
    """The answer's row, validated against the HIT's layout and the campaign's criteria
    (what the assignment allows is checked by the caller)."""
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
    return AnswerRow(item.id, shown_id, rule.id, score, label, item.position)


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


def _human(position: int) -> str:
    """Positions count from 0 in the API and from 1 on the page."""
    return str(position + 1) if position >= 0 else str(position)
