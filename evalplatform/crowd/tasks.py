"""Celery tasks of crowd work (scheduled by CELERY_BEAT_SCHEDULE in settings)."""

from __future__ import annotations

from celery import shared_task

from evalplatform.crowd.services import assignment_expire_leases


@shared_task(name="evalplatform.crowd.tasks.expire_leases", soft_time_limit=50, time_limit=60)
def expire_leases() -> int:
    """Return abandoned slots to the pool (every minute); idempotent, returns how many."""
    return assignment_expire_leases()
