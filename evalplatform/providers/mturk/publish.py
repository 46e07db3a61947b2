"""Publishing a campaign's HITs on MTurk, resumable and without duplicates.

One HIT type per campaign (title, reward, durations, requirements), then one
create_hit_with_hit_type per HIT with a UniqueRequestToken derived from our ids. Each HIT's
id is committed as soon as MTurk returns it, so a crash mid-publish resumes where it
stopped; a retry of a call whose answer was lost gets HitAlreadyExists, whose message
carries the HITId (or, failing that, we find it by RequesterAnnotation).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from evalplatform.campaigns.models import Campaign
from evalplatform.crowd.models import Hit
from evalplatform.providers.errors import ProviderError
from evalplatform.providers.models import MTurkHitType, ProviderHit
from evalplatform.providers.mturk import builders
from evalplatform.providers.mturk.client import MTurkGateway, MTurkRequestError
from evalplatform.providers.mturk.qualifications import blocked_qualification, limit_qualification

logger = logging.getLogger(__name__)
HIT_EXISTS = "AWS.MechanicalTurk.HitAlreadyExists"
# MTurk forgets a UniqueRequestToken after 24 h; past this age we look HITs up by annotation
# before creating any, because the token no longer protects us.
TOKEN_SAFE_AGE = timedelta(hours=23)


@dataclass
class PublishResult:
    created: int = 0
    recovered: int = 0  # HITs that existed on MTurk already (lost answer, earlier crash)
    already: int = 0  # HITs we had recorded before this run
    retries: int = 0  # botocore retries seen (throttling, 5xx, lost connections)


def task_url(campaign: Campaign) -> str:
    path = reverse("providers:mturk-task", args=[campaign.pk])
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


def requirements_for(gateway: MTurkGateway, campaign: Campaign) -> list[dict[str, Any]]:
    env = gateway.environment
    settings_ = campaign.provider_settings or {}
    system: list[dict[str, Any]] = []
    if not (env == "sandbox" and settings_.get("mturk_sandbox_skip_requirements")):
        system = builders.system_requirements(campaign.worker_requirements or {}, env)
    return [
        *system,
        builders.excluded_requirement(limit_qualification(gateway, campaign).qualification_type_id),
        builders.excluded_requirement(blocked_qualification(gateway).qualification_type_id),
    ]


def hit_type_params(campaign: Campaign, requirements: list[dict[str, Any]]) -> dict[str, Any]:
    settings_ = campaign.provider_settings or {}
    return {
        "Title": campaign.title,
        "Description": campaign.description or campaign.title,
        "Keywords": settings_.get("mturk_keywords", "dialogue, chatbot, evaluation, rating"),
        "Reward": builders.money(campaign.reward),
        # Three times the expected time, so that slow workers are not cut off.
        "AssignmentDurationInSeconds": max(60, 3 * 60 * campaign.minutes_per_hit),
        "AutoApprovalDelayInSeconds": int(settings.MTURK_AUTO_APPROVAL_DELAY_SECONDS),
        "QualificationRequirements": requirements,
    }


def ensure_hit_type(gateway: MTurkGateway, campaign: Campaign) -> tuple[str, int]:
    """The campaign's HIT type id, created once per parameter set (create_hit_type returns
    the existing id for identical values, so repeating it is safe). Also returns the number
    of requirements, for the log."""
    params = hit_type_params(campaign, requirements_for(gateway, campaign))
    digest = builders.params_digest(params)
    row = MTurkHitType.objects.filter(
        campaign=campaign, environment=gateway.environment, digest=digest
    ).first()
    if row is None:
        hit_type_id = gateway.call("create_hit_type", **params)["HITTypeId"]
        row, _ = MTurkHitType.objects.get_or_create(
            campaign=campaign,
            environment=gateway.environment,
            digest=digest,
            defaults={"hit_type_id": hit_type_id},
        )
    return row.hit_type_id, len(params["QualificationRequirements"])


def publish_campaign(gateway: MTurkGateway, campaign: Campaign) -> PublishResult:
    env = gateway.environment
    other = ProviderHit.objects.filter(hit__campaign=campaign).exclude(environment=env).first()
    if other is not None:
        raise ProviderError(
            f"Campaign {campaign.name!r} was published in the MTurk {other.environment}; "
            f"it cannot also be published in the {env}. Copy the campaign instead."
        )
    result = PublishResult(already=ProviderHit.objects.filter(hit__campaign=campaign).count())
    hit_type_id, _ = ensure_hit_type(gateway, campaign)
    question = builders.external_question(
        task_url(campaign), allow_http=bool(settings.PROVIDERS_ALLOW_HTTP_TASK_URL)
    )
    pending = Hit.objects.filter(campaign=campaign, provider_hit_id="").order_by("index")
    if _token_may_have_expired(campaign, env) and pending.exists():
        result.recovered += _recover_by_annotation(gateway, campaign, hit_type_id)
    lifetime = int(settings.MTURK_HIT_LIFETIME_SECONDS)
    # Ids first: the loop writes each HIT as it goes, and may run for many minutes.
    for hit_pk, index in list(pending.values_list("pk", "index")):
        token = builders.hit_request_token(
            campaign_id=campaign.pk, hit_id=hit_pk, index=index, environment=env
        )
        try:
            remote = gateway.call(
                "create_hit_with_hit_type",
                HITTypeId=hit_type_id,
                MaxAssignments=campaign.assignments_per_hit,
                LifetimeInSeconds=lifetime,
                Question=question,
                UniqueRequestToken=token,
                RequesterAnnotation=builders.hit_annotation(campaign_id=campaign.pk, index=index),
            )["HIT"]
        except MTurkRequestError as error:
            if error.code != HIT_EXISTS:
                raise
            remote = _existing_hit(gateway, campaign, index, error.message)
            result.recovered += 1
        else:
            result.created += 1
        hit_record_published(hit_id=hit_pk, environment=env, token=token, remote=remote)
    result.retries = gateway.retry_attempts
    return result


def _token_may_have_expired(campaign: Campaign, env: str) -> bool:
    first = MTurkHitType.objects.filter(campaign=campaign, environment=env).order_by("created_at")
    row = first.first()
    return row is not None and timezone.now() - row.created_at > TOKEN_SAFE_AGE


def _existing_hit(
    gateway: MTurkGateway, campaign: Campaign, index: int, message: str
) -> dict[str, Any]:
    hit_id = builders.hit_id_from_message(message)
    if hit_id:
        return dict(gateway.call("get_hit", HITId=hit_id)["HIT"])
    annotation = builders.hit_annotation(campaign_id=campaign.pk, index=index)
    for remote in gateway.paginate("list_hits", "HITs", MaxResults=100):
        if remote.get("RequesterAnnotation") == annotation:
            return dict(remote)
    raise ProviderError(f"MTurk says HIT {index} exists, but it was not found.")


def _recover_by_annotation(gateway: MTurkGateway, campaign: Campaign, hit_type_id: str) -> int:
    by_annotation = {
        remote.get("RequesterAnnotation"): remote
        for remote in gateway.paginate("list_hits", "HITs", MaxResults=100)
        if remote.get("HITTypeId") == hit_type_id
    }
    recovered = 0
    for hit in Hit.objects.filter(campaign=campaign, provider_hit_id=""):
        remote = by_annotation.get(
            builders.hit_annotation(campaign_id=campaign.pk, index=hit.index)
        )
        if remote is not None:
            token = builders.hit_request_token(
                campaign_id=campaign.pk,
                hit_id=hit.pk,
                index=hit.index,
                environment=gateway.environment,
            )
            hit_record_published(
                hit_id=hit.pk, environment=gateway.environment, token=token, remote=remote
            )
            recovered += 1
    return recovered


@transaction.atomic
def hit_record_published(
    *, hit_id: int, environment: str, token: str, remote: dict[str, Any]
) -> bool:
    """Store the provider's HIT id on our Hit and its ProviderHit row, in one transaction."""
    hit = Hit.objects.select_for_update().get(pk=hit_id)
    remote_id = str(remote["HITId"])
    if hit.provider_hit_id:
        if hit.provider_hit_id != remote_id:
            raise ProviderError(
                f"HIT {hit.index} is recorded as {hit.provider_hit_id}, MTurk returned {remote_id}."
            )
        return False
    hit.provider_hit_id = remote_id
    hit.save(update_fields=["provider_hit_id"])
    ProviderHit.objects.create(
        hit=hit,
        provider="mturk",
        environment=environment,
        provider_hit_id=remote_id,
        hit_type_id=str(remote.get("HITTypeId", "")),
        hit_group_id=str(remote.get("HITGroupId", "")),
        request_token=token,
        remote_status=str(remote.get("HITStatus", "")),
        assignments_available=int(remote.get("NumberOfAssignmentsAvailable", 0) or 0),
        expires_at=remote.get("Expiration"),
    )
    return True
