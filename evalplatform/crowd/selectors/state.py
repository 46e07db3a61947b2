"""The JSON state of an assignment, for ``GET .../api/state`` (browsers and the simulated
crowd read the same thing)."""

from __future__ import annotations

from typing import Any

from evalplatform.campaigns.models import CriterionKind
from evalplatform.crowd.models import Assignment
from evalplatform.crowd.selectors.pages import ItemView, criterion_options, item_view
from evalplatform.crowd.selectors.progress import assignment_progress


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
    campaign = assignment.hit.campaign
    progress = assignment_progress(assignment)
    criteria = list(campaign.criteria.all())
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
                item_view(hit=assignment.hit, position=position, assignment=assignment),
                progress.complete[position],
            )
            for position in range(progress.total)
        ],
    }
