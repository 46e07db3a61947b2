"""Where the worker is, and how long each page was open, recorded on the server."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone

from evalplatform.crowd.models import Assignment, AssignmentStage, AssignmentStatus, PageVisit


@transaction.atomic
def page_visit_open(
    *,
    assignment: Assignment,
    page: str,
    item_position: int | None = None,
    now: datetime | None = None,
) -> PageVisit | None:
    """A worker page was served: close the visit before it, open this one, remember the
    page as where to resume, and give this window the assignment: a new session nonce,
    which its answers carry, so that a window opened earlier stops saving instead of
    overwriting (``judgments_save``). Nothing is recorded for an assignment that is no
    longer leased (a completion page seen again)."""
    now = now or timezone.now()
    if page not in AssignmentStage.values:
        raise ValueError(f"Unknown worker page {page!r}.")
    position = assignment.position if item_position is None else item_position
    session = _new_session()
    # The UPDATE takes the assignment's row lock for the rest of the transaction, so two
    # tabs opening pages at once close each other's visits in turn, never both left open.
    changes: dict[str, object] = {"stage": page, "position": position}
    if page == AssignmentStage.TASK and item_position is not None:
        # Answers may go to this dialogue and those before it from now on.
        changes["items_shown"] = Greatest(F("items_shown"), item_position + 1)
    moved = Assignment.objects.filter(pk=assignment.pk, status=AssignmentStatus.LEASED).update(
        **changes, session=session
    )
    if not moved:
        return None
    PageVisit.objects.filter(assignment_id=assignment.pk, closed_at__isnull=True).update(
        closed_at=now
    )
    assignment.stage, assignment.position, assignment.session = page, position, session
    if "items_shown" in changes and item_position is not None:
        assignment.items_shown = max(assignment.items_shown, item_position + 1)
    return PageVisit.objects.create(
        assignment=assignment, page=page, item_position=item_position, opened_at=now
    )


def assignment_session_take(*, assignment: Assignment) -> str | None:
    """Give a client without pages (the JSON API alone) the assignment, as opening a page
    gives it to a window: a new session nonce, which its answers must carry, so that any
    window or client before it stops saving. None once the assignment is no longer leased."""
    session = _new_session()
    taken = Assignment.objects.filter(pk=assignment.pk, status=AssignmentStatus.LEASED).update(
        session=session
    )
    if not taken:
        return None
    assignment.session = session
    return session


def _new_session() -> str:
    return secrets.token_urlsafe(12)


@transaction.atomic
def page_visit_close(
    *,
    assignment: Assignment,
    visit_id: int,
    now: datetime | None = None,
    simulated_seconds: float | None = None,
) -> bool:
    """The worker left a page (the browser's pagehide beacon). Closing twice, or closing
    another assignment's visit, changes nothing; returns whether a visit was closed.

    A simulated worker (made by the researcher's simulated crowd, never by a crowd
    provider) declares how long it "spent" on the page; everyone else is timed by the
    server's clock.
    """
    now = now or timezone.now()
    visits = PageVisit.objects.filter(
        pk=visit_id, assignment=assignment, closed_at__isnull=True, opened_at__lte=now
    )
    if simulated_seconds is not None and assignment.simulated:
        visit = visits.first()
        if visit is None:
            return False
        seconds = min(max(float(simulated_seconds), 0.0), 24 * 3600.0)
        visit.closed_at = visit.opened_at + timedelta(seconds=seconds)
        visit.save(update_fields=["closed_at"])
        return True
    return bool(visits.update(closed_at=now))
