"""Celery tasks: fetch by id, call one service. Only transient provider errors (throttling,
5xx, lost connections) are retried, with backoff: every call they repeat is idempotent
(tokens, ledger rows). The beat tasks only enqueue one task per campaign.

The tasks that decide on money take the id of the user who asked (the console passes
it); without one, the task itself is recorded as the decider.
"""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.contrib.auth import get_user_model
from django.db.models import Q

from evalplatform.campaigns.models import Campaign, CampaignStatus
from evalplatform.crowd.models import AssignmentStatus
from evalplatform.providers import services
from evalplatform.providers.errors import TransientProviderError
from evalplatform.providers.ledger import Actor

REMOTE = ("mturk", "prolific")
RETRY: dict[str, Any] = {
    "autoretry_for": (TransientProviderError,),
    "retry_backoff": 30,
    "retry_backoff_max": 900,
    "retry_jitter": True,
    "max_retries": 8,
}


def _campaign(campaign_id: int) -> Campaign:
    return Campaign.objects.get(pk=campaign_id)


def _actor(task_name: str, user_id: int | None) -> Actor:
    """The user who asked for the run, or the task when nobody did (the beat)."""
    if user_id is None:
        return Actor.task(task_name)
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return Actor(label=f"task {task_name}, asked by user #{user_id} (deleted)")
    return Actor.user(user)


def live_campaigns(providers: tuple[str, ...] = REMOTE) -> list[int]:
    """Campaigns on a remote provider that may still change there: open ones, and closed
    ones with submissions not yet reviewed."""
    open_ = Q(status__in=[CampaignStatus.PUBLISHED, CampaignStatus.COLLECTING])
    unreviewed = Q(
        status=CampaignStatus.CLOSED, hits__assignments__status=AssignmentStatus.SUBMITTED
    )
    return list(
        Campaign.objects.filter(provider__in=providers)
        .filter(open_ | unreviewed)
        .values_list("pk", flat=True)
        .distinct()
    )


@shared_task(name="evalplatform.providers.tasks.reconcile_all", soft_time_limit=60, time_limit=90)
def reconcile_all() -> int:
    ids = live_campaigns()
    for campaign_id in ids:
        reconcile_campaign.delay(campaign_id)
    return len(ids)


@shared_task(
    name="evalplatform.providers.tasks.enforce_worker_limits", soft_time_limit=60, time_limit=90
)
def enforce_worker_limits() -> int:
    ids = live_campaigns(("mturk",))
    for campaign_id in ids:
        enforce_campaign_worker_limits.delay(campaign_id)
    return len(ids)


@shared_task(
    name="evalplatform.providers.tasks.enforce_campaign_worker_limits",
    soft_time_limit=600,
    time_limit=660,
    **RETRY,
)
def enforce_campaign_worker_limits(campaign_id: int) -> int:
    return services.campaign_worker_limits_enforce(campaign=_campaign(campaign_id))


@shared_task(
    name="evalplatform.providers.tasks.reconcile_campaign",
    soft_time_limit=1500,
    time_limit=1560,
    **RETRY,
)
def reconcile_campaign(campaign_id: int, user_id: int | None = None) -> dict[str, int]:
    return services.campaign_provider_reconcile(
        campaign=_campaign(campaign_id), actor=_actor(reconcile_campaign.name, user_id)
    )


# Publishing 600 HITs at MTurk's pace can take many minutes; a run cut short is resumed by
# the next one (HITs already created are skipped, the rest keep their tokens).
@shared_task(
    name="evalplatform.providers.tasks.publish_campaign",
    soft_time_limit=3000,
    time_limit=3060,
    **RETRY,
)
def publish_campaign(campaign_id: int) -> dict[str, int]:
    return services.campaign_provider_publish(campaign=_campaign(campaign_id))


@shared_task(
    name="evalplatform.providers.tasks.approve_submitted",
    soft_time_limit=1500,
    time_limit=1560,
    **RETRY,
)
def approve_submitted(campaign_id: int, user_id: int | None = None) -> dict[str, int]:
    return services.campaign_submitted_approve(
        campaign=_campaign(campaign_id), actor=_actor(approve_submitted.name, user_id)
    )


@shared_task(
    name="evalplatform.providers.tasks.pay_bonuses", soft_time_limit=1500, time_limit=1560, **RETRY
)
def pay_bonuses(campaign_id: int, user_id: int | None = None) -> dict[str, int]:
    return services.campaign_bonuses_pay(
        campaign=_campaign(campaign_id), actor=_actor(pay_bonuses.name, user_id)
    )


@shared_task(
    name="evalplatform.providers.tasks.expire_campaign",
    soft_time_limit=1500,
    time_limit=1560,
    **RETRY,
)
def expire_campaign(campaign_id: int) -> None:
    services.campaign_provider_expire(campaign=_campaign(campaign_id))
