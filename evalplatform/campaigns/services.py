"""Writes on datasets, systems and campaigns. Every function is a transaction."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from evalplatform.campaigns.freezing import (
    EDITABLE_WHEN_LIVE,
    FROZEN_RELATIONS,
    change_problems,
    plan_for_monitoring,
    plan_to_freeze,
)
from evalplatform.campaigns.models import (
    Campaign,
    CampaignStatus,
    CampaignSystem,
    Criterion,
    Dataset,
    Dialogue,
    SampledDialogue,
    System,
)
from evalplatform.campaigns.presets import PRESETS
from evalplatform.campaigns.sampling import draw_sample, sample_target
from evalplatform.campaigns.validation import campaign_problems
from evalplatform.common.errors import ApplicationError, InvalidTransition

# Forward only. Closing is allowed from any live state, so a researcher can stop early.
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    CampaignStatus.DRAFT: {CampaignStatus.GENERATING},
    CampaignStatus.GENERATING: {CampaignStatus.READY},
    CampaignStatus.READY: {CampaignStatus.PUBLISHED, CampaignStatus.CLOSED},
    CampaignStatus.PUBLISHED: {CampaignStatus.COLLECTING, CampaignStatus.CLOSED},
    CampaignStatus.COLLECTING: {CampaignStatus.CLOSED},
    CampaignStatus.CLOSED: set(),
}


def system_create(
    *,
    name: str,
    kind: str,
    path: str = "",
    decoding: dict[str, Any] | None = None,
    description: str = "",
) -> System:
    return _system_save(System(name=name), kind, path, decoding, description)


@transaction.atomic
def system_register(
    *,
    name: str,
    kind: str,
    path: str = "",
    decoding: dict[str, Any] | None = None,
    description: str = "",
) -> System:
    """Create the system, or update the one of that name: what commands that (re)register
    systems call, so their systems pass the same validation as the admin's and the API's."""
    system = System.objects.filter(name=name).first() or System(name=name)
    return _system_save(system, kind, path, decoding, description)


def _system_save(
    system: System, kind: str, path: str, decoding: dict[str, Any] | None, description: str
) -> System:
    """Every write of a system is validated (decoding settings, the adapter allow-list)."""
    system.kind, system.path = kind, path
    system.decoding, system.description = decoding or {}, description
    system.full_clean()
    system.save()
    return system


@transaction.atomic
def campaign_create_from_preset(
    *,
    preset_key: str,
    name: str,
    dataset: Dataset,
    systems: Sequence[System],
    overrides: dict[str, Any] | None = None,
) -> Campaign:
    """Create a draft campaign with the preset's protocol, criteria, sample, HIT shape and pay."""
    try:
        preset = PRESETS[preset_key]
    except KeyError:
        raise ApplicationError(
            f"Unknown preset {preset_key!r}; choose one of {', '.join(PRESETS)}."
        ) from None
    fields: dict[str, Any] = {
        "name": name,
        "preset": preset.key,
        "protocol": preset.protocol,
        "title": preset.title,
        "description": preset.description,
        "instructions": preset.instructions,
        "dataset": dataset,
        "sample_size": preset.sample_size,
        "sample_subsets": list(preset.sample_subsets),
        "items_per_hit": preset.items_per_hit,
        "assignments_per_hit": preset.assignments_per_hit,
        "gold_per_hit": preset.gold_per_hit,
        "gold_subset": preset.gold_subset,
        "gold_rule": preset.gold_rule,
        "unlabelled_systems": preset.unlabelled_systems,
        "reward": preset.reward,
        "bonus": preset.bonus,
        "worker_requirements": preset.worker_requirements,
        "max_hits_per_worker": preset.max_hits_per_worker,
        "quality_filter": dict(preset.quality_filter),
    }
    fields.update(overrides or {})
    campaign = Campaign(**fields)
    campaign.full_clean()
    campaign.save()
    for position, spec in enumerate(preset.criteria):
        Criterion.objects.create(
            campaign=campaign,
            name=spec.name,
            question=spec.question,
            kind=spec.kind,
            anchors=dict(spec.anchors),
            position=position,
            scale_min=0 if spec.kind == "binary" else 1,
            scale_max=1 if spec.kind == "binary" else 5,
        )
    campaign_set_systems(campaign=campaign, systems=systems)
    return campaign


@transaction.atomic
def campaign_create_runnable(
    *,
    preset_key: str,
    name: str,
    dataset: Dataset,
    systems: Sequence[System],
    overrides: dict[str, Any] | None = None,
) -> Campaign:
    """What the admin and the API create: the preset campaign, refused (nothing stored) with
    the campaign checks' own sentences when it could not run, so a researcher learns at once
    instead of at Generate."""
    repeated = duplicate_names(systems)
    if repeated:
        raise ValidationError(
            {"systems": [f"System {name} is listed more than once." for name in repeated]}
        )
    campaign = campaign_create_from_preset(
        preset_key=preset_key, name=name, dataset=dataset, systems=systems, overrides=overrides
    )
    problems = campaign_problems(campaign)
    if problems:
        raise ValidationError({NON_FIELD_ERRORS: problems})  # rolls the campaign back
    return campaign


def duplicate_names(systems: Sequence[System]) -> list[str]:
    """Systems named more than once, in the order they first repeat."""
    seen: set[int] = set()
    repeated: list[str] = []
    for system in systems:
        if system.pk in seen and system.name not in repeated:
            repeated.append(system.name)
        seen.add(system.pk)
    return repeated


@transaction.atomic
def campaign_set_systems(*, campaign: Campaign, systems: Sequence[System]) -> None:
    if campaign.status != CampaignStatus.DRAFT:
        raise InvalidTransition("Systems can only change while the campaign is a draft.")
    CampaignSystem.objects.filter(campaign=campaign).exclude(
        system__in=[s.pk for s in systems]
    ).delete()
    for position, system in enumerate(systems):
        CampaignSystem.objects.update_or_create(
            campaign=campaign, system=system, defaults={"position": position}
        )


# Live: handing out work, or able to once resumed.
LIVE_STATUSES = (CampaignStatus.PUBLISHED, CampaignStatus.COLLECTING)


@transaction.atomic
def campaign_update(
    *, campaign: Campaign, changes: Mapping[str, Any], now: datetime | None = None
) -> Campaign:
    """Change a campaign's fields (field name -> value; ``systems`` a list of systems),
    as the admin's form and the API's PATCH do. Once published, what workers see, are asked
    or are paid is frozen (``campaigns.freezing``): refused with a ``ValidationError`` per
    field and nothing stored. The row is locked first, so a publish running at the same
    moment is either before the check or after the write."""
    now = now or timezone.now()
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    unknown = sorted(set(changes) - _updatable())
    if unknown:
        raise ValidationError({name: ["No such campaign setting."] for name in unknown})
    problems = change_problems(locked, changes, now=now)
    if problems:
        raise ValidationError(problems)
    fields = {name: value for name, value in changes.items() if name not in FROZEN_RELATIONS}
    changed = [name for name, value in fields.items() if getattr(locked, name) != value]
    for name in changed:
        setattr(locked, name, fields[name])
    if changed:
        locked.full_clean()
        locked.save(update_fields=[*changed, "updated_at"])
    if "systems" in changes:
        campaign_set_systems(campaign=locked, systems=changes["systems"])
    for name in changed:
        setattr(campaign, name, getattr(locked, name))
    return campaign


def _updatable() -> set[str]:
    """Every field a researcher sets (status and its times have their own services)."""
    editable = {
        field.name
        for field in Campaign._meta.get_fields()
        if getattr(field, "editable", False) and field.concrete and not field.auto_created
    }
    return (editable - {"status", "status_changed_at"}) | EDITABLE_WHEN_LIVE | {"systems"}


@transaction.atomic
def campaign_pause(*, campaign: Campaign, now: datetime | None = None) -> Campaign:
    """Hand out no new HITs until resumed; workers in the middle of one may finish it.
    Pausing a paused campaign changes nothing."""
    locked = _locked_live(campaign, "paused")
    if locked.paused_at is None:
        locked.paused_at = now or timezone.now()
        locked.save(update_fields=["paused_at", "updated_at"])
    campaign.paused_at = locked.paused_at
    return campaign


@transaction.atomic
def campaign_resume(*, campaign: Campaign) -> Campaign:
    """Hand out HITs again after a pause. Resuming a running campaign changes nothing."""
    locked = _locked_live(campaign, "resumed")
    if locked.paused_at is not None:
        locked.paused_at = None
        locked.save(update_fields=["paused_at", "updated_at"])
    campaign.paused_at = None
    return campaign


@transaction.atomic
def campaign_stop(*, campaign: Campaign) -> Campaign:
    """Stop collecting for good: the campaign is closed and hands out no more HITs;
    workers in the middle of one may still submit it. Stopping a closed one changes
    nothing."""
    status = Campaign.objects.select_for_update().values_list("status", flat=True)
    if status.get(pk=campaign.pk) == CampaignStatus.CLOSED:
        campaign.status = CampaignStatus.CLOSED
        return campaign
    _locked_live(campaign, "stopped")
    return campaign_transition(campaign=campaign, to=CampaignStatus.CLOSED)


def _locked_live(campaign: Campaign, verb: str) -> Campaign:
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if locked.status not in LIVE_STATUSES:
        raise InvalidTransition(
            f"Campaign {locked.name!r} is {locked.get_status_display().lower()}; only a "
            f"published campaign can be {verb}."
        )
    return locked


@transaction.atomic
def campaign_transition(*, campaign: Campaign, to: str) -> Campaign:
    """Move a campaign's status forward, refusing any move the state machine forbids."""
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if to not in ALLOWED_TRANSITIONS[locked.status]:
        raise InvalidTransition(f"Campaign {locked.name!r} cannot go from {locked.status} to {to}.")
    locked.status = to
    locked.status_changed_at = timezone.now()
    changed = ["status", "status_changed_at", "updated_at"]
    if to == CampaignStatus.PUBLISHED and locked.frozen_plan is None:
        # Publishing happens once; the plan made before it is what the report states.
        locked.frozen_plan = plan_to_freeze(locked)
        changed.append("frozen_plan")
        if locked.frozen_plan is not None:
            # The plan's smallest difference is what the monitoring calls futile, unless
            # the researcher set one for the campaign: theirs wins.
            monitoring = plan_for_monitoring(locked, locked.frozen_plan)
            locked.frozen_plan["monitoring"] = monitoring
            if monitoring["taken"]:
                locked.smallest_difference = monitoring["difference"]
                changed.append("smallest_difference")
        campaign.frozen_plan = locked.frozen_plan
        campaign.smallest_difference = locked.smallest_difference
    locked.save(update_fields=changed)
    campaign.status, campaign.status_changed_at = locked.status, locked.status_changed_at
    return campaign


@transaction.atomic
def campaign_draw_sample(*, campaign: Campaign) -> list[int]:
    """Draw (once) and store the campaign's sampled dialogues; returns their ids in order."""
    existing = list(
        SampledDialogue.objects.filter(campaign=campaign).values_list("dialogue_id", flat=True)
    )
    if existing:
        return existing
    problems = campaign_problems(campaign)
    if problems:
        raise ApplicationError(" ".join(problems))
    by_subset: dict[str, list[int]] = defaultdict(list)
    for pk, subset in Dialogue.objects.filter(dataset=campaign.dataset).values_list("pk", "subset"):
        by_subset[subset].append(pk)
    size = sample_target(
        protocol=campaign.protocol,
        sample_size=campaign.sample_size,
        n_systems=campaign.entries.count(),
    )
    drawn = draw_sample(
        dialogue_ids_by_subset=by_subset,
        subsets=campaign.sample_subsets or [],
        size=size,
        seed=campaign.sample_seed,
    )
    SampledDialogue.objects.bulk_create(
        SampledDialogue(campaign=campaign, dialogue_id=pk, position=position)
        for position, pk in enumerate(drawn)
    )
    return drawn
