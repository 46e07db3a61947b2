"""Reads on one assignment's answers: which dialogues are finished, and its bonus points."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from evalplatform.crowd.models import Assignment, Judgment
from evalplatform.crowd.prepared import prepared_cursor
from evalplatform.crowd.scoring import GoldAnswer, gold_point
from evalplatform.crowd.selectors.shapes import CampaignRules, HitShape, campaign_rules, hit_shape


@dataclass(frozen=True)
class Progress:
    """Per item position: whether every question of the item has its answer."""

    complete: tuple[bool, ...]

    @property
    def total(self) -> int:
        return len(self.complete)

    @property
    def done(self) -> int:
        return sum(self.complete)

    @property
    def all_complete(self) -> bool:
        return all(self.complete)

    @property
    def first_incomplete(self) -> int | None:
        return next((pos for pos, done in enumerate(self.complete) if not done), None)

    def reachable(self, position: int) -> bool:
        """A dialogue may be opened once all before it are finished (no skipping ahead)."""
        first = self.first_incomplete
        return 0 <= position < self.total and (first is None or position <= first)


ANSWERED_PER_ITEM = (
    f"SELECT item_id, COUNT(*) FROM {Judgment._meta.db_table} "
    "WHERE assignment_id = %s GROUP BY item_id"
)


def progress_from_counts(
    shape: HitShape, rules: CampaignRules, answered: Mapping[int, int]
) -> Progress:
    """Progress from the number of answers stored per item id."""
    return Progress(
        complete=tuple(
            answered.get(item.id, 0) >= rules.answers_needed(len(item.candidates))
            for item in shape.items
        )
    )


def assignment_progress(assignment: Assignment) -> Progress:
    """One aggregate query; the criteria and the HIT's layout come from the shape caches."""
    # Plain SQL: this runs after every answer, and the ORM's compilation of the aggregate
    # cost more CPU than the database's work.
    hit = assignment.hit
    return progress_from_counts(
        hit_shape(hit), campaign_rules(hit.campaign), answered_per_item(assignment.pk)
    )


def answered_per_item(assignment_id: int) -> dict[int, int]:
    """The assignment's answers per item id."""
    with prepared_cursor() as cursor:
        cursor.execute(ANSWERED_PER_ITEM, [assignment_id])
        return dict(cursor.fetchall())


def _gold_points(assignment: Assignment, shape: HitShape, rule: str) -> dict[int, bool]:
    """Per gold response (ItemCandidate id): whether its answers earn the point under
    ``rule``, judged with the other answers of its dialogue (filler is never a gold item's
    neighbour). One query."""
    gold_items = [item for item in shape.items if item.gold]
    if not gold_items:
        return {}
    answers: dict[int, list[GoldAnswer]] = defaultdict(list)
    rows = Judgment.objects.filter(
        assignment_id=assignment.pk,
        item_id__in=[item.id for item in gold_items],
        item_candidate__isnull=False,
    ).values_list(
        "item_candidate_id",
        "criterion__kind",
        "score",
        "label",
        "criterion__scale_min",
        "criterion__scale_max",
    )
    for shown, kind, score, label, low, high in rows:
        answers[shown].append(
            GoldAnswer(kind=kind, score=score, label=label, scale_min=low, scale_max=high)
        )
    points = {}
    for item in gold_items:
        others = [answers[shown] for shown in item.candidates.values() if shown not in item.gold]
        for shown in item.gold:
            points[shown] = gold_point(answers[shown], others, rule)
    return points


def assignment_bonus_points(assignment: Assignment) -> tuple[int, int]:
    """(points earned, gold checks in the HIT) under the campaign's gold rule."""
    hit = assignment.hit
    shape = hit_shape(hit)
    return sum(_gold_points(assignment, shape, hit.campaign.gold_rule).values()), len(shape.gold)
