"""The MTurk provider: the CrowdProvider interface over the gateway and the modules above."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from evalplatform.campaigns.models import Campaign
from evalplatform.crowd.models import Assignment, Worker
from evalplatform.providers import ledger
from evalplatform.providers.base import CostEstimate, RemoteSubmission
from evalplatform.providers.costs import campaign_estimate
from evalplatform.providers.models import BonusPayment, ProviderHit
from evalplatform.providers.mturk import builders, qualifications, reconcile, review
from evalplatform.providers.mturk.client import MTurkGateway, make_gateway
from evalplatform.providers.mturk.environment import mturk_environment
from evalplatform.providers.mturk.publish import PublishResult, publish_campaign

# "If you update it to a time in the past, the HIT will be immediately expired."
PAST = datetime(2015, 1, 1, tzinfo=UTC)


class MTurkProvider:
    name = "mturk"

    def __init__(self, campaign: Campaign, *, gateway: MTurkGateway | None = None) -> None:
        self.campaign = campaign
        self.environment = mturk_environment(campaign)
        self._gateway = gateway
        self.last_publish: PublishResult | None = None

    @property
    def gateway(self) -> MTurkGateway:
        if self._gateway is None:
            self._gateway = make_gateway(self.environment)
        return self._gateway

    def estimate_cost(self, campaign: Campaign) -> CostEstimate:
        return campaign_estimate(campaign, "mturk")

    def publish(self, campaign: Campaign) -> int:
        self.last_publish = publish_campaign(self.gateway, campaign)
        return self.last_publish.created + self.last_publish.recovered

    def fetch_submissions(self, campaign: Campaign) -> list[RemoteSubmission]:
        out: list[RemoteSubmission] = []
        for record in ProviderHit.objects.filter(
            hit__campaign=campaign, provider=self.name, environment=self.environment
        ):
            for remote in self.gateway.paginate(
                "list_assignments_for_hit",
                "Assignments",
                HITId=record.provider_hit_id,
                AssignmentStatuses=reconcile.STATUSES,
                MaxResults=100,
            ):
                out.append(
                    RemoteSubmission(
                        provider_assignment_id=remote["AssignmentId"],
                        provider_hit_id=remote["HITId"],
                        worker_external_id=remote["WorkerId"],
                        status=str(remote["AssignmentStatus"]).lower(),
                        completion_code=builders.parse_answer(remote.get("Answer")).get(
                            "completion_code", ""
                        ),
                    )
                )
        return out

    def approve(self, assignment: Assignment) -> None:
        review.approve(self.gateway, assignment)

    def reject(self, assignment: Assignment, *, reason: str) -> None:
        review.reject(self.gateway, assignment, reason=reason)

    def pay_bonus(self, assignment: Assignment, *, amount: Decimal, reason: str) -> None:
        """A one-off bonus (rule "manual"), once per assignment."""
        bonus = ledger.bonus_record(
            assignment=assignment,
            amount=amount,
            reason=reason,
            rule="manual",
            environment=self.environment,
        )
        review.send_bonus(self.gateway, bonus)

    def pay_bonuses(self, bonuses: list[BonusPayment]) -> int:
        return sum(review.send_bonus(self.gateway, bonus) for bonus in bonuses)

    def block_worker(self, worker: Worker, *, reason: str) -> None:
        qualification = qualifications.blocked_qualification(self.gateway)
        qualifications.qualification_grant(
            self.gateway, qualification=qualification, worker=worker, reason=reason
        )

    def enforce_worker_limits(self, campaign: Campaign) -> int:
        return qualifications.enforce_limits(self.gateway, campaign)

    def expire(self, campaign: Campaign) -> None:
        for record in ProviderHit.objects.filter(
            hit__campaign=campaign, provider=self.name, environment=self.environment
        ):
            if record.remote_status in ("Reviewable", "Reviewing", "Disposed"):
                continue
            self.gateway.call(
                "update_expiration_for_hit", HITId=record.provider_hit_id, ExpireAt=PAST
            )
            ProviderHit.objects.filter(pk=record.pk).update(remote_status="Reviewable")

    def reconcile(self, campaign: Campaign) -> dict[str, int]:
        return reconcile.reconcile_campaign(self.gateway, campaign)

    def balance(self) -> dict[str, Any]:
        return dict(self.gateway.call("get_account_balance"))
