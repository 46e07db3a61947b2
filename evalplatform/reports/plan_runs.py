"""A campaign's plans as the console asks for them: requested (validated and queued), run by
the plan task with its progress, and read back.

A plan is made while the campaign is being prepared; once it is published its latest
finished plan is frozen with it (``campaigns.freezing``) and no new plan is taken. The pilot
is an earlier campaign of the same protocol or an uploaded tidy CSV (the ``analyze``
columns), validated here so that a bad file is refused on the form, naming its line, and
not in a task nobody watches.
"""

from __future__ import annotations

import io
import math
from typing import Any

import pandas as pd
from celery.exceptions import SoftTimeLimitExceeded
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from evalplatform.campaigns.models import (
    Campaign,
    CampaignPlan,
    CampaignStatus,
    CriterionKind,
    PlanState,
)
from evalplatform.common.errors import InvalidTransition
from evalplatform.protocols.registry import get
from evalplatform.reports.planning import plan_campaign
from evalplatform.reports.selectors import campaign_judgments_frame
from evalplatform.reports.tidy import TidyError, read_judgments

PLANNABLE = (CampaignStatus.DRAFT, CampaignStatus.GENERATING, CampaignStatus.READY)
UNFINISHED = (PlanState.QUEUED, PlanState.RUNNING)
MAX_PILOT_BYTES = 5_000_000
SETS = (10, 2000)  # simulated data sets a design: fewer is noise, more is hours


def _pilot_scale(campaign: Campaign) -> dict[str, Any]:
    """How a pilot CSV of this campaign is validated: its binary criteria and the range of
    its scale criteria (1-5 when it has none)."""
    criteria = list(campaign.criteria.values_list("name", "kind", "scale_min", "scale_max"))
    scale = [(low, high) for _, kind, low, high in criteria if kind == CriterionKind.SCALE]
    return {
        "binary_criteria": [name for name, kind, _, _ in criteria if kind == CriterionKind.BINARY],
        "scale": (min(lo for lo, _ in scale), max(hi for _, hi in scale)) if scale else (1, 5),
    }


def pilot_csv_frame(campaign: Campaign, text: str, name: str) -> pd.DataFrame:
    """The uploaded pilot as validated judgments; ``ValidationError`` on ``pilot_csv``
    naming the file and the first bad line."""
    if len(text.encode("utf-8")) > MAX_PILOT_BYTES:
        raise ValidationError(
            {"pilot_csv": [f"{name}: larger than {MAX_PILOT_BYTES // 1_000_000} MB."]}
        )
    try:
        return read_judgments(io.StringIO(text), str(campaign.protocol), **_pilot_scale(campaign))
    except TidyError as error:
        raise ValidationError({"pilot_csv": [f"{name}: {error}"]}) from error


def pilot_campaign_frame(campaign: Campaign, pilot: Campaign) -> pd.DataFrame:
    """The analysed judgments of an earlier campaign of the same protocol."""
    if pilot.pk == campaign.pk:
        raise ValidationError({"pilot_campaign": ["A campaign cannot be its own pilot."]})
    if get(pilot.protocol) is not get(campaign.protocol):
        raise ValidationError(
            {
                "pilot_campaign": [
                    f"{pilot.name} is a {pilot.get_protocol_display()} campaign; the pilot of "
                    f"a {campaign.get_protocol_display()} campaign must be one too."
                ]
            }
        )
    frame = campaign_judgments_frame(pilot)
    if frame.empty:
        raise ValidationError(
            {"pilot_campaign": [f"{pilot.name} has no analysed judgments to learn from yet."]}
        )
    return frame


def _input_problems(difference: float, target: float, sets: int) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    if not math.isfinite(difference) or difference <= 0:
        problems["difference"] = ["The smallest difference worth detecting must be above 0."]
    if not math.isfinite(target) or not 0 < target < 1:
        problems["target"] = ["The target power is a share between 0 and 1, e.g. 0.8."]
    if not SETS[0] <= sets <= SETS[1]:
        problems["sets"] = [f"Simulated data sets a design: between {SETS[0]} and {SETS[1]}."]
    return problems


@transaction.atomic
def campaign_plan_request(
    *,
    campaign: Campaign,
    difference: float,
    target: float = 0.8,
    pilot_campaign: Campaign | None = None,
    pilot_csv: str = "",
    pilot_name: str = "",
    sets: int = 200,
    seed: int = 0,
    requested_by: Any = None,
) -> tuple[CampaignPlan, bool]:
    """(the plan for these inputs, whether the plan task must be sent for it): a plan with
    the same inputs still queued or running is that one, however often it is asked for.
    Refuses a published campaign (``InvalidTransition``) and bad inputs
    (``ValidationError`` per field). The caller sends ``reports.tasks.run_campaign_plan``
    on commit when asked to (``reports.tasks.campaign_plan_start`` does both)."""
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if locked.status not in PLANNABLE:
        raise InvalidTransition(
            f"Campaign {locked.name!r} is {locked.get_status_display().lower()}: a plan is made "
            "before publishing, and the one made then is frozen with the campaign."
        )
    problems = _input_problems(difference, target, sets)
    if pilot_campaign is not None and pilot_csv:
        problems["pilot_csv"] = ["Give one pilot: an earlier campaign or a CSV file, not both."]
    if problems:
        raise ValidationError(problems)
    if pilot_campaign is not None:
        pilot_campaign_frame(locked, pilot_campaign)
    elif pilot_csv:
        pilot_csv_frame(locked, pilot_csv, pilot_name or "the pilot CSV")
    inputs = {
        "difference": difference,
        "target": target,
        "sets": sets,
        "seed": seed,
        "pilot_campaign": pilot_campaign,
        "pilot_csv": pilot_csv,
        "pilot_name": pilot_campaign.name if pilot_campaign else pilot_name[:200],
    }
    waiting = CampaignPlan.objects.filter(campaign=locked, state__in=UNFINISHED, **inputs).first()
    if waiting is not None:
        return waiting, False
    plan = CampaignPlan.objects.create(
        campaign=locked, requested_by=requested_by, requested_at=timezone.now(), **inputs
    )
    return plan, True


def campaign_plan_run(*, plan_id: int) -> None:
    """Run a requested plan, keeping its progress (designs simulated of all) on its row,
    then its result or why it failed. Idempotent: a finished plan is left alone; one found
    running (its worker died) starts again from the beginning."""
    plan = CampaignPlan.objects.select_related("campaign", "pilot_campaign").filter(pk=plan_id)
    found = plan.first()
    if found is None or found.state in (PlanState.DONE, PlanState.FAILED):
        return
    rows = CampaignPlan.objects.filter(pk=plan_id)
    rows.update(state=PlanState.RUNNING, started_at=timezone.now(), done=0, total=0, error="")

    def progress(done: int, total: int) -> None:
        rows.update(done=min(done, total), total=total)

    try:
        result = plan_campaign(
            found.campaign,
            difference=found.difference,
            target=found.target,
            pilot=_pilot(found),
            sets=found.sets,
            seed=found.seed,
            progress=progress,
        ).to_dict()
    except SoftTimeLimitExceeded:
        _fail(rows, "The plan took longer than the task may run; use fewer simulated sets.")
        return
    except (ValueError, ValidationError) as error:  # the inputs cannot be planned: say why
        _fail(rows, _message(error))
        return
    except Exception as error:
        _fail(rows, f"{type(error).__name__}: {error}")
        raise
    finished = CampaignPlan.objects.get(pk=plan_id)
    rows.update(
        state=PlanState.DONE,
        done=finished.total,
        result=result,
        finished_at=timezone.now(),
    )


def _pilot(plan: CampaignPlan) -> pd.DataFrame | None:
    if plan.pilot_campaign is not None:
        return pilot_campaign_frame(plan.campaign, plan.pilot_campaign)
    if plan.pilot_csv:
        return pilot_csv_frame(plan.campaign, plan.pilot_csv, plan.pilot_name or "the pilot CSV")
    return None


def _message(error: ValueError | ValidationError) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def _fail(rows: Any, message: str) -> None:
    rows.update(state=PlanState.FAILED, error=message, finished_at=timezone.now())


# ---- reads


def campaign_plan_latest(campaign: Campaign) -> CampaignPlan | None:
    """The campaign's most recently requested plan, whatever its state."""
    return (
        CampaignPlan.objects.filter(campaign=campaign)
        .select_related("pilot_campaign", "requested_by")
        .order_by("-requested_at", "-pk")
        .first()
    )


def plan_body(plan: CampaignPlan) -> dict[str, Any]:
    """The plan as the API and the plan page's polling read it."""
    user = plan.requested_by
    return {
        "id": plan.pk,
        "campaign": plan.campaign_id,
        "state": plan.state,
        "done": plan.done,
        "total": plan.total,
        "difference": plan.difference,
        "target": plan.target,
        "sets": plan.sets,
        "seed": plan.seed,
        "pilot": plan.pilot_words,
        "requested_by": user.get_username() if user is not None else "",
        "requested_at": plan.requested_at,
        "started_at": plan.started_at,
        "finished_at": plan.finished_at,
        "error": plan.error,
        "result": plan.result,
    }
