"""The campaign's plan page: a form that asks the power planner for a plan of the campaign
being prepared (``reports.tasks.campaign_plan_start``), the plan's progress while the task
runs (the page polls ``plan.json``; no reload), then its table of designs and power curve.

Starting a plan takes the campaign's change permission, reading it the view permission
(``admin.campaigns.CAMPAIGN_PAGES``)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from evalplatform.campaigns.models import Campaign, CampaignPlan, PlanState
from evalplatform.campaigns.selectors import campaign_criterion_scales
from evalplatform.common.errors import ApplicationError
from evalplatform.console import permissions
from evalplatform.protocols.registry import get
from evalplatform.reports.campaign_report import campaign_report_settings
from evalplatform.reports.plan_display import plan_section, summary, table_rows, unit_words
from evalplatform.reports.plan_runs import (
    MAX_PILOT_BYTES,
    PLANNABLE,
    SETS,
    UNFINISHED,
    campaign_plan_latest,
    plan_body,
)
from evalplatform.reports.tasks import campaign_plan_start

PLAN_VIEW = "console_campaign_plan"
PLAN_JSON = "console_campaign_plan_json"
POLL_MS = 1000  # a plan moves a design every second or so


class PlanForm(forms.Form):
    difference = forms.FloatField(min_value=0, label="Smallest difference worth detecting")
    target = forms.FloatField(
        initial=0.8,
        min_value=0.01,
        max_value=0.99,
        label="Target power",
        help_text="The chance of detecting that difference, e.g. 0.8.",
    )
    pilot_campaign = forms.ModelChoiceField(
        queryset=Campaign.objects.none(),
        required=False,
        label="Pilot: an earlier campaign",
        help_text="Its judgments give the variance components (same protocol).",
    )
    pilot_file = forms.FileField(
        required=False,
        label="Pilot: a tidy CSV",
        help_text="The analyze command's columns for this protocol.",
    )
    sets = forms.IntegerField(
        initial=200,
        min_value=SETS[0],
        max_value=SETS[1],
        label="Simulated data sets a design",
        help_text="More sets narrow the Monte-Carlo intervals and take longer.",
    )
    seed = forms.IntegerField(initial=0, min_value=0, max_value=2**31 - 1)

    def __init__(self, campaign: Campaign, unit: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        pilots = cast(forms.ModelChoiceField, self.fields["pilot_campaign"])
        pilots.queryset = Campaign.objects.filter(protocol=campaign.protocol).exclude(
            pk=campaign.pk
        )
        self.fields["difference"].help_text = (
            f"In {unit}." if unit else "On the scale the report's default test compares."
        )

    def clean_pilot_file(self) -> str:
        upload = self.cleaned_data.get("pilot_file")
        if not upload:
            return ""
        if upload.size > MAX_PILOT_BYTES:
            raise ValidationError(f"{upload.name}: larger than {MAX_PILOT_BYTES // 1_000_000} MB.")
        try:
            return str(upload.read().decode("utf-8-sig"))
        except UnicodeDecodeError as error:
            raise ValidationError(f"{upload.name}: not UTF-8 text.") from error


def plan_view(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    plan = campaign_plan_latest(campaign)
    unit = plan_unit(campaign, plan)
    form = PlanForm(
        campaign, unit, request.POST or None, request.FILES or None, initial=_last_inputs(plan)
    )
    if request.method == "POST" and form.is_valid() and _start(request, campaign, form):
        return HttpResponseRedirect(request.path)
    plannable = campaign.status in PLANNABLE
    return render(
        request,
        "console/plan.html",
        {
            **admin.site.each_context(request),
            "campaign": campaign,
            "title": f"Plan: {campaign.name}",
            "opts": Campaign._meta,
            "form": form if plannable and request.user.has_perm(permissions.CHANGE) else None,
            "plannable": plannable,
            "plan": plan,
            "result_html": plan_result_html(plan),
            "frozen": plan_section(campaign.frozen_plan)["statement"] if not plannable else [],
            "plan_config": {
                "url": reverse(f"admin:{PLAN_JSON}", args=[campaign.pk]),
                "every": POLL_MS,
                "running": plan is not None and plan.state in UNFINISHED,
            },
        },
    )


def _last_inputs(plan: CampaignPlan | None) -> dict[str, Any]:
    """The form starts from the latest plan's inputs (the pilot is chosen again)."""
    if plan is None:
        return {}
    return {
        "difference": plan.difference,
        "target": plan.target,
        "sets": plan.sets,
        "seed": plan.seed,
    }


def plan_json_view(request: HttpRequest, campaign_id: int) -> JsonResponse:
    """The latest plan's state and progress; once it has finished, its result as the page
    shows it (``html``)."""
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    plan = campaign_plan_latest(campaign)
    if plan is None:
        return JsonResponse({"state": None}, headers={"Cache-Control": "no-store"})
    full = plan_body(plan)
    body = {key: full[key] for key in ("id", "state", "done", "total", "error")}
    body["html"] = plan_result_html(plan)
    return JsonResponse(body, headers={"Cache-Control": "no-store"})


def _start(request: HttpRequest, campaign: Campaign, form: PlanForm) -> bool:
    data = form.cleaned_data
    upload = request.FILES.get("pilot_file")
    try:
        campaign_plan_start(
            campaign=campaign,
            difference=data["difference"],
            target=data["target"],
            pilot_campaign=data["pilot_campaign"],
            pilot_csv=data["pilot_file"],
            pilot_name=upload.name if upload else "",
            sets=data["sets"],
            seed=data["seed"],
            requested_by=request.user,
        )
    except ValidationError as error:
        for field, errors in error.message_dict.items():
            form.add_error(_form_field(field, form), errors)
        return False
    except ApplicationError as error:
        form.add_error(None, error.message)
        return False
    messages.success(request, "The plan is queued; this page shows its progress.")
    return True


def _form_field(field: str, form: PlanForm) -> str | None:
    field = "pilot_file" if field == "pilot_csv" else field
    return field if field in form.fields else None


def plan_unit(campaign: Campaign, plan: CampaignPlan | None) -> str:
    """The words of the difference's unit: the latest plan's, else what the protocol's
    planning model says before any pilot ("" for a protocol the planner cannot plan)."""
    if plan is not None and plan.result:
        return unit_words(plan.result)
    try:
        model = get(campaign.protocol).planning_model(
            pilot=None,
            criteria=campaign_criterion_scales(campaign),
            settings=campaign_report_settings(campaign),
        )
    except ValueError:
        return ""
    return str(model.unit)


def plan_result_html(plan: CampaignPlan | None) -> str:
    """The finished plan's table, cheapest design and curve ("" while it runs)."""
    if plan is None or plan.state in UNFINISHED:
        return ""
    if plan.state == PlanState.FAILED:
        return render_to_string("console/_plan_result.html", {"plan": plan})
    # matplotlib loads here, once a plan is shown, not with every admin page.
    from evalplatform.reports.plots import power_curve, to_svg

    result = plan.result or {}
    curve = power_curve(result)
    return render_to_string(
        "console/_plan_result.html",
        {
            "plan": plan,
            "result": result,
            "unit": unit_words(result),
            "rows": table_rows(result),
            "summary": summary(result),
            "curve": mark_safe(to_svg(curve)) if curve is not None else "",
        },
    )
