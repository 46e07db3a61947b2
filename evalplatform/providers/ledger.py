"""The money ledger: rows written and committed BEFORE a provider call and marked after.

A unique constraint makes each decision and bonus single; the state says whether its call
was made. Adapters call ``*_record`` (atomic, returns the existing row on a retry), make
the call outside any transaction, then ``*_mark``.

Each row also records who decided it (an ``Actor``). The services say who, with
``deciding(actor)`` around their calls into a provider: the backends write the rows
themselves, behind the CrowdProvider interface, which has no say in who decides.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from evalplatform.common.errors import ApplicationError, InvalidTransition
from evalplatform.crowd.models import Assignment, AssignmentStatus
from evalplatform.providers.models import BonusPayment, CallState, Decision, ReviewDecision


@dataclass(frozen=True)
class Actor:
    """Who makes a money decision: a console user, or a task of the platform."""

    label: str
    user_id: int | None = None

    @classmethod
    def user(cls, user: AbstractBaseUser | AnonymousUser) -> Actor:
        return cls(label=user.get_username(), user_id=user.pk)

    @classmethod
    def task(cls, name: str) -> Actor:
        return cls(label=f"task {name}")

    def fields(self) -> dict[str, Any]:
        return {"decided_by_id": self.user_id, "decided_by_label": self.label[:200]}


_deciding: ContextVar[Actor | None] = ContextVar("ledger_deciding", default=None)


@contextmanager
def deciding(actor: Actor) -> Iterator[Actor]:
    """Rows recorded inside the block are decided by ``actor``."""
    token = _deciding.set(actor)
    try:
        yield actor
    finally:
        _deciding.reset(token)


def _decider() -> dict[str, Any]:
    """The current actor's fields; none (an empty label) outside ``deciding``."""
    actor = _deciding.get()
    return actor.fields() if actor is not None else {}


@transaction.atomic
def decision_record(
    *,
    assignment: Assignment,
    decision: str,
    environment: str = "",
    reason: str = "",
    rejection_category: str = "",
    auto_approved: bool = False,
    state: str = CallState.PENDING,
) -> ReviewDecision:
    """The assignment's one decision: created now, or the earlier one if it is the same
    decision. A different earlier decision is refused: approve and reject never both."""
    locked = Assignment.objects.select_for_update().select_related("worker").get(pk=assignment.pk)
    existing = ReviewDecision.objects.filter(assignment=locked).first()
    if existing is not None:
        if existing.decision != decision:
            raise InvalidTransition(
                f"Assignment {locked.pk} was already decided: {existing.decision}."
            )
        return existing
    if locked.status not in (
        AssignmentStatus.SUBMITTED,
        AssignmentStatus.APPROVED,
        AssignmentStatus.REJECTED,
    ):
        raise InvalidTransition(f"Assignment {locked.pk} is {locked.status}, not submitted.")
    if decision == Decision.REJECT and not reason.strip():
        raise ApplicationError("A rejection needs a reason; the worker reads it.")
    return ReviewDecision.objects.create(
        assignment=locked,
        provider=locked.worker.provider,
        environment=environment,
        decision=decision,
        reason=reason,
        rejection_category=rejection_category,
        auto_approved=auto_approved,
        state=state,
        sent_at=timezone.now() if state == CallState.SENT else None,
        **_decider(),
    )


@transaction.atomic
def decision_attempt(*, decision: ReviewDecision) -> None:
    ReviewDecision.objects.filter(pk=decision.pk).update(attempts=F("attempts") + 1)


@transaction.atomic
def decision_mark(
    *, decision: ReviewDecision, state: str, error: str = "", auto_approved: bool = False
) -> ReviewDecision:
    locked = ReviewDecision.objects.select_for_update().get(pk=decision.pk)
    if locked.state == CallState.SENT:
        return locked
    locked.state, locked.error = state, error
    locked.auto_approved = locked.auto_approved or auto_approved
    if state == CallState.SENT:
        locked.sent_at = timezone.now()
    locked.save(update_fields=["state", "error", "sent_at", "auto_approved"])
    return locked


def decision_reconciled(
    *, assignment: Assignment, remote: str, environment: str = "", reason: str = ""
) -> bool:
    """Record what the provider did with a submission (``remote``: approve or reject).

    Returns False when it contradicts our own decision, whose call failed (MTurk
    auto-approved before our reject reached it, or the requester rejected on the website
    what we tried to approve). The provider's outcome is what happened to the reward; the
    caller then treats the work as rejected, so it neither counts nor earns a bonus.
    """
    existing = ReviewDecision.objects.filter(assignment=assignment).first()
    if existing is None:
        with deciding(_the_provider()):
            decision_record(
                assignment=assignment,
                decision=remote,
                environment=environment,
                state=CallState.SENT,
                auto_approved=remote == Decision.APPROVE,
                reason=reason,
            )
        return True
    if existing.decision != remote:
        if existing.state != CallState.SENT:
            decision_mark(
                decision=existing,
                state=CallState.FAILED,
                error=f"The provider had already decided: {remote}.",
            )
        return False
    if existing.state != CallState.SENT:
        decision_mark(decision=existing, state=CallState.SENT)
    return True


def _the_provider() -> Actor:
    """The provider decided (MTurk auto-approved, or the requester used its website): no
    user of ours did, whoever ran the reconcile that found it."""
    finder = _deciding.get()
    return Actor(label="the provider" + (f", found by {finder.label}" if finder else ""))


def bonus_token(*, provider: str, environment: str, assignment_id: int, rule: str) -> str:
    token = f"bonus-{provider[:2]}-{environment[:4]}-a{assignment_id}-{rule}"[:64]
    return token


@transaction.atomic
def bonus_record(
    *,
    assignment: Assignment,
    amount: Decimal,
    reason: str,
    rule: str,
    environment: str = "",
) -> BonusPayment:
    """The bonus for (assignment, rule): created once, only for approved work."""
    locked = Assignment.objects.select_for_update().select_related("worker").get(pk=assignment.pk)
    existing = BonusPayment.objects.filter(assignment=locked, rule=rule).first()
    if existing is not None:
        return existing
    if locked.status != AssignmentStatus.APPROVED:
        raise InvalidTransition(
            f"Assignment {locked.pk} is {locked.status}; bonuses are paid after approval."
        )
    if amount <= 0:
        raise ApplicationError("A bonus must be more than zero.")
    provider = locked.worker.provider
    try:
        with transaction.atomic():
            return BonusPayment.objects.create(
                assignment=locked,
                worker=locked.worker,
                provider=provider,
                environment=environment,
                rule=rule,
                amount=amount,
                reason=reason,
                token=bonus_token(
                    provider=provider, environment=environment, assignment_id=locked.pk, rule=rule
                ),
                **_decider(),
            )
    except IntegrityError:
        return BonusPayment.objects.get(assignment=locked, rule=rule)


@transaction.atomic
def bonus_attempt(*, bonus: BonusPayment) -> None:
    BonusPayment.objects.filter(pk=bonus.pk).update(attempts=F("attempts") + 1)


@transaction.atomic
def bonus_mark(*, bonus: BonusPayment, state: str, error: str = "") -> BonusPayment:
    locked = BonusPayment.objects.select_for_update().get(pk=bonus.pk)
    if locked.state == CallState.SENT:
        return locked
    locked.state, locked.error = state, error
    if state == CallState.SENT:
        locked.sent_at = timezone.now()
    locked.save(update_fields=["state", "error", "sent_at"])
    return locked
