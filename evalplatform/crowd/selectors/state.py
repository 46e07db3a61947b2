"""The JSON state of an assignment, for ``GET .../api/state`` (browsers and the simulated
crowd read the same thing), and the assignment's answers as the task pages need them.

Constant in the size of the HIT: one query for the answers, one for every shown response
with its dialogue; criteria and the HIT's layout come from the shape caches."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from evalplatform.campaigns.models import CriterionKind
from evalplatform.crowd.models import Assignment, ItemCandidate, Judgment
from evalplatform.crowd.selectors.pages import (
    AnswerKey,
    ItemView,
    criterion_options,
    shown_item_view,
)
from evalplatform.crowd.selectors.progress import Progress, progress_from_counts
from evalplatform.crowd.selectors.shapes import campaign_rules, hit_shape


@dataclass(frozen=True)
class AssignmentAnswers:
    """Every answer of one assignment: per item position, (response position or None,
    criterion name) -> value; and the progress they make."""

    by_item: dict[int, dict[AnswerKey, str]]
    progress: Progress


def assignment_answers(assignment: Assignment) -> AssignmentAnswers:
    """One query (the answers' own columns; positions and names from the shape caches)."""
    hit = assignment.hit
    shape = hit_shape(hit)
    rules = campaign_rules(hit.campaign)
    names = {rule.id: rule.name for rule in rules.criteria}
    items = {item.id: item for item in shape.items}
    shown_positions = {
        shown_id: position for item in shape.items for position, shown_id in item.candidates.items()
    }
    by_item: dict[int, dict[AnswerKey, str]] = defaultdict(dict)
    counts: dict[int, int] = defaultdict(int)
    rows = Judgment.objects.filter(assignment_id=assignment.pk).values_list(
        "item_id", "item_candidate_id", "criterion_id", "score", "label"
    )
    for item_id, shown_id, criterion_id, score, label in rows:
        counts[item_id] += 1
        item = items.get(item_id)
        if item is None or criterion_id not in names:
            continue
        candidate = None if shown_id is None else shown_positions.get(shown_id)
        by_item[item.position][(candidate, names[criterion_id])] = label or str(score)
    return AssignmentAnswers(
        by_item=dict(by_item), progress=progress_from_counts(shape, rules, counts)
    )


def _item_json(view: ItemView, complete: bool) -> dict[str, Any]:
    return {
        "position": view.position,
        "complete": complete,
        "turns": [{"speaker": turn.side, "text": turn.text} for turn in view.turns],
        "responses": [
            {
                "handle": card.handle,
                "text": card.text,
                "label": next((q.label for q in card.questions if q.label), ""),
            }
            for card in view.candidates
        ],
        "answers": view.answers_json(),
    }


def assignment_state(assignment: Assignment) -> dict[str, Any]:
    hit = assignment.hit
    campaign = hit.campaign
    answers = assignment_answers(assignment)
    progress = answers.progress
    criteria = campaign_rules(campaign).models
    shown: dict[int, list[ItemCandidate]] = defaultdict(list)
    for item_candidate in (
        ItemCandidate.objects.filter(item__hit_id=hit.pk)
        .select_related("item__dialogue", "candidate", "filler_dialogue")
        .order_by("item__position", "position")
    ):
        shown[item_candidate.item.position].append(item_candidate)
    return {
        "status": assignment.status,
        "stage": assignment.stage,
        "position": assignment.position,
        "lease_expires_at": assignment.lease_expires_at.isoformat(),
        "protocol": campaign.protocol,
        "progress": {"done": progress.done, "total": progress.total},
        "criteria": [
            {
                "name": criterion.name,
                "question": criterion.question,
                "kind": criterion.kind,
                "about": "pair" if criterion.kind == CriterionKind.CHOICE else "response",
                "options": [
                    {"value": value, "caption": caption, "anchor": anchor}
                    for value, caption, anchor in criterion_options(
                        criterion, campaign.ab_allow_both_bad
                    )
                ],
            }
            for criterion in criteria
        ],
        "items": [
            _item_json(
                shown_item_view(
                    hit=hit,
                    candidates=shown[item.position],
                    answers=answers.by_item.get(item.position, {}),
                ),
                complete,
            )
            for item, complete in zip(hit_shape(hit).items, progress.complete, strict=True)
        ],
    }
