"""What never changes about a token's assignment, remembered per process for the answer path.

An answer needs the assignment's HIT (its layout) and campaign (its criteria) to validate
the answer before writing it. Reading them is the token lookup, one statement per request.
A token names an assignment and its worker, and neither the assignment's worker nor its HIT
ever changes (``assignment_lease`` gives a lapsed assignment back to the same worker, on the
same HIT), nor does a HIT's campaign. Those are kept here. Everything that does change is
never taken from here: the answer's own statement re-checks the assignment's status, lease,
window nonce, pages served and checked dialogues at the moment it writes, and checks that
the campaign's ``updated_at`` and the HIT's ``created_at`` are the ones remembered. A
campaign saved since (paused, stopped, edited) or a HIT rebuilt under a reused id therefore
stores nothing, and the request falls back to the full lookup (``judgments_save_cached``).

Bounded; filled by every token lookup of this process (``tokens.assignment_from_claims``),
and by ``facts_for`` for a token the answer path sees first: it reads only these facts
(one narrow statement, no model built) and then saves as for a remembered token.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime

from evalplatform.crowd.models import Assignment
from evalplatform.crowd.selectors.lookup import assignment_facts_row

CAPACITY = 8192


@dataclass(frozen=True)
class AssignmentFacts:
    assignment_id: int
    worker_id: int
    hit_id: int
    hit_created_at: datetime
    campaign_id: int
    # As last read: the answer's statement stores nothing unless they are still current.
    campaign_updated_at: datetime
    ab_allow_both_bad: bool


_facts: dict[tuple[int, int], AssignmentFacts] = {}
_lock = threading.Lock()  # gthread workers share the dict between threads


def facts_remember(assignment: Assignment) -> None:
    """Keep what the answer path needs of an assignment loaded with its HIT and campaign."""
    hit = assignment.hit
    campaign = hit.campaign
    facts = AssignmentFacts(
        assignment_id=assignment.pk,
        worker_id=assignment.worker_id,
        hit_id=hit.pk,
        hit_created_at=hit.created_at,
        campaign_id=campaign.pk,
        campaign_updated_at=campaign.updated_at,
        ab_allow_both_bad=campaign.ab_allow_both_bad,
    )
    _remember(facts)


def _remember(facts: AssignmentFacts) -> None:
    key = (facts.assignment_id, facts.worker_id)
    with _lock:
        if _facts.get(key) == facts:
            return
        _facts.pop(key, None)
        if len(_facts) >= CAPACITY:
            del _facts[next(iter(_facts))]  # the oldest entry
        _facts[key] = facts


def facts_get(assignment_id: int, worker_id: int) -> AssignmentFacts | None:
    return _facts.get((assignment_id, worker_id))


def facts_for(assignment_id: int, worker_id: int) -> AssignmentFacts | None:
    """The remembered facts, or else read (and remembered) now; None when no assignment of
    that worker has that id."""
    facts = _facts.get((assignment_id, worker_id))
    if facts is not None:
        return facts
    row = assignment_facts_row(assignment_id, worker_id)
    if row is None:
        return None
    # The row's columns are the fields after the two ids, in order (lookup.FACTS_COLUMNS).
    facts = AssignmentFacts(assignment_id, worker_id, *row)
    _remember(facts)
    return facts


def facts_forget(assignment_id: int, worker_id: int) -> None:
    with _lock:
        _facts.pop((assignment_id, worker_id), None)


def clear_facts() -> None:
    with _lock:
        _facts.clear()
