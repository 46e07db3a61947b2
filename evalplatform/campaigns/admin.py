"""The researcher's admin: datasets with upload, systems, and campaigns from presets."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import URLPattern, path, reverse

from evalplatform.campaigns import extensions
from evalplatform.campaigns.forms import (
    CampaignFromPresetForm,
    DatasetUploadForm,
    ResponsesUploadForm,
)
from evalplatform.campaigns.importers import import_dialogues, import_responses
from evalplatform.campaigns.models import (
    Campaign,
    CampaignSystem,
    Criterion,
    Dataset,
    Dialogue,
    System,
)
from evalplatform.campaigns.presets import PRESETS
from evalplatform.campaigns.selectors import campaign_counts, campaign_generation_progress
from evalplatform.campaigns.services import campaign_create_from_preset
from evalplatform.campaigns.tasks import campaign_start_generation
from evalplatform.campaigns.validation import campaign_problems
from evalplatform.common.errors import ApplicationError


@admin.register(Dataset)
class DatasetAdmin(admin.ModelAdmin):
    list_display = ["name", "dialogue_count", "created_at"]
    search_fields = ["name"]
    change_list_template = "admin/campaigns/dataset/change_list.html"

    @admin.display(description="Dialogues")
    def dialogue_count(self, obj: Dataset) -> int:
        return obj.dialogues.count()

    def get_urls(self) -> list[URLPattern]:
        upload = path(
            "upload/", self.admin_site.admin_view(self.upload_view), name="campaigns_dataset_upload"
        )
        return [upload, *super().get_urls()]

    def upload_view(self, request: HttpRequest) -> HttpResponse:
        form = DatasetUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                dataset = import_dialogues(
                    source=upload.file,
                    fmt=form.cleaned_data["fmt"],
                    dataset_name=form.cleaned_data["dataset_name"],
                    subset=form.cleaned_data["subset"],
                    name=upload.name,
                )
            except ApplicationError as error:
                form.add_error("file", f"Nothing was imported. {error.message}")
            else:
                messages.success(
                    request,
                    f"Imported into {dataset.name}: it now holds "
                    f"{dataset.dialogues.count()} dialogues.",
                )
                return HttpResponseRedirect(reverse("admin:campaigns_dataset_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "title": "Import dialogues",
            "opts": self.model._meta,
        }
        return render(request, "admin/campaigns/upload.html", context)


@admin.register(Dialogue)
class DialogueAdmin(admin.ModelAdmin):
    list_display = ["external_id", "dataset", "subset", "emotion"]
    list_filter = ["dataset", "subset"]
    search_fields = ["external_id", "situation", "gold_response"]
    list_select_related = ["dataset"]


@admin.register(System)
class SystemAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "path", "candidate_count"]
    list_filter = ["kind"]
    search_fields = ["name", "path"]

    @admin.display(description="Candidates")
    def candidate_count(self, obj: System) -> int:
        return obj.candidates.count()

    def get_urls(self) -> list[URLPattern]:
        upload = path(
            "<int:system_id>/responses/",
            self.admin_site.admin_view(self.responses_view),
            name="campaigns_system_responses",
        )
        return [upload, *super().get_urls()]

    def responses_view(self, request: HttpRequest, system_id: int) -> HttpResponse:
        system = get_object_or_404(System, pk=system_id)
        form = ResponsesUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                stored = import_responses(
                    source=upload.file,
                    system=system,
                    dataset=form.cleaned_data["dataset"],
                    replace=form.cleaned_data["replace"],
                    name=upload.name,
                )
            except ApplicationError as error:
                form.add_error("file", f"Nothing was imported. {error.message}")
            else:
                messages.success(request, f"Stored {stored} responses for {system.name}.")
                return HttpResponseRedirect(
                    reverse("admin:campaigns_system_change", args=[system.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "title": f"Import responses for {system.name}",
            "opts": self.model._meta,
        }
        return render(request, "admin/campaigns/upload.html", context)


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ["position", "name", "kind", "question", "scale_min", "scale_max", "anchors"]


class CampaignSystemInline(admin.TabularInline):
    model = CampaignSystem
    extra = 0
    fields = [
        "position",
        "system",
        "generation_status",
        "generation_done",
        "generation_total",
        "generation_error",
    ]
    readonly_fields = [
        "generation_status",
        "generation_done",
        "generation_total",
        "generation_error",
    ]


@admin.action(description="Check that the selected campaigns can run")
def check_campaigns(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
    for campaign in queryset:
        problems = campaign_problems(campaign)
        if problems:
            modeladmin.message_user(
                request, f"{campaign.name}: " + " ".join(problems), messages.WARNING
            )
        else:
            modeladmin.message_user(request, f"{campaign.name}: ready to run.", messages.SUCCESS)


@admin.action(description="Generate candidates (queue Celery tasks)")
def start_generation(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet
) -> None:
    for campaign in queryset:
        try:
            queued = campaign_start_generation(campaign=campaign)
        except ApplicationError as error:
            modeladmin.message_user(request, f"{campaign.name}: {error.message}", messages.ERROR)
        else:
            modeladmin.message_user(
                request, f"{campaign.name}: {queued} generation tasks queued.", messages.SUCCESS
            )


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "preset", "protocol", "status", "dataset", "provider", "created_at"]
    list_filter = ["status", "protocol", "provider"]
    search_fields = ["name", "title"]
    list_select_related = ["dataset"]
    inlines = [CriterionInline, CampaignSystemInline]
    readonly_fields = ["status", "status_changed_at", "overview"]
    change_list_template = "admin/campaigns/campaign/change_list.html"
    fieldsets = [
        (
            None,
            {"fields": ["name", "preset", "protocol", "status", "status_changed_at", "overview"]},
        ),
        ("For workers", {"fields": ["title", "description", "instructions", "minutes_per_hit"]}),
        ("Sample", {"fields": ["dataset", "sample_size", "sample_subsets", "sample_seed"]}),
        (
            "HITs",
            {
                "fields": [
                    "items_per_hit",
                    "assignments_per_hit",
                    "gold_per_hit",
                    "gold_subset",
                    "ab_allow_both_bad",
                ]
            },
        ),
        (
            "Pay and workers",
            {
                "fields": [
                    "reward",
                    "bonus",
                    "worker_requirements",
                    "max_hits_per_worker",
                    "provider",
                    "provider_settings",
                ]
            },
        ),
        ("Analysis", {"fields": ["alpha", "correction", "quality_filter"]}),
    ]

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        for action in [check_campaigns, start_generation, *extensions.ADMIN_ACTIONS]:
            actions[action.__name__] = (
                action,
                action.__name__,
                getattr(action, "short_description", action.__name__),
            )
        return actions

    def get_urls(self) -> list[URLPattern]:
        own = [
            path(
                "from-preset/",
                self.admin_site.admin_view(self.from_preset_view),
                name="campaigns_campaign_from_preset",
            ),
        ]
        hooked = [
            path(f"<int:campaign_id>/{route}", self.admin_site.admin_view(view), name=name)
            for route, view, name in extensions.ADMIN_VIEWS
        ]
        return [*own, *hooked, *super().get_urls()]

    @admin.display(description="Overview")
    def overview(self, obj: Campaign) -> str:
        if not obj.pk:
            return "-"
        from django.template.loader import render_to_string

        links = [
            (label, reverse(f"admin:{name}", args=[obj.pk]))
            for label, name in extensions.ADMIN_LINKS
        ]
        return render_to_string(
            "admin/campaigns/campaign/overview.html",
            {
                "problems": campaign_problems(obj),
                "counts": {
                    name.replace("_", " "): value for name, value in campaign_counts(obj).items()
                },
                "progress": campaign_generation_progress(obj),
                "links": links,
            },
        )

    def from_preset_view(self, request: HttpRequest) -> HttpResponse:
        form = CampaignFromPresetForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            overrides: dict[str, Any] = {"provider": data["provider"]}
            if data["sample_size"]:
                overrides["sample_size"] = data["sample_size"]
            try:
                campaign = campaign_create_from_preset(
                    preset_key=data["preset"],
                    name=data["name"],
                    dataset=data["dataset"],
                    systems=list(data["systems"]),
                    overrides=overrides,
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                problems = campaign_problems(campaign)
                level = messages.WARNING if problems else messages.SUCCESS
                messages.add_message(
                    request,
                    level,
                    f"Created {campaign.name} from {campaign.preset}. "
                    + (" ".join(problems) if problems else "It is ready to generate."),
                )
                return HttpResponseRedirect(
                    reverse("admin:campaigns_campaign_change", args=[campaign.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "title": "New campaign from a preset",
            "opts": self.model._meta,
            "presets": PRESETS.values(),
        }
        return render(request, "admin/campaigns/from_preset.html", context)
