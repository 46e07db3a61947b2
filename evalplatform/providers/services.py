"""Provider services used by the admin and the Celery tasks.

Services that call a provider are deliberately not one transaction: a network call inside
a transaction would hold locks for its duration, and a rollback after a successful call
would forget money that moved. Instead each write around a call is its own committed
transaction (ledger.py, publish.hit_record_published), recorded before the call and
marked after, so that a crash or a retry at any point neither loses nor repeats anything.
State guards come first, as everywhere. The services that decide on money take the
``actor`` who decides (a console user, or a task) and record it on the ledger rows.
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any

from django.db.models import Count

from evalplatform.campaigns.models import Campaign, CampaignStatus
from evalplatform.common.errors import ApplicationError, InvalidTransition
from evalplatform.crowd.models import Assignment, AssignmentStatus, Item
from evalplatform.crowd.services import campaign_publish_hits, hits_expire
from evalplatform.providers import ledger
from evalplatform.providers.base import CostEstimate, SupportsBulkBonuses, SupportsWorkerLimits
from evalplatform.providers.bonuses import bonus_due
from evalplatform.providers.errors import ProviderError, TransientProviderError
from evalplatform.providers.ledger import Actor, deciding
from evalplatform.providers.models import BonusPayment, CallState, ReviewDecision
from evalplatform.providers.registry import campaign_provider

logger = logging.getLogger(__name__)
PUBLISHABLE = (CampaignStatus.READY, CampaignStatus.PUBLISHED, CampaignStatus.COLLECTING)
LIVE = (CampaignStatus.PUBLISHED, CampaignStatus.COLLECTING)


def _environment(provider: Any) -> str:
    return str(getattr(provider, "environment", ""))


def campaign_cost_estimate(*, campaign: Campaign) -> CostEstimate:
    return campaign_provider(campaign).estimate_cost(campaign)


def campaign_provider_publish(*, campaign: Campaign) -> dict[str, int]:
    """Build and open the HITs (once), then publish them on the provider; resumable."""
    campaign.refresh_from_db()
    if campaign.status not in PUBLISHABLE:
        raise InvalidTransition(
            f"Campaign {campaign.name!r} is {campaign.get_status_display().lower()}; only a "
            "ready campaign is published (or a published one resumed)."
        )
    provider = campaign_provider(campaign)
    if provider.name == "local":
        return {"published": provider.publish(campaign)}
    # Open first: leases need a published campaign, and MTurk workers can only arrive for
    # HITs that exist on MTurk, Prolific participants once the study is live.
    campaign_publish_hits(campaign=campaign)
    published = provider.publish(campaign)
    result = {"published": published}
    last = getattr(provider, "last_publish", None)
    if last is not None:
        result.update(
            created=last.created,
            recovered=last.recovered,
            already=last.already,
            retries=last.retries,
        )
    return result


def campaign_provider_reconcile(*, campaign: Campaign, actor: Actor) -> dict[str, int]:
    """Bring our records in line with the provider's; decisions the provider made itself
    are recorded as the provider's, found by ``actor``."""
    with deciding(actor):
        return dict(campaign_provider(campaign).reconcile(campaign))


def assignment_provider_approve(*, assignment: Assignment, actor: Actor) -> None:
    if assignment.status not in (AssignmentStatus.SUBMITTED, AssignmentStatus.APPROVED):
        raise InvalidTransition(f"Assignment {assignment.pk} is {assignment.status}.")
    with deciding(actor):
        campaign_provider(assignment.hit.campaign).approve(assignment)


def assignment_provider_reject(
    *, assignment: Assignment, reason: str, actor: Actor, category: str = ""
) -> None:
    if assignment.status not in (AssignmentStatus.SUBMITTED, AssignmentStatus.REJECTED):
        raise InvalidTransition(f"Assignment {assignment.pk} is {assignment.status}.")
    if not reason.strip():
        raise ApplicationError("A rejection needs a reason; the worker reads it.")
    provider = campaign_provider(assignment.hit.campaign)
    with deciding(actor):
        if category and provider.name == "prolific":
            provider.reject(assignment, reason=reason, category=category)
        else:
            provider.reject(assignment, reason=reason)


def campaign_submitted_approve(*, campaign: Campaign, actor: Actor) -> dict[str, int]:
    """Approve every submitted assignment that verifies against the provider's record.
    Those that do not are left for the researcher (counted as ``unverified``)."""
    with deciding(actor):
        return _submitted_approve(campaign)


def _submitted_approve(campaign: Campaign) -> dict[str, int]:
    provider = campaign_provider(campaign)
    counts: Counter[str] = Counter()
    decided = ReviewDecision.objects.filter(state=CallState.SENT).values("assignment")
    pending = (
        Assignment.objects.filter(hit__campaign=campaign, status=AssignmentStatus.SUBMITTED)
        .exclude(pk__in=decided)
        .select_related("worker", "hit__campaign")
        .order_by("pk")
    )
    for assignment in pending:
        try:
            provider.approve(assignment)
            counts["approved"] += 1
        except TransientProviderError:
            raise
        except (ProviderError, InvalidTransition) as error:
            counts["unverified"] += 1
            logger.warning("Assignment %s not approved: %s", assignment.pk, error.message)
    return dict(counts)


def campaign_bonuses_pay(*, campaign: Campaign, actor: Actor) -> dict[str, int]:
    """Record the bonus each approved assignment earned (once per assignment and rule),
    decided by ``actor``, then pay every recorded bonus not yet paid."""
    with deciding(actor):
        return _bonuses_pay(campaign)


def _bonuses_pay(campaign: Campaign) -> dict[str, int]:
    provider = campaign_provider(campaign)
    env = _environment(provider)
    gold = dict(
        Item.objects.filter(hit__campaign=campaign, has_gold=True)
        .values("hit")
        .annotate(n=Count("pk"))
        .values_list("hit", "n")
    )
    recorded = 0
    approved = (
        Assignment.objects.filter(hit__campaign=campaign, status=AssignmentStatus.APPROVED)
        .exclude(bonuses__isnull=False)
        .select_related("hit__campaign", "worker")
    )
    for assignment in approved:
        due = bonus_due(assignment, gold_items=gold.get(assignment.hit_id, 0))
        if due is not None:
            ledger.bonus_record(
                assignment=assignment,
                amount=due.amount,
                reason=due.reason,
                rule=due.rule,
                environment=env,
            )
            recorded += 1
    pending = list(
        BonusPayment.objects.filter(
            assignment__hit__campaign=campaign, state=CallState.PENDING
        ).select_related("assignment__hit", "worker")
    )
    if isinstance(provider, SupportsBulkBonuses):
        paid = provider.pay_bonuses(pending)
    else:  # the local provider records what is owed; no money moves through us
        paid = 0
        for bonus in pending:
            provider.pay_bonus(bonus.assignment, amount=bonus.amount, reason=bonus.reason)
            ledger.bonus_mark(bonus=bonus, state=CallState.SENT)
            paid += 1
    return {"recorded": recorded, "paid": paid}


def campaign_provider_expire(*, campaign: Campaign) -> None:
    """Stop handing out the campaign's HITs here and on the provider (work in progress may
    still be submitted)."""
    if campaign.status not in (*LIVE, CampaignStatus.CLOSED):
        raise InvalidTransition(f"Campaign {campaign.name!r} was never published.")
    hits_expire(campaign=campaign)
    campaign_provider(campaign).expire(campaign)


def campaign_worker_limits_enforce(*, campaign: Campaign) -> int:
    provider = campaign_provider(campaign)
    if not isinstance(provider, SupportsWorkerLimits):
        return 0  # enforced at lease time only
    return provider.enforce_worker_limits(campaign)
