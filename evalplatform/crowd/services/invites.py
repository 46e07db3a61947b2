"""The local provider's invites: personal links and participant codes, no third party."""

from __future__ import annotations

import re
import secrets

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from evalplatform.campaigns.models import Campaign
from evalplatform.crowd.errors import LeaseRefused
from evalplatform.crowd.models import Assignment, Invite, InviteKind, Worker
from evalplatform.crowd.services.assignments import assignment_lease

LOCAL_PROVIDER = "local"
MAX_INVITES_PER_CALL = 1000
# Participant codes are read aloud and typed: no 0/O, 1/I/L, U.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
CODE_LENGTH = 10


def _new_code(kind: str) -> str:
    if kind == InviteKind.CODE:
        return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return secrets.token_urlsafe(16)


def normalize_code(code: str) -> str:
    """What a participant typed, as stored: upper case, no spaces or dashes. Link codes
    are case-sensitive and kept as they are."""
    cleaned = code.strip()
    compact = re.sub(r"[\s-]", "", cleaned).upper()
    if len(compact) == CODE_LENGTH and set(compact) <= set(CODE_ALPHABET):
        return compact
    return cleaned


def display_code(invite: Invite) -> str:
    if invite.kind == InviteKind.CODE:
        return f"{invite.code[:5]}-{invite.code[5:]}"
    return invite.code


def invite_path(invite: Invite) -> str:
    return reverse("crowd:invite", kwargs={"code": invite.code})


@transaction.atomic
def invites_create(
    *,
    campaign: Campaign,
    count: int,
    kind: str = InviteKind.LINK,
    label: str = "",
    simulated: bool = False,
) -> list[Invite]:
    """Make ``count`` invites (links or participant codes) for a campaign; labels get a
    number when several are made ("pilot 1", "pilot 2", ...)."""
    if kind not in InviteKind.values:
        raise LeaseRefused(f"Unknown invite kind {kind!r}; use link or code.")
    if not 1 <= count <= MAX_INVITES_PER_CALL:
        raise LeaseRefused(f"Make between 1 and {MAX_INVITES_PER_CALL} invites at a time.")
    invites = []
    for number in range(1, count + 1):
        numbered = f"{label} {number}".strip() if count > 1 else label
        invites.append(
            Invite.objects.create(
                campaign=campaign,
                code=_new_code(kind),
                kind=kind,
                label=numbered,
                simulated=simulated,
            )
        )
    return invites


def invite_find(*, code: str) -> Invite:
    """The live invite with this code; refused with a message for the participant."""
    invite = (
        Invite.objects.select_related("campaign", "worker")
        .filter(code=normalize_code(code))
        .first()
    )
    if invite is None or invite.revoked:
        raise LeaseRefused("This invitation is not valid. Check the link or code you were given.")
    return invite


@transaction.atomic
def invite_start(*, invite: Invite) -> Assignment:
    """Work for the invite's participant: their open assignment, or a new lease. The
    participant's worker record is made on first use."""
    locked = Invite.objects.select_for_update().select_related("campaign").get(pk=invite.pk)
    if locked.revoked:
        raise LeaseRefused("This invitation was withdrawn by the researcher.")
    if locked.worker is None:
        locked.worker = Worker.objects.create(
            provider=LOCAL_PROVIDER,
            external_id=f"invite-{locked.pk}",
            simulated=locked.simulated,
        )
        locked.first_used_at = timezone.now()
        locked.save(update_fields=["worker", "first_used_at"])
    invite.worker = locked.worker
    return assignment_lease(campaign=locked.campaign, worker=locked.worker)


@transaction.atomic
def invite_revoke(*, invite: Invite) -> Invite:
    """No new work through this invite; work already leased may still be finished."""
    Invite.objects.filter(pk=invite.pk).update(revoked=True)
    invite.revoked = True
    return invite
