"""Where the worker is, and how long each page was open, recorded on the server."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
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
    """A worker page was served: close the visit before it, open this one and remember
    the page as where to resume. Nothing is recorded for an assignment that is no longer
    leased (a completion page seen again)."""
    now = now or timezone.now()
    if page not in AssignmentStage.values:
        raise ValueError(f"Unknown worker page {page!r}.")
    locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if locked.status != AssignmentStatus.LEASED:
        return None
    PageVisit.objects.filter(assignment=locked, closed_at__isnull=True).update(closed_at=now)
    locked.stage = page
    if item_position is not None:
        locked.position = item_position
    locked.save(update_fields=["stage", "position"])
    assignment.stage, assignment.position = locked.stage, locked.position
    return PageVisit.objects.create(
        assignment=locked, page=page, item_position=item_position, opened_at=now
    )


@transaction.atomic
def page_visit_close(*, assignment: Assignment, visit_id: int, now: datetime | None = None) -> bool:
    """The worker left a page (the browser's pagehide beacon). Closing twice, or closing
    another assignment's visit, changes nothing; returns whether a visit was closed."""
    now = now or timezone.now()
    return bool(
        PageVisit.objects.filter(
            pk=visit_id, assignment=assignment, closed_at__isnull=True, opened_at__lte=now
        ).update(closed_at=now)
    )
