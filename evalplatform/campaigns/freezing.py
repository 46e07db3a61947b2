"""What may change in a campaign once it is published.

Workers in the middle of a HIT answer the questions, shape and pay they were shown. A
campaign that was published therefore keeps everything a worker sees, is asked or is paid:
criteria and their options, protocol, HIT shape, gold checks, reward, bonus and its rule,
systems, sample, texts, worker requirements and provider. What may change is an explicit
list (``EDITABLE_WHEN_LIVE``), so a field added to the model later is frozen unless it is
added here on purpose: more assignments per HIT, a later deadline, the researcher's own
name for the campaign and the analysis settings, which no worker sees. Pausing, resuming
and stopping have their own services.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from evalplatform.campaigns.models import Campaign, CampaignPlan, CampaignStatus, PlanState
from evalplatform.protocols.registry import get as get_protocol

FROZEN_STATUSES = (CampaignStatus.PUBLISHED, CampaignStatus.COLLECTING, CampaignStatus.CLOSED)
EDITABLE_WHEN_LIVE = frozenset(
    {"name", "assignments_per_hit", "deadline", "alpha", "correction", "quality_filter"}
)
# Related rows that make up what a worker is asked (criteria) and what is evaluated.
FROZEN_RELATIONS = ("criteria", "systems")
WHY = (
    "The campaign is published, so what workers see, are asked and are paid can no longer "
    "change. You can add assignments per HIT, move the deadline later, pause, resume or stop it."
)


def is_frozen(campaign: Campaign) -> bool:
    return campaign.status in FROZEN_STATUSES


def frozen_fields(campaign: Campaign) -> list[str]:
    """The campaign's editable model fields that this campaign no longer lets change."""
    if not is_frozen(campaign):
        return []
    return [
        field.name
        for field in Campaign._meta.get_fields()
        if getattr(field, "editable", False)
        and not field.auto_created
        and field.name not in EDITABLE_WHEN_LIVE
        and field.concrete
    ]


def change_problems(
    campaign: Campaign, changes: Mapping[str, Any], *, now: datetime
) -> dict[str, list[str]]:
    """Why ``changes`` (field name -> new value) may not be applied to ``campaign`` as it
    is stored, per field; empty when they may. A value equal to the stored one is no
    change."""
    problems: dict[str, list[str]] = {}
    frozen = set(frozen_fields(campaign))
    for name, value in changes.items():
        current = getattr(campaign, name) if name not in FROZEN_RELATIONS else None
        if name in FROZEN_RELATIONS:
            if is_frozen(campaign):
                problems[name] = [f"{_label(name)} cannot change once published. {WHY}"]
            continue
        if value == current:
            continue
        if name in frozen:
            problems[name] = [f"{_label(name)} cannot change once published. {WHY}"]
        elif name == "deadline":
            problems.update(_deadline_problems(campaign, value, now))
        elif name == "assignments_per_hit" and is_frozen(campaign) and value < current:
            problems[name] = [
                f"Assignments per HIT can only grow once published (it is {current}): "
                "workers may already hold the places."
            ]
    return problems


def _deadline_problems(
    campaign: Campaign, value: datetime | None, now: datetime
) -> dict[str, list[str]]:
    if value is not None and value <= now:
        return {"deadline": ["The deadline must be in the future."]}
    earlier = value is not None and (campaign.deadline is None or value < campaign.deadline)
    if is_frozen(campaign) and earlier:
        return {
            "deadline": [
                "Once published the deadline can only move later; pause or stop the "
                "campaign to end it sooner."
            ]
        }
    return {}


def posted_frozen(campaign: Campaign, names: Iterable[str]) -> list[str]:
    """Of the field names a form posted, those this campaign keeps frozen."""
    frozen = set(frozen_fields(campaign))
    return sorted({name for name in names if name in frozen})


def _label(name: str) -> str:
    if name in FROZEN_RELATIONS:
        return name.capitalize()
    field = Campaign._meta.get_field(name)
    return str(getattr(field, "verbose_name", name)).capitalize()


def plan_to_freeze(campaign: Campaign) -> dict[str, Any] | None:
    """What publishing freezes of the campaign's latest finished plan (None when no plan
    finished): its inputs, who made it and when, the design being published and the power
    the plan predicted for it (``predicted``: the plan's row for that design, None when the
    plan did not simulate it), and the whole result (``reports.planning.Plan.to_dict()``)."""
    plan = (
        CampaignPlan.objects.filter(campaign=campaign, state=PlanState.DONE)
        .select_related("requested_by")
        .order_by("-requested_at", "-pk")
        .first()
    )
    if plan is None:
        return None
    result = dict(plan.result or {})
    design = {
        "items": campaign.sample_size,
        "raters": campaign.assignments_per_hit,
        "items_per_hit": campaign.items_per_hit,
    }
    return {
        "plan": plan.pk,
        "requested_by": plan.requested_by.get_username() if plan.requested_by else "",
        "requested_at": plan.requested_at.isoformat(),
        "finished_at": plan.finished_at.isoformat() if plan.finished_at else None,
        "difference": plan.difference,
        "target": plan.target,
        "seed": plan.seed,
        "sets": plan.sets,
        "pilot": plan.pilot_words,
        "design": design,
        "predicted": _row_for(result, design),
        "result": result,
    }


def plan_for_monitoring(campaign: Campaign, frozen: Mapping[str, Any]) -> dict[str, Any]:
    """The frozen plan's smallest difference worth detecting in the monitoring's unit
    (``difference``, None when the protocol has no such conversion) and whether the
    monitoring takes it: it does unless the researcher set the campaign's own
    ``smallest_difference`` (``researchers``), which wins."""
    spec = get_protocol(campaign.protocol)
    components = ((frozen.get("result") or {}).get("inputs") or {}).get("components") or {}
    value = spec.monitoring_difference(float(frozen["difference"]), components.get("values") or {})
    difference = None if value is None else round(value, 6)
    researchers = campaign.smallest_difference
    return {
        "difference": difference,
        "unit": spec.monitoring_unit,
        "taken": researchers is None and difference is not None,
        "researchers": researchers,
    }


def _row_for(result: Mapping[str, Any], design: Mapping[str, int]) -> dict[str, Any] | None:
    """The plan's row (its current design first, then its table) for ``design``."""
    rows = [result.get("current"), *(result.get("rows") or [])]
    for row in rows:
        if row and all(row.get(key) == design[key] for key in ("items", "raters")):
            return dict(row)
    return None
