"""The researchers' REST API: datasets, systems, campaigns and their status.

Token authentication (``Authorization: Token ...``) for staff users; the OpenAPI schema is
served at /api/schema/.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from evalplatform.campaigns.models import Campaign, Dataset, Dialogue, System
from evalplatform.campaigns.presets import PRESETS
from evalplatform.campaigns.selectors import (
    campaign_counts,
    campaign_generation_progress,
    campaign_list,
)
from evalplatform.campaigns.services import campaign_create_from_preset, system_create
from evalplatform.campaigns.tasks import campaign_start_generation
from evalplatform.campaigns.validation import campaign_problems
from evalplatform.common.errors import ApplicationError


class DatasetSerializer(serializers.ModelSerializer):
    dialogue_count = serializers.IntegerField(source="dialogues.count", read_only=True)

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

    def create(self, validated_data: dict) -> System:
        try:
            return system_create(**validated_data)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from error


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
    name = serializers.CharField(max_length=200)
    dataset = serializers.SlugRelatedField(queryset=Dataset.objects.all(), slug_field="name")
    systems = serializers.SlugRelatedField(
        queryset=System.objects.all(), slug_field="name", many=True
    )
    sample_size = serializers.IntegerField(min_value=1, required=False)
    provider = serializers.ChoiceField(choices=["local", "mturk", "prolific"], default="local")


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


class DatasetViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Dataset.objects.all()
    serializer_class = DatasetSerializer

    @extend_schema(responses=DialogueSerializer(many=True))
    @action(detail=True)
    def dialogues(self, request: Request, pk: str | None = None) -> Response:
        dialogues = Dialogue.objects.filter(dataset=self.get_object())
        page = self.paginate_queryset(dialogues)
        return self.get_paginated_response(DialogueSerializer(page, many=True).data)


class SystemViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    queryset = System.objects.all()
    serializer_class = SystemSerializer


class CampaignViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CampaignSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return campaign_list().prefetch_related("systems")

    @extend_schema(request=CampaignCreateSerializer, responses={201: CampaignSerializer})
    def create(self, request: Request) -> Response:
        incoming = CampaignCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        overrides = {"provider": data["provider"]}
        if "sample_size" in data:
            overrides["sample_size"] = data["sample_size"]
        try:
            campaign = campaign_create_from_preset(
                preset_key=data["preset"],
                name=data["name"],
                dataset=data["dataset"],
                systems=data["systems"],
                overrides=overrides,
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from error
        except ApplicationError as error:
            raise serializers.ValidationError({"detail": error.message}) from error
        return Response(CampaignSerializer(campaign).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={202: CampaignStatusSerializer})
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

    def _status_body(self, campaign: Campaign) -> dict:
        body = {
            "status": campaign.status,
            "problems": campaign_problems(campaign),
            "counts": campaign_counts(campaign),
            "generation": [vars(p) for p in campaign_generation_progress(campaign)],
        }
        return CampaignStatusSerializer(body).data

    @extend_schema(responses=CampaignStatusSerializer)
    @action(detail=True, methods=["get"], url_path="status")
    def campaign_status(self, request: Request, pk: str | None = None) -> Response:
        return Response(self._status_body(self.get_object()))
