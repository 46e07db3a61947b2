"""Approving, rejecting and bonusing MTurk assignments, each exactly once.

The URL's workerId and assignmentId are claims; MTurk's Assignment record is the fact.
We approve only when MTurk's record names the worker and HIT we served, and its Answer
carries the completion code crowd made for that assignment (posted by our completion page
through the worker's own MTurk session).
"""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import Any

from evalplatform.crowd.completion import completion_code_verify
from evalplatform.crowd.models import Assignment, AssignmentStatus
from evalplatform.crowd.services import assignment_approve, assignment_reject
from evalplatform.providers import ledger
from evalplatform.providers.errors import ProviderError
from evalplatform.providers.models import BonusPayment, CallState, Decision
from evalplatform.providers.mturk import builders
from evalplatform.providers.mturk.client import MTurkGateway, MTurkRequestError

logger = logging.getLogger(__name__)
NOT_FOUND = {"AWS.MechanicalTurk.AssignmentDoesNotExist", "AWS.MechanicalTurk.HITDoesNotExist"}


class VerificationFailed(ProviderError):
    """MTurk's record does not match what we served: no approval, no money."""


def verification_problem(assignment: Assignment, remote: dict[str, Any]) -> str:
    """Why MTurk's assignment record cannot be trusted as ours ("" when it can)."""
    if remote.get("AssignmentId") != assignment.provider_assignment_id:
        return "MTurk's assignment id differs from ours."
    if remote.get("WorkerId") != assignment.worker.external_id:
        return (
            f"MTurk says worker {remote.get('WorkerId')} did assignment "
            f"{assignment.provider_assignment_id}; we served {assignment.worker.external_id}."
        )
    if remote.get("HITId") != assignment.hit.provider_hit_id:
        return "MTurk's HIT differs from the HIT we served."
    if assignment.status not in (
        AssignmentStatus.SUBMITTED,
        AssignmentStatus.APPROVED,
        AssignmentStatus.REJECTED,
    ):
        return f"The assignment is {assignment.status} on our side, never submitted to us."
    code = builders.parse_answer(remote.get("Answer")).get("completion_code", "")
    if not completion_code_verify(assignment, code):
        return "The completion code in MTurk's answer is not this assignment's."
    return ""


def remote_assignment(gateway: MTurkGateway, assignment: Assignment) -> dict[str, Any] | None:
    """MTurk's record of a submitted assignment, or None if MTurk has none (never submitted,
    or a forged id)."""
    if not builders.ID_PATTERN.match(assignment.provider_assignment_id or ""):
        return None
    try:
        found = gateway.call("get_assignment", AssignmentId=assignment.provider_assignment_id)
    except MTurkRequestError as error:
        if error.code in NOT_FOUND or "does not exist" in error.message.lower():
            return None
        raise
    return dict(found["Assignment"])


def approve(gateway: MTurkGateway, assignment: Assignment, *, feedback: str = "") -> bool:
    """Approve on MTurk once; returns True if this call approved it."""
    remote = remote_assignment(gateway, assignment)
    if remote is None:
        raise VerificationFailed(
            f"MTurk has no submitted assignment {assignment.provider_assignment_id!r}."
        )
    problem = verification_problem(assignment, remote)
    if problem:
        raise VerificationFailed(problem)
    decision = ledger.decision_record(
        assignment=assignment, decision=Decision.APPROVE, environment=gateway.environment
    )
    if decision.state == CallState.SENT:
        assignment_approve(assignment=assignment)
        return False
    auto = remote.get("AssignmentStatus") == "Approved" and decision.attempts == 0
    if remote.get("AssignmentStatus") == "Submitted":
        ledger.decision_attempt(decision=decision)
        params: dict[str, Any] = {"AssignmentId": assignment.provider_assignment_id}
        if feedback:
            params["RequesterFeedback"] = feedback
        try:
            gateway.call("approve_assignment", **params)
        except MTurkRequestError as error:
            # A retry after a success, or MTurk auto-approved meanwhile: check the state.
            again = remote_assignment(gateway, assignment)
            if not again or again.get("AssignmentStatus") != "Approved":
                ledger.decision_mark(decision=decision, state=CallState.FAILED, error=error.message)
                raise
    elif remote.get("AssignmentStatus") != "Approved":
        ledger.decision_mark(
            decision=decision,
            state=CallState.FAILED,
            error=f"MTurk status is {remote.get('AssignmentStatus')}",
        )
        raise ProviderError(
            f"MTurk already has {assignment.provider_assignment_id} "
            f"{remote.get('AssignmentStatus')}."
        )
    ledger.decision_mark(decision=decision, state=CallState.SENT, auto_approved=auto)
    assignment_approve(assignment=assignment)
    return True


def reject(gateway: MTurkGateway, assignment: Assignment, *, reason: str) -> bool:
    """Reject on MTurk once, with the reason the worker will read; only an assignment MTurk
    records for the worker and HIT we served (a forged id must not hit someone else's)."""
    remote = remote_assignment(gateway, assignment)
    if remote is None:
        raise VerificationFailed(
            f"MTurk has no submitted assignment {assignment.provider_assignment_id!r}."
        )
    if remote.get("WorkerId") != assignment.worker.external_id or (
        remote.get("HITId") != assignment.hit.provider_hit_id
    ):
        raise VerificationFailed("MTurk's record names another worker or HIT.")
    decision = ledger.decision_record(
        assignment=assignment,
        decision=Decision.REJECT,
        environment=gateway.environment,
        reason=reason,
    )
    if decision.state == CallState.SENT:
        assignment_reject(assignment=assignment)
        return False
    ledger.decision_attempt(decision=decision)
    try:
        gateway.call(
            "reject_assignment",
            AssignmentId=assignment.provider_assignment_id,
            RequesterFeedback=reason[:1024],
        )
    except MTurkRequestError as error:
        again = remote_assignment(gateway, assignment)
        if not again or again.get("AssignmentStatus") != "Rejected":
            ledger.decision_mark(decision=decision, state=CallState.FAILED, error=error.message)
            raise
    ledger.decision_mark(decision=decision, state=CallState.SENT)
    assignment_reject(assignment=assignment)
    return True


def _bonus_found(gateway: MTurkGateway, bonus: BonusPayment) -> bool:
    """Whether MTurk already holds this bonus (checked before any resend, because MTurk
    forgets tokens after 24 h)."""
    assignment = bonus.assignment
    paid = gateway.paginate(
        "list_bonus_payments",
        "BonusPayments",
        AssignmentId=assignment.provider_assignment_id,
        MaxResults=100,
    )
    return any(
        p.get("WorkerId") == bonus.worker.external_id
        and Decimal(str(p.get("BonusAmount"))) == bonus.amount
        and p.get("Reason") == bonus.reason
        for p in paid
    )


def send_bonus(gateway: MTurkGateway, bonus: BonusPayment) -> bool:
    """Pay one recorded bonus; True if this call paid it. A row that was attempted before
    is first looked up on MTurk, and the resend reuses the same token."""
    if bonus.state == CallState.SENT:
        return False
    if bonus.attempts and _bonus_found(gateway, bonus):
        ledger.bonus_mark(bonus=bonus, state=CallState.SENT)
        return False
    ledger.bonus_attempt(bonus=bonus)
    try:
        gateway.call(
            "send_bonus",
            WorkerId=bonus.worker.external_id,
            BonusAmount=builders.money(bonus.amount),
            AssignmentId=bonus.assignment.provider_assignment_id,
            Reason=bonus.reason,
            UniqueRequestToken=bonus.token,
        )
    except MTurkRequestError as error:
        if _bonus_found(gateway, bonus):  # the duplicate-token answer to a lost success
            ledger.bonus_mark(bonus=bonus, state=CallState.SENT)
            return False
        ledger.bonus_mark(bonus=bonus, state=CallState.FAILED, error=error.message)
        raise
    ledger.bonus_mark(bonus=bonus, state=CallState.SENT)
    return True
