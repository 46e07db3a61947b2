"""The worker's "Bonus Validate" button: a check that pays for attention, not for probing.

Seed 002 lets the worker check a dialogue's bonus. Answered freely, that is an oracle: move
one card at a time and press again until the point appears. Here a check:
- is answered only once every response of the dialogue has its answers;
- runs once per dialogue and freezes that dialogue's answers (``Assignment.checked_items``,
  read by the answer upsert's WHERE), so nothing learnt from it can be used;
- answers every dialogue alike, gold or not: "checked, your answers are locked in", and
  never whether a point was earned. Points are counted at submit and shown on the completion
  page, as a total; a pass or fail per dialogue would tell the worker which dialogues carry
  gold, and so which ones nobody checks;
- is recorded, each press with its time, outcome and the answers at that moment
  (``BonusCheckRecord``), up to a bound per HIT, so the quality report shows who probed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from evalplatform.crowd.errors import AssignmentClosed, InvalidAnswer, SessionSuperseded
from evalplatform.crowd.models import (
    Assignment,
    BonusCheckOutcome,
    BonusCheckRecord,
    Judgment,
)
from evalplatform.crowd.selectors.shapes import campaign_rules, hit_shape
from evalplatform.crowd.services.judgments import SUPERSEDED, closed_reason, item_checked

# Presses recorded per dialogue of the HIT; past that the endpoint refuses and records nothing.
PRESSES_PER_ITEM = 3

MESSAGES = {
    BonusCheckOutcome.CHECKED: (
        "Checked: your answers to this dialogue are locked in. Bonus points are counted "
        "when you submit the HIT."
    ),
    BonusCheckOutcome.REPEATED: "This dialogue was checked already; its answers are locked in.",
    BonusCheckOutcome.UNFINISHED: "Sort every response first, then check.",
}


class TooManyChecks(InvalidAnswer):
    """More presses than a HIT allows."""

    status = 429


@dataclass(frozen=True)
class CheckResult:
    outcome: str
    message: str

    @property
    def locked(self) -> bool:
        return self.outcome != BonusCheckOutcome.UNFINISHED


@transaction.atomic
def bonus_check_run(
    *,
    assignment: Assignment,
    item_position: int,
    session: str | None = None,
    now: datetime | None = None,
) -> CheckResult:
    """Check one dialogue (see the module's docstring); the same answer for every
    dialogue in the same state. Raises ``AssignmentClosed`` once the HIT takes no answers,
    ``SessionSuperseded`` when ``session`` is given and another window has taken the HIT
    over since (a check freezes answers, so it writes like an answer),
    ``InvalidAnswer`` for a dialogue outside the HIT, ``TooManyChecks`` past the bound."""
    now = now or timezone.now()
    shape = hit_shape(assignment.hit)
    item = shape.item(item_position)
    if item is None:
        raise InvalidAnswer(f"Dialogue {item_position + 1} is not part of this HIT.")
    # The row lock orders the check against answers (which take FOR KEY SHARE on it).
    locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
    reason = closed_reason(locked, now)
    if reason:
        raise AssignmentClosed(reason)
    if session is not None and session != locked.session:
        raise SessionSuperseded(SUPERSEDED)
    presses = BonusCheckRecord.objects.filter(assignment=locked).count()
    if presses >= PRESSES_PER_ITEM * len(shape.items):
        raise TooManyChecks("No more checks can be run in this HIT.")
    answers = _answers_now(locked, item.id, item.candidates)
    needed = campaign_rules(assignment.hit.campaign).answers_needed(len(item.candidates))
    if item_checked(locked, item_position):
        outcome = BonusCheckOutcome.REPEATED
    elif sum(len(given) for given in answers.values()) < needed:
        outcome = BonusCheckOutcome.UNFINISHED
    else:
        outcome = BonusCheckOutcome.CHECKED
        marks = locked.checked_items.ljust(len(shape.items), "0")
        locked.checked_items = marks[:item_position] + "1" + marks[item_position + 1 :]
        locked.save(update_fields=["checked_items"])
        assignment.checked_items = locked.checked_items
    BonusCheckRecord.objects.create(
        assignment=locked, item_id=item.id, outcome=outcome, answers=answers, created_at=now
    )
    return CheckResult(outcome, MESSAGES[outcome])


def _answers_now(
    assignment: Assignment, item_id: int, candidates: dict[int, int]
) -> dict[str, dict[str, str]]:
    """{"<response position>" or "item": {"<criterion>": "<value>"}} as saved now."""
    position_of = {shown: position for position, shown in candidates.items()}
    answers: dict[str, dict[str, str]] = {}
    rows = Judgment.objects.filter(assignment=assignment, item_id=item_id).values_list(
        "item_candidate_id", "criterion__name", "score", "label"
    )
    for shown, criterion, score, label in rows:
        key = "item" if shown is None else str(position_of.get(shown, shown))
        answers.setdefault(key, {})[criterion] = label or str(score)
    return answers
