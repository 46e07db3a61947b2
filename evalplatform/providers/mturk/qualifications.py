"""Our custom qualification types: a per-campaign "limit reached" type (workers who reached
campaign.max_hits_per_worker) and one "blocked" type per environment. Every HIT requires
both to be absent (DoesNotExist, DiscoverPreviewAndAccept), so one requirement each keeps
us far below MTurk's 10 per HIT. We use qualifications, never worker blocks, for limits.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from evalplatform.campaigns.models import Campaign
from evalplatform.crowd.models import ACTIVE_ASSIGNMENT_STATUSES, Assignment, Worker
from evalplatform.providers.models import (
    CallState,
    MTurkQualificationType,
    QualificationGrant,
    QualificationPurpose,
)
from evalplatform.providers.mturk.client import MTurkGateway, MTurkRequestError

BLOCKED_NAME = "evalplatform-blocked"
ALREADY_EXISTS = "AWS.MechanicalTurk.QualificationTypeAlreadyExists"


def limit_qualification_name(campaign: Campaign) -> str:
    return f"evalplatform-limit-reached-campaign-{campaign.pk}"


def find_or_create_qualification(
    gateway: MTurkGateway,
    *,
    name: str,
    description: str,
    purpose: str,
    campaign: Campaign | None = None,
) -> MTurkQualificationType:
    """Our row if we have one; else create on MTurk, treating "already exists" (a botocore
    retry after a lost answer, or an earlier crash) as "find it by name"."""
    env = gateway.environment
    row = MTurkQualificationType.objects.filter(environment=env, name=name).first()
    if row is not None:
        return row
    try:
        created = gateway.call(
            "create_qualification_type",
            Name=name,
            Description=description,
            QualificationTypeStatus="Active",
        )
        type_id = created["QualificationType"]["QualificationTypeId"]
    except MTurkRequestError as error:
        if error.code != ALREADY_EXISTS and "already" not in error.message.lower():
            raise
        type_id = _find_by_name(gateway, name)
    row, _ = MTurkQualificationType.objects.get_or_create(
        environment=env,
        name=name,
        defaults={"qualification_type_id": type_id, "purpose": purpose, "campaign": campaign},
    )
    return row


def _find_by_name(gateway: MTurkGateway, name: str) -> str:
    # MustBeRequestable is required by the model; False includes types workers cannot
    # request, which ours are.
    types = gateway.paginate(
        "list_qualification_types",
        "QualificationTypes",
        Query=name,
        MustBeRequestable=False,
        MustBeOwnedByCaller=True,
        MaxResults=100,
    )
    for found in types:
        if found.get("Name") == name:
            return str(found["QualificationTypeId"])
    raise MTurkRequestError(f"Qualification type {name!r} exists but was not found by name.")


def limit_qualification(gateway: MTurkGateway, campaign: Campaign) -> MTurkQualificationType:
    return find_or_create_qualification(
        gateway,
        name=limit_qualification_name(campaign),
        purpose=QualificationPurpose.LIMIT,
        campaign=campaign,
        description=f"Reached the limit of {campaign.max_hits_per_worker} HITs in one of our "
        "evaluation campaigns.",
    )


def blocked_qualification(gateway: MTurkGateway) -> MTurkQualificationType:
    return find_or_create_qualification(
        gateway,
        name=BLOCKED_NAME,
        purpose=QualificationPurpose.BLOCKED,
        description="Not eligible for our dialogue evaluation HITs.",
    )


def qualification_grant(
    gateway: MTurkGateway, *, qualification: MTurkQualificationType, worker: Worker, reason: str
) -> bool:
    """Associate the qualification with the worker once (no e-mail to the worker). Repeating
    the MTurk call is harmless (it sets the same score), so a PENDING row is simply resent."""
    grant, _ = QualificationGrant.objects.get_or_create(
        qualification=qualification,
        worker=worker,
        defaults={"environment": gateway.environment, "reason": reason},
    )
    if grant.state == CallState.SENT:
        return False
    gateway.call(
        "associate_qualification_with_worker",
        QualificationTypeId=qualification.qualification_type_id,
        WorkerId=worker.external_id,
        IntegerValue=1,
        SendNotification=False,
    )
    with transaction.atomic():
        QualificationGrant.objects.filter(pk=grant.pk).update(
            state=CallState.SENT, granted_at=timezone.now()
        )
    return True


def workers_at_limit(campaign: Campaign) -> list[Worker]:
    """MTurk workers whose assignments in the campaign (in progress or done) reached the
    campaign's per-worker limit."""
    counts = (
        Assignment.objects.filter(
            hit__campaign=campaign,
            status__in=ACTIVE_ASSIGNMENT_STATUSES,
            worker__provider="mturk",
        )
        .values("worker")
        .annotate(n=Count("id"))
        .filter(n__gte=campaign.max_hits_per_worker)
    )
    return list(Worker.objects.filter(pk__in=[row["worker"] for row in counts]))


def enforce_limits(gateway: MTurkGateway, campaign: Campaign) -> int:
    """Grant the campaign's limit qualification to every worker at the limit; returns how
    many were newly granted."""
    workers = workers_at_limit(campaign)
    if not workers:
        return 0
    qualification = limit_qualification(gateway, campaign)
    reason = f"Reached {campaign.max_hits_per_worker} HITs in campaign {campaign.pk}."
    return sum(
        qualification_grant(gateway, qualification=qualification, worker=w, reason=reason)
        for w in workers
    )
