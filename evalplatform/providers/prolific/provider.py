"""The Prolific provider: one study per campaign whose places are the campaign's assignment
slots (HITs x assignments per HIT); participants come in through our entry view, are leased
a slot, and are sent back to Prolific with the study's completion code."""

from __future__ import annotations

import logging
import secrets
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from evalplatform.campaigns.models import Campaign
from evalplatform.crowd.models import Assignment, Worker
from evalplatform.crowd.services import assignment_approve, assignment_reject
from evalplatform.providers import ledger
from evalplatform.providers.base import CostEstimate, RemoteSubmission
from evalplatform.providers.costs import campaign_estimate, campaign_hit_count
from evalplatform.providers.errors import ProviderConfigurationError, ProviderError
from evalplatform.providers.models import (
    BonusPayment,
    CallState,
    Decision,
    ProlificStudy,
    StudyState,
)
from evalplatform.providers.prolific import bulk, reconcile
from evalplatform.providers.prolific.client import ProlificClient

logger = logging.getLogger(__name__)
# Prolific's rejection categories, as we know the API reference's enum for
# "Approve or reject a submission" (the docs excerpt we could consult confirms the field and
# that it is required with REJECT, not each value; Prolific answers 400 to an unknown one).
REJECTION_CATEGORIES = (
    "TOO_QUICKLY",
    "TOO_SLOWLY",
    "FAILED_INSTRUCTIONS",
    "INCOMP_LONGITUDINAL",
    "FAILED_CHECK",
    "LOW_EFFORT",
    "MALINGERING",
    "NO_CODE",
    "BAD_CODE",
    "NO_DATA",
    "UNSUPP_DEVICE",
    "OTHER",
)
MIN_REJECT_MESSAGE = 100  # Prolific refuses shorter rejection messages
URL_PARAMETERS = (
    "PROLIFIC_PID={{%PROLIFIC_PID%}}&STUDY_ID={{%STUDY_ID%}}&SESSION_ID={{%SESSION_ID%}}"
)


def study_url(campaign: Campaign) -> str:
    base = settings.PUBLIC_BASE_URL.rstrip("/")
    if not base.startswith("https://") and not settings.PROVIDERS_ALLOW_HTTP_TASK_URL:
        raise ProviderConfigurationError(
            f"Prolific sends participants to https only; EVALPLATFORM_PUBLIC_URL is {base!r}."
        )
    return f"{base}{reverse('providers:prolific-start', args=[campaign.pk])}?{URL_PARAMETERS}"


def reject_message(reason: str) -> str:
    message = reason.strip()
    if len(message) < MIN_REJECT_MESSAGE:
        message += (
            " We review every submission against the task's instructions and quality "
            "checks; this one did not meet them. Thank you for your time."
        )
    return message


class ProlificProvider:
    name = "prolific"

    def __init__(self, campaign: Campaign, *, client: ProlificClient | None = None) -> None:
        self.campaign = campaign
        self._client = client

    @property
    def client(self) -> ProlificClient:
        if self._client is None:
            self._client = ProlificClient()
        return self._client

    def study(self, campaign: Campaign) -> ProlificStudy:
        study, _ = ProlificStudy.objects.get_or_create(
            campaign=campaign,
            defaults={
                "internal_name": f"evalplatform-campaign-{campaign.pk}",
                "completion_code": secrets.token_hex(4).upper(),
                "total_places": campaign_hit_count(campaign) * campaign.assignments_per_hit,
            },
        )
        return study

    def existing_study(self, campaign: Campaign) -> ProlificStudy | None:
        return ProlificStudy.objects.filter(campaign=campaign).exclude(study_id="").first()

    def estimate_cost(self, campaign: Campaign) -> CostEstimate:
        return campaign_estimate(campaign, "prolific")

    def study_body(self, campaign: Campaign, study: ProlificStudy) -> dict[str, Any]:
        settings_ = campaign.provider_settings or {}
        body: dict[str, Any] = {
            "name": campaign.title,
            "internal_name": study.internal_name,
            "description": campaign.description or campaign.title,
            "external_study_url": study_url(campaign),
            "prolific_id_option": "url_parameters",
            "completion_codes": [
                {
                    "code": study.completion_code,
                    "code_type": "COMPLETED",
                    "actions": [{"action": "MANUALLY_REVIEW"}],
                }
            ],
            "total_available_places": study.total_places,
            "estimated_completion_time": campaign.minutes_per_hit,
            "reward": int(Decimal(campaign.reward) * 100),  # in the study currency's cents
        }
        for key in ("device_compatibility", "filters", "filter_set_id", "project"):
            if f"prolific_{key}" in settings_:
                body[key] = settings_[f"prolific_{key}"]
        return body

    def publish(self, campaign: Campaign) -> int:
        """Create the study once (found again by internal name after a lost answer), then
        publish it. Returns 1 when this call published it."""
        study = self.study(campaign)
        if study.state == StudyState.CREATING:
            found = [
                s
                for s in self.client.list_studies()
                if s.get("internal_name") == study.internal_name
            ]
            remote = (
                found[0] if found else self.client.create_study(self.study_body(campaign, study))
            )
            with transaction.atomic():
                ProlificStudy.objects.filter(pk=study.pk).update(
                    study_id=remote["id"], state=StudyState.DRAFT
                )
            study.refresh_from_db()
        if study.state == StudyState.DRAFT:
            self.client.transition_study(study.study_id, "PUBLISH")
            ProlificStudy.objects.filter(pk=study.pk).update(
                state=StudyState.ACTIVE, published_at=timezone.now()
            )
            return 1
        return 0

    def fetch_submissions(self, campaign: Campaign) -> list[RemoteSubmission]:
        study = self.existing_study(campaign)
        if study is None:
            return []
        return [
            RemoteSubmission(
                provider_assignment_id=s["id"],
                provider_hit_id=study.study_id,
                worker_external_id=reconcile.participant(s),
                status=reconcile.our_status(s.get("status", "")),
                completion_code=s.get("entered_code") or "",
            )
            for s in self.client.list_submissions(study.study_id)
        ]

    def _verified(self, assignment: Assignment) -> dict[str, Any]:
        study = self.existing_study(assignment.hit.campaign)
        if study is None:
            raise ProviderError("The campaign has no Prolific study.", code="Verification")
        remote = self.client.get_submission(assignment.provider_assignment_id)
        problem = reconcile.verification_problem(assignment, remote, study)
        if problem:
            raise ProviderError(problem, code="Verification")
        return remote

    def approve(self, assignment: Assignment) -> None:
        remote = self._verified(assignment)
        decision = ledger.decision_record(assignment=assignment, decision=Decision.APPROVE)
        if decision.state != CallState.SENT:
            if remote.get("status") != "APPROVED":
                ledger.decision_attempt(decision=decision)
                self.client.transition_submission(
                    assignment.provider_assignment_id, {"action": "APPROVE"}
                )
            ledger.decision_mark(decision=decision, state=CallState.SENT)
        assignment_approve(assignment=assignment)

    def reject(self, assignment: Assignment, *, reason: str, category: str = "OTHER") -> None:
        if category not in REJECTION_CATEGORIES:
            raise ProviderError(f"Unknown Prolific rejection category {category!r}.")
        self._verified(assignment)
        decision = ledger.decision_record(
            assignment=assignment,
            decision=Decision.REJECT,
            reason=reason,
            rejection_category=category,
        )
        if decision.state != CallState.SENT:
            ledger.decision_attempt(decision=decision)
            self.client.transition_submission(
                assignment.provider_assignment_id,
                {
                    "action": "REJECT",
                    "message": reject_message(reason),
                    "rejection_category": category,
                },
            )
            ledger.decision_mark(decision=decision, state=CallState.SENT)
        assignment_reject(assignment=assignment)

    def pay_bonus(self, assignment: Assignment, *, amount: Decimal, reason: str) -> None:
        bonus = ledger.bonus_record(
            assignment=assignment, amount=amount, reason=reason, rule="manual"
        )
        self.pay_bonuses([bonus])

    def pay_bonuses(self, bonuses: list[BonusPayment]) -> int:
        study = self.existing_study(self.campaign)
        if study is None:
            return 0
        return bulk.pay_bulk(self.client, study, bonuses)

    def block_worker(self, worker: Worker, *, reason: str) -> None:
        # Prolific's API has no per-researcher block we use; crowd's worker_block refuses
        # the participant any new lease on our side, which is what keeps them out.
        logger.info(
            "Prolific participant %s blocked on our side only: %s", worker.external_id, reason
        )

    def enforce_worker_limits(self, campaign: Campaign) -> int:
        return 0  # one submission per participant per study: Prolific enforces it

    def expire(self, campaign: Campaign) -> None:
        study = self.existing_study(campaign)
        if study is not None and study.state in (StudyState.ACTIVE, StudyState.PAUSED):
            self.client.transition_study(study.study_id, "STOP")
            ProlificStudy.objects.filter(pk=study.pk).update(state=StudyState.STOPPED)

    def reconcile(self, campaign: Campaign) -> dict[str, int]:
        study = self.existing_study(campaign)
        if study is None:
            return {}
        return reconcile.reconcile_study(self.client, study)
