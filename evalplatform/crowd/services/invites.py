"""The local provider's invites: personal links and participant codes, no third party."""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence

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
MAX_EXTERNAL_ID_LENGTH = 150
# A person's worker, named by the researcher's id for them (apart from "invite-<pk>", the
# worker of an invite that names nobody).
PERSON_PREFIX = "person:"


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
    count: int = 0,
    kind: str = InviteKind.LINK,
    label: str = "",
    simulated: bool = False,
    external_ids: Sequence[str] = (),
    labels: Sequence[str] = (),
) -> list[Invite]:
    """Make ``count`` invites (links or participant codes) for a campaign; labels get a
    number when several are made ("pilot 1", "pilot 2", ...). With ``external_ids`` (the
    researcher's ids for the people, e.g. student or panel ids) one invite is made per id
    instead, tied to that person: invites with the same id share one worker and one HIT
    limit, in this campaign and any other; ``labels`` (as many, where given) replace the
    numbered label."""
    if kind not in InviteKind.values:
        raise LeaseRefused(f"Unknown invite kind {kind!r}; use link or code.")
    people = [clean_external_id(raw) for raw in external_ids]
    if people:
        count = len(people)
    if not 1 <= count <= MAX_INVITES_PER_CALL:
        raise LeaseRefused(f"Make between 1 and {MAX_INVITES_PER_CALL} invites at a time.")
    invites = []
    for number in range(1, count + 1):
        numbered = f"{label} {number}".strip() if count > 1 else label
        if number <= len(labels) and labels[number - 1].strip():
            numbered = labels[number - 1].strip()[:200]
        invites.append(
            Invite.objects.create(
                campaign=campaign,
                code=_new_code(kind),
                kind=kind,
                label=numbered,
                simulated=simulated,
                external_id=people[number - 1] if people else "",
            )
        )
    return invites


def clean_external_id(raw: str) -> str:
    """A researcher's id for a person as stored: without surrounding spaces; refused when
    empty, too long or holding control characters."""
    cleaned = str(raw).strip()
    if not cleaned:
        raise LeaseRefused("An external id is empty: give one id per person.")
    if len(cleaned) > MAX_EXTERNAL_ID_LENGTH:
        raise LeaseRefused(
            f"External id {cleaned[:20]!r}... is longer than {MAX_EXTERNAL_ID_LENGTH} characters."
        )
    if any(ord(char) < 32 or ord(char) == 127 for char in cleaned):
        raise LeaseRefused(f"External id {cleaned!r} holds control characters.")
    return cleaned


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
    participant's worker record is made on first use, or found by the person's external
    id, so that every invite of one person counts against one HIT limit."""
    locked = Invite.objects.select_for_update().select_related("campaign").get(pk=invite.pk)
    if locked.revoked:
        raise LeaseRefused("This invitation was withdrawn by the researcher.")
    if locked.worker is None:
        locked.worker = _invite_worker(locked)
        locked.first_used_at = timezone.now()
        locked.save(update_fields=["worker", "first_used_at"])
    invite.worker = locked.worker
    return assignment_lease(campaign=locked.campaign, worker=locked.worker)


def _invite_worker(invite: Invite) -> Worker:
    """The person's worker when the invite names one (made by whichever of their invites
    is used first), else a worker of this invite's own."""
    if invite.external_id:
        worker, _ = Worker.objects.get_or_create(
            provider=LOCAL_PROVIDER,
            external_id=PERSON_PREFIX + invite.external_id,
            defaults={"simulated": invite.simulated},
        )
        return worker
    return Worker.objects.create(
        provider=LOCAL_PROVIDER, external_id=f"invite-{invite.pk}", simulated=invite.simulated
    )


@transaction.atomic
def invite_revoke(*, invite: Invite) -> Invite:
    """No new work through this invite; work already leased may still be finished."""
    Invite.objects.filter(pk=invite.pk).update(revoked=True)
    invite.revoked = True
    return invite
