"""The researchers' REST API as the console composes it: the campaigns app's viewsets, with
the campaign status counting what the apps above campaigns hold (HITs, assignments,
judgments, the provider's side), which campaigns cannot import, and the campaign's power
plans, which the reports app runs."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from evalplatform.campaigns.apis import (
    INVALID,
    NOT_FOUND,
    CampaignStatusSerializer,
    CampaignViewSet,
    drf_errors,
    responses,
)
from evalplatform.campaigns.models import Campaign
from evalplatform.common.errors import ApplicationError
from evalplatform.console import permissions
from evalplatform.console.selectors import campaign_overview_counts
from evalplatform.reports.plan_runs import SETS, campaign_plan_latest, plan_body
from evalplatform.reports.tasks import campaign_plan_start


class PlanRequestSerializer(serializers.Serializer):
    difference = serializers.FloatField(
        min_value=0,
        help_text="Smallest difference worth detecting, in the unit of the campaign's "
        "protocol (the plan's result.inputs names it).",
    )
    target = serializers.FloatField(default=0.8, min_value=0.01, max_value=0.99)
    pilot_campaign = serializers.PrimaryKeyRelatedField(
        queryset=Campaign.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="An earlier campaign of the same protocol whose judgments give the "
        "variance components.",
    )
    pilot_csv = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        trim_whitespace=False,
        help_text="Or the pilot's judgments as a tidy CSV (the analyze command's columns).",
    )
    pilot_name = serializers.CharField(required=False, default="", allow_blank=True, max_length=200)
    sets = serializers.IntegerField(default=200, min_value=SETS[0], max_value=SETS[1])
    seed = serializers.IntegerField(default=0, min_value=0, max_value=2**31 - 1)


class PlanSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    campaign = serializers.IntegerField()
    state = serializers.ChoiceField(choices=["queued", "running", "done", "failed"])
    done = serializers.IntegerField(help_text="Designs simulated so far.")
    total = serializers.IntegerField(help_text="Designs to simulate (0 until it starts).")
    difference = serializers.FloatField()
    target = serializers.FloatField()
    sets = serializers.IntegerField()
    seed = serializers.IntegerField()
    pilot = serializers.CharField(help_text="Where the variance components come from.")
    requested_by = serializers.CharField()
    requested_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    error = serializers.CharField(allow_blank=True)
    result = serializers.JSONField(
        allow_null=True,
        help_text="Once done: the inputs (difference, unit, target, seed, variance "
        "components and their source), the designs (items x raters -> power with its "
        "Monte-Carlo interval, cost, hours), the current design and the cheapest one "
        "reaching the target (null when none does).",
    )


# No docstring: drf-spectacular would publish it as the operations' description, and the
# schema stays as the campaigns app documents it (``counts`` maps names to integers either
# way).
class ConsoleCampaignViewSet(CampaignViewSet):
    def _status_body(self, campaign: Campaign) -> dict:
        body = dict(super()._status_body(campaign))
        body["counts"] = campaign_overview_counts(campaign)
        return CampaignStatusSerializer(body).data

    @extend_schema(
        methods=["GET"],
        request=None,
        responses=responses({200: PlanSerializer}, NOT_FOUND),
        description="The campaign's latest power plan: its state and progress, then its "
        "result. Needs the permission to view campaigns.",
    )
    @extend_schema(
        methods=["POST"],
        request=PlanRequestSerializer,
        responses=responses(
            {202: OpenApiResponse(PlanSerializer, description="Queued, or already running.")},
            INVALID,
            NOT_FOUND,
        ),
        description="Plan a campaign being prepared: simulate the power of designs (items x "
        "raters) with the analysis its report will run, from a pilot (an earlier campaign or "
        "a tidy CSV) or the planner's defaults. Runs as a task; read its progress with GET. "
        "A published campaign is refused (its plan was frozen when it was published). Needs "
        "the permission to change campaigns.",
    )
    @action(detail=True, methods=["get", "post"])
    def plan(self, request: Request, pk: str | None = None) -> Response:
        campaign = self.get_object()
        needed = permissions.CHANGE if request.method == "POST" else permissions.VIEW
        if not request.user.has_perm(needed):
            raise PermissionDenied(f"You do not hold the permission this needs ({needed}).")
        if request.method == "POST":
            return self._plan_start(request, campaign)
        plan = campaign_plan_latest(campaign)
        if plan is None:
            raise NotFound(f"Campaign {campaign.name!r} has no plan yet.")
        return Response(PlanSerializer(plan_body(plan)).data)

    def _plan_start(self, request: Request, campaign: Campaign) -> Response:
        incoming = PlanRequestSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            plan = campaign_plan_start(
                campaign=campaign, requested_by=request.user, **incoming.validated_data
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(drf_errors(error)) from error
        except ApplicationError as error:
            raise serializers.ValidationError({"detail": error.message}) from error
        return Response(PlanSerializer(plan_body(plan)).data, status=status.HTTP_202_ACCEPTED)
