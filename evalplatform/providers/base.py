"""The crowd-provider interface: what the services ask of local links, MTurk and Prolific.

Services call these methods; a provider never writes our tables itself except through the
crowd services, so "money moves exactly once" and "no answer lost" are decided in one place.
The optional capabilities are runtime-checkable protocols: the services ask
``isinstance(provider, SupportsBulkBonuses)`` rather than probing for method names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from evalplatform.campaigns.models import Campaign
    from evalplatform.crowd.models import Assignment, Worker
    from evalplatform.providers.models import BonusPayment


@dataclass(frozen=True)
class CostEstimate:
    """What a campaign costs at most, in dollars, fees included."""

    hits: int
    assignments: int
    reward_per_assignment: Decimal
    rewards: Decimal
    bonuses: Decimal
    fees: Decimal
    total: Decimal
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class RemoteSubmission:
    """A submission as the provider records it."""

    provider_assignment_id: str
    provider_hit_id: str
    worker_external_id: str
    status: str  # submitted | approved | rejected | returned | timed_out
    completion_code: str = ""


@runtime_checkable
class CrowdProvider(Protocol):
    name: str

    def estimate_cost(self, campaign: Campaign) -> CostEstimate: ...

    def publish(self, campaign: Campaign) -> int:
        """Make the campaign's HITs available; idempotent. Returns HITs newly published."""
        ...

    def fetch_submissions(self, campaign: Campaign) -> list[RemoteSubmission]: ...

    def approve(self, assignment: Assignment) -> None: ...

    def reject(self, assignment: Assignment, *, reason: str) -> None: ...

    def pay_bonus(self, assignment: Assignment, *, amount: Decimal, reason: str) -> None: ...

    def block_worker(self, worker: Worker, *, reason: str) -> None: ...

    def expire(self, campaign: Campaign) -> None: ...

    def reconcile(self, campaign: Campaign) -> dict[str, int]:
        """Bring our records in line with the provider's; returns counts of what changed."""
        ...


@runtime_checkable
class SupportsBulkBonuses(Protocol):
    """Optional: providers that pay recorded bonuses themselves (MTurk one by one with a
    token each, Prolific in one bulk payment). The services use it when present and fall
    back to ``pay_bonus`` per assignment (the local provider)."""

    def pay_bonuses(self, bonuses: list[BonusPayment]) -> int:
        """Pay the given recorded bonuses not yet paid; returns how many this call paid."""
        ...


@runtime_checkable
class SupportsWorkerLimits(Protocol):
    """Optional: providers that must be told who reached a campaign's per-worker limit
    (MTurk, through a qualification); the others enforce it at lease time only."""

    def enforce_worker_limits(self, campaign: Campaign) -> int:
        """Keep workers at the limit out of the campaign's HITs; returns how many were new."""
        ...
