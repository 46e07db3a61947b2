"""Reads on crowd work."""

from evalplatform.crowd.selectors.counts import campaign_crowd_counts
from evalplatform.crowd.selectors.pages import hit_brief, item_view, warmup_view
from evalplatform.crowd.selectors.progress import (
    Progress,
    assignment_bonus_points,
    assignment_progress,
)
from evalplatform.crowd.selectors.state import assignment_answers, assignment_state

__all__ = [
    "Progress",
    "assignment_answers",
    "assignment_bonus_points",
    "assignment_progress",
    "assignment_state",
    "campaign_crowd_counts",
    "hit_brief",
    "item_view",
    "warmup_view",
]
