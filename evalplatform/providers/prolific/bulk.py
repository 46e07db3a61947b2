"""Prolific bonuses, paid in bulk and exactly once.

Prolific's pay endpoint is not idempotent (a second call pays again), so each bulk payment
is a row that moves CREATED -> PAYING (committed before the pay call) -> PAID. A row left in
PAYING by a crash is never paid again automatically: its bonuses are marked UNCERTAIN for
the researcher to check on Prolific's website.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from evalplatform.providers.errors import ProviderError, TransientProviderError
from evalplatform.providers.models import (
    BonusPayment,
    BulkState,
    CallState,
    ProlificBulkBonus,
    ProlificStudy,
)
from evalplatform.providers.prolific.client import ProlificClient


def _set_up(
    client: ProlificClient, study: ProlificStudy, bonuses: list[BonusPayment]
) -> ProlificBulkBonus | None:
    ids = [b.pk for b in bonuses]
    # Read the rows again: the caller's list may be stale if another run got there first.
    fresh = list(
        BonusPayment.objects.filter(pk__in=ids, state=CallState.PENDING, bulk__isnull=True)
        .select_related("assignment")
        .order_by("pk")
    )
    if not fresh:
        return None
    csv = "".join(f"{b.assignment.provider_assignment_id},{b.amount:.2f}\n" for b in fresh)
    remote = client.set_up_bonuses(study.study_id, csv)
    with transaction.atomic():
        bulk = ProlificBulkBonus.objects.create(study=study, bulk_id=str(remote["id"]), csv=csv)
        attached = BonusPayment.objects.filter(
            pk__in=[b.pk for b in fresh], bulk__isnull=True
        ).update(bulk=bulk)
        if attached != len(fresh):
            # A concurrent run attached some of these rows to its own bulk in the meantime:
            # paying ours would pay them twice. A bulk set up but never paid costs nothing.
            transaction.set_rollback(True)
            return None
    return bulk


def _pay(client: ProlificClient, bulk: ProlificBulkBonus) -> int:
    with transaction.atomic():
        claimed = ProlificBulkBonus.objects.filter(pk=bulk.pk, state=BulkState.CREATED).update(
            state=BulkState.PAYING
        )
    if not claimed:
        return 0  # another worker claimed it, or it is PAYING / PAID already
    try:
        client.pay_bonuses(bulk.bulk_id)
    except TransientProviderError:
        # The request may or may not have reached Prolific: never pay this bulk again.
        BonusPayment.objects.filter(bulk=bulk).update(state=CallState.UNCERTAIN)
        raise
    except ProviderError as error:
        # A 4xx: Prolific refused it, so nothing was paid; the bulk may be paid again.
        ProlificBulkBonus.objects.filter(pk=bulk.pk).update(state=BulkState.CREATED)
        BonusPayment.objects.filter(bulk=bulk).update(error=error.message)
        raise
    with transaction.atomic():
        ProlificBulkBonus.objects.filter(pk=bulk.pk).update(
            state=BulkState.PAID, paid_at=timezone.now()
        )
        return BonusPayment.objects.filter(bulk=bulk).update(
            state=CallState.SENT, sent_at=timezone.now()
        )


def pay_bulk(client: ProlificClient, study: ProlificStudy, bonuses: list[BonusPayment]) -> int:
    """Pay the study's outstanding bonuses: bulks set up earlier and left CREATED first,
    then one new bulk for the pending rows. Returns the number of bonuses paid."""
    paid = 0
    for bulk in ProlificBulkBonus.objects.filter(study=study, state=BulkState.CREATED):
        paid += _pay(client, bulk)
    for bulk in ProlificBulkBonus.objects.filter(study=study, state=BulkState.PAYING):
        BonusPayment.objects.filter(bulk=bulk, state=CallState.PENDING).update(
            state=CallState.UNCERTAIN
        )
    new = _set_up(client, study, bonuses)
    if new is not None:
        paid += _pay(client, new)
    return paid
