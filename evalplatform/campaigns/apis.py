"""The researchers' REST API: datasets, systems, campaigns and their status.

Token authentication (``Authorization: Token ...``) for staff users; the OpenAPI schema is
served at /api/schema/.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from evalplatform.campaigns.models import Campaign, Dataset, Dialogue, ProviderName, System
from evalplatform.campaigns.presets import PRESETS
from evalplatform.campaigns.selectors import (
    campaign_counts,
    campaign_generation_progress,
    campaign_list,
)
from evalplatform.campaigns.services import (
    campaign_create_runnable,
    campaign_pause,
    campaign_resume,
    campaign_stop,
    campaign_update,
    system_create,
)
from evalplatform.campaigns.tasks import campaign_start_generation
from evalplatform.campaigns.validation import campaign_problems
from evalplatform.common.errors import ApplicationError

# --- Error bodies, as the schema documents them --------------------------------------------


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, as a sentence.")


# A 400's body: each refused field (``non_field_errors`` for the request as a whole,
# ``detail`` for a refused action) with its messages, a list of sentences or one sentence.
VALIDATION_ERROR = OpenApiResponse(
    {
        "type": "object",
        "additionalProperties": {
            "oneOf": [
                {"type": "string"},
                {"type": "array", "items": {"type": "string"}},
                # A list's refused items, by position: {"0": ["..."]}.
                {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
            ]
        },
    },
    description="Refused: each field at fault (non_field_errors: the request as a whole) "
    "with the reasons.",
)
ERRORS = {
    401: OpenApiResponse(ErrorSerializer, description="No token, or a token that is not valid."),
    403: OpenApiResponse(ErrorSerializer, description="The token's user is not staff."),
}
# Any id reaches the view (the router's default stops at a dot), so a malformed one gets the
# API's JSON 404 rather than the site's HTML page.
ANY_ID = "[^/]+"
NOT_FOUND = {404: OpenApiResponse(ErrorSerializer, description="No such object or page.")}
INVALID = {400: VALIDATION_ERROR}


def responses(success: dict[int, Any], *extra: dict[int, Any]) -> dict[int, Any]:
    """An operation's documented responses: its success, then 401 and 403, then the extras
    (400 where input is validated, 404 where an id or a page can be missing)."""
    documented = {**success, **ERRORS}
    for more in extra:
        documented.update(more)
    return documented


def drf_errors(error: DjangoValidationError) -> dict[str, list[str]]:
    """A model or service ValidationError as DRF's 400 body (``non_field_errors``, not
    Django's ``__all__``)."""
    return {
        "non_field_errors" if field == NON_FIELD_ERRORS else field: messages
        for field, messages in error.message_dict.items()
    }


class DatasetSerializer(serializers.ModelSerializer):
    # Annotated by the view's queryset: no query per dataset.
    dialogue_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Dataset
        fields = ["id", "name", "description", "dialogue_count", "created_at"]


class DialogueSerializer(serializers.ModelSerializer):
    class Meta:
        model = Dialogue
        fields = ["id", "external_id", "turns", "emotion", "situation", "subset", "gold_response"]


class SystemSerializer(serializers.ModelSerializer):
    class Meta:
        model = System
        fields = ["id", "name", "kind", "path", "decoding", "description", "created_at"]
        extra_kwargs = {"name": {"min_length": 1}}  # the schema says what blank names get

    def create(self, validated_data: dict) -> System:
        try:
            return system_create(**validated_data)
        except DjangoValidationError as error:
            raise serializers.ValidationError(drf_errors(error)) from error


class CampaignSerializer(serializers.ModelSerializer):
    systems = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    dataset = serializers.SlugRelatedField(read_only=True, slug_field="name")

    class Meta:
        model = Campaign
        fields = [
            "id",
            "name",
            "preset",
            "protocol",
            "status",
            "status_changed_at",
            "paused_at",
            "deadline",
            "title",
            "dataset",
            "systems",
            "sample_size",
            "sample_subsets",
            "sample_seed",
            "items_per_hit",
            "assignments_per_hit",
            "gold_per_hit",
            "gold_subset",
            "reward",
            "bonus",
            "max_hits_per_worker",
            "provider",
            "alpha",
            "correction",
            "created_at",
        ]
        read_only_fields = fields


class CampaignCreateSerializer(serializers.Serializer):
    preset = serializers.ChoiceField(choices=sorted(PRESETS))
    name = serializers.CharField(min_length=1, max_length=200)
    dataset = serializers.SlugRelatedField(
        queryset=Dataset.objects.all(), slug_field="name", help_text="A dataset's name."
    )
    systems = serializers.ListField(
        child=serializers.CharField(min_length=1, max_length=200),
        min_length=1,
        help_text="Names of registered systems, each once. A/B needs at least two.",
    )
    # Bounded so that no typo reaches the database as an integer it cannot hold.
    sample_size = serializers.IntegerField(min_value=1, max_value=1_000_000, required=False)
    provider = serializers.ChoiceField(choices=ProviderName.choices, default=ProviderName.LOCAL)

    def validate_systems(self, names: list[str]) -> list[System]:
        repeated = sorted({name for name in names if names.count(name) > 1})
        if repeated:
            raise serializers.ValidationError(
                [f"System {name} is listed more than once." for name in repeated]
            )
        found = {system.name: system for system in System.objects.filter(name__in=names)}
        unknown = [name for name in names if name not in found]
        if unknown:
            raise serializers.ValidationError([f"No system named {name!r}." for name in unknown])
        return [found[name] for name in names]


class CampaignUpdateSerializer(serializers.ModelSerializer):
    """A PATCH's fields. Every setting is named, so that one the campaign no longer lets
    change is refused with the reason rather than silently ignored."""

    class Meta:
        model = Campaign
        fields = [
            "name",
            "title",
            "description",
            "instructions",
            "minutes_per_hit",
            "sample_size",
            "sample_seed",
            "items_per_hit",
            "assignments_per_hit",
            "gold_per_hit",
            "gold_subset",
            "ab_allow_both_bad",
            "reward",
            "bonus",
            "max_hits_per_worker",
            "deadline",
            "alpha",
            "correction",
        ]
        extra_kwargs = {
            "name": {"min_length": 1, "validators": []},  # uniqueness: the service's check
            "title": {"min_length": 1},
            # Bounded so that no typo reaches the database as an integer it cannot hold.
            **{
                name: {"max_value": 1_000_000}
                for name in (
                    "minutes_per_hit",
                    "sample_size",
                    "sample_seed",
                    "items_per_hit",
                    "assignments_per_hit",
                    "gold_per_hit",
                    "max_hits_per_worker",
                )
            },
        }


class ProgressSerializer(serializers.Serializer):
    system = serializers.CharField()
    status = serializers.CharField()
    done = serializers.IntegerField()
    total = serializers.IntegerField()
    per_second = serializers.FloatField(allow_null=True)
    error = serializers.CharField()


class CampaignStatusSerializer(serializers.Serializer):
    status = serializers.CharField()
    problems = serializers.ListField(child=serializers.CharField())
    counts = serializers.DictField(child=serializers.IntegerField())
    generation = ProgressSerializer(many=True)


@extend_schema_view(
    list=extend_schema(responses=responses({200: DatasetSerializer(many=True)}, NOT_FOUND)),
    retrieve=extend_schema(responses=responses({200: DatasetSerializer}, NOT_FOUND)),
)
class DatasetViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = ANY_ID
    # A GROUP BY drops Meta.ordering: ordered again, so that pages neither repeat nor skip.
    queryset = Dataset.objects.annotate(dialogue_count=Count("dialogues")).order_by("name")
    serializer_class = DatasetSerializer

    @extend_schema(responses=responses({200: DialogueSerializer(many=True)}, NOT_FOUND))
    @action(detail=True)
    def dialogues(self, request: Request, pk: str | None = None) -> Response:
        dialogues = Dialogue.objects.filter(dataset=self.get_object())
        page = self.paginate_queryset(dialogues)
        return self.get_paginated_response(DialogueSerializer(page, many=True).data)


@extend_schema_view(
    list=extend_schema(responses=responses({200: SystemSerializer(many=True)}, NOT_FOUND)),
    retrieve=extend_schema(responses=responses({200: SystemSerializer}, NOT_FOUND)),
    create=extend_schema(responses=responses({201: SystemSerializer}, INVALID)),
)
class SystemViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    lookup_value_regex = ANY_ID
    queryset = System.objects.all()
    serializer_class = SystemSerializer


@extend_schema_view(
    list=extend_schema(responses=responses({200: CampaignSerializer(many=True)}, NOT_FOUND)),
    retrieve=extend_schema(responses=responses({200: CampaignSerializer}, NOT_FOUND)),
)
class CampaignViewSet(viewsets.ReadOnlyModelViewSet):
    # PATCH only: a PUT would have to restate every setting, frozen ones included.
    http_method_names = ["get", "post", "patch", "head", "options"]

    lookup_value_regex = ANY_ID
    serializer_class = CampaignSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        # Ordered, so that pages never skip or repeat a campaign.
        return campaign_list().prefetch_related("systems").order_by("pk")

    @extend_schema(
        request=CampaignCreateSerializer,
        responses=responses({201: CampaignSerializer}, INVALID),
        description="Create a draft campaign from a preset. A campaign that could not run "
        "(A/B without two systems, a sample larger than the dataset's eligible dialogues, gold "
        "checks without gold dialogues) is refused with the reasons; nothing is stored.",
    )
    def create(self, request: Request) -> Response:
        incoming = CampaignCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        overrides = {"provider": data["provider"]}
        if "sample_size" in data:
            overrides["sample_size"] = data["sample_size"]
        try:
            campaign = campaign_create_runnable(
                preset_key=data["preset"],
                name=data["name"],
                dataset=data["dataset"],
                systems=data["systems"],
                overrides=overrides,
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(drf_errors(error)) from error
        except ApplicationError as error:
            raise serializers.ValidationError({"detail": error.message}) from error
        return Response(CampaignSerializer(campaign).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses=responses({202: CampaignStatusSerializer}, INVALID, NOT_FOUND),
    )
    @action(detail=True, methods=["post"])
    def generate(self, request: Request, pk: str | None = None) -> Response:
        """Draw the sample and queue generation (safe to repeat: restarts what failed)."""
        campaign = self.get_object()
        try:
            campaign_start_generation(campaign=campaign)
        except ApplicationError as error:
            raise serializers.ValidationError({"detail": error.message}) from error
        campaign.refresh_from_db()
        return Response(self._status_body(campaign), status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        request=CampaignUpdateSerializer,
        responses=responses({200: CampaignSerializer}, INVALID, NOT_FOUND),
        description="Change a campaign's settings. Once it is published, what workers see, "
        "are asked or are paid is frozen: such a field is refused (400, with the reason) and "
        "nothing changes. What may still change: name, assignments_per_hit (only up), "
        "deadline (only later), alpha and correction; pause, resume and stop have their own "
        "operations.",
    )
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        campaign = self.get_object()
        incoming = CampaignUpdateSerializer(data=request.data, partial=True)
        incoming.is_valid(raise_exception=True)
        try:
            campaign_update(campaign=campaign, changes=incoming.validated_data)
        except DjangoValidationError as error:
            raise serializers.ValidationError(drf_errors(error)) from error
        return Response(CampaignSerializer(self.get_object()).data)

    def _move(self, service: Any) -> Response:
        campaign = self.get_object()
        try:
            service(campaign=campaign)
        except ApplicationError as error:
            raise serializers.ValidationError({"detail": error.message}) from error
        return Response(CampaignSerializer(self.get_object()).data)

    @extend_schema(
        request=None,
        responses=responses({200: CampaignSerializer}, INVALID, NOT_FOUND),
        description="Hand out no new HITs until resumed; workers in the middle of a HIT may "
        "finish it. Only a published campaign can be paused.",
    )
    @action(detail=True, methods=["post"])
    def pause(self, request: Request, pk: str | None = None) -> Response:
        return self._move(campaign_pause)

    @extend_schema(
        request=None,
        responses=responses({200: CampaignSerializer}, INVALID, NOT_FOUND),
        description="Hand out HITs again after a pause.",
    )
    @action(detail=True, methods=["post"])
    def resume(self, request: Request, pk: str | None = None) -> Response:
        return self._move(campaign_resume)

    @extend_schema(
        request=None,
        responses=responses({200: CampaignSerializer}, INVALID, NOT_FOUND),
        description="Close the campaign for good: no new HITs; work in progress may still be "
        "submitted. HITs listed on MTurk or Prolific are taken down by the console's Stop or "
        "Expire.",
    )
    @action(detail=True, methods=["post"])
    def stop(self, request: Request, pk: str | None = None) -> Response:
        return self._move(campaign_stop)

    def _status_body(self, campaign: Campaign) -> dict:
        body = {
            "status": campaign.status,
            "problems": campaign_problems(campaign),
            "counts": campaign_counts(campaign),
            "generation": [vars(p) for p in campaign_generation_progress(campaign)],
        }
        return CampaignStatusSerializer(body).data

    @extend_schema(responses=responses({200: CampaignStatusSerializer}, NOT_FOUND))
    @action(detail=True, methods=["get"], url_path="status")
    def campaign_status(self, request: Request, pk: str | None = None) -> Response:
        return Response(self._status_body(self.get_object()))
