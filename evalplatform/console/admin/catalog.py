"""What campaigns are made from: datasets (with their upload page), dialogues, and systems
(with their responses upload page and their labelling page). The pages go through the
console's permission wrapper: importing a dataset needs ``add_dataset``, importing or
labelling responses ``change_system``."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import URLPattern, path, reverse

from evalplatform.campaigns.forms import (
    DatasetUploadForm,
    LabelResponsesForm,
    ResponsesUploadForm,
)
from evalplatform.campaigns.importers import import_dialogues, import_responses
from evalplatform.campaigns.labelling import unlabelled_candidate_ids
from evalplatform.campaigns.models import Dataset, Dialogue, System
from evalplatform.campaigns.tasks import system_start_labelling
from evalplatform.common.errors import ApplicationError
from evalplatform.console.permissions import ADD_DATASET, CHANGE_SYSTEM, guarded


@admin.register(Dataset)
class DatasetAdmin(admin.ModelAdmin):
    list_display = ["name", "dialogue_count", "created_at"]
    search_fields = ["name"]
    change_list_template = "admin/campaigns/dataset/change_list.html"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Dataset]:
        # Counted in the list's one query, not one query per row.
        return super().get_queryset(request).annotate(n_dialogues=Count("dialogues"))

    @admin.display(description="Dialogues", ordering="n_dialogues")
    def dialogue_count(self, obj: Dataset) -> int:
        return int(obj.n_dialogues)  # type: ignore[attr-defined]  # from get_queryset

    def get_urls(self) -> list[URLPattern]:
        view = guarded(self.admin_site, self.upload_view, {"GET": ADD_DATASET, "POST": ADD_DATASET})
        return [path("upload/", view, name="campaigns_dataset_upload"), *super().get_urls()]

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
    readonly_fields = ["labels_from", "labels_status", "labels_message"]
    fieldsets = [
        (None, {"fields": ["name", "kind", "path", "decoding", "description"]}),
        (
            "Predicted labels",
            {
                "fields": ["labels_from", "labels_status", "labels_message"],
                "description": "Responses without a predicted emotion can be labelled with "
                "a checkpoint's classifier: 'Label responses' above.",
            },
        ),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[System]:
        return super().get_queryset(request).annotate(n_candidates=Count("candidates"))

    @admin.display(description="Candidates", ordering="n_candidates")
    def candidate_count(self, obj: System) -> int:
        return int(obj.n_candidates)  # type: ignore[attr-defined]  # from get_queryset

    def get_urls(self) -> list[URLPattern]:
        view = guarded(
            self.admin_site, self.responses_view, {"GET": CHANGE_SYSTEM, "POST": CHANGE_SYSTEM}
        )
        upload = path("<int:system_id>/responses/", view, name="campaigns_system_responses")
        label = path(
            "<int:system_id>/label/",
            guarded(
                self.admin_site, self.label_view, {"GET": CHANGE_SYSTEM, "POST": CHANGE_SYSTEM}
            ),
            name="campaigns_system_label",
        )
        return [upload, label, *super().get_urls()]

    def label_view(self, request: HttpRequest, system_id: int) -> HttpResponse:
        """Label the system's responses that carry no predicted emotion with the classifier
        of a checkpoint, on the generation queue (campaigns/labelling.py)."""
        system = get_object_or_404(System, pk=system_id)
        form = LabelResponsesForm(
            request.POST or None, initial={"checkpoint": system.labels_from or system.path}
        )
        if request.method == "POST" and form.is_valid():
            try:
                queued = system_start_labelling(
                    system=system, checkpoint=form.cleaned_data["checkpoint"]
                )
            except ApplicationError as error:
                form.add_error("checkpoint", error.message)
            else:
                messages.success(
                    request,
                    f"Labelling {system.name}'s unlabelled responses in {queued} batches on "
                    "the generation queue; this page shows when it is done.",
                )
                return HttpResponseRedirect(
                    reverse("admin:campaigns_system_change", args=[system.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "system": system,
            "unlabelled": len(unlabelled_candidate_ids(system)),
            "title": f"Label responses of {system.name}",
            "opts": self.model._meta,
        }
        return render(request, "admin/campaigns/system/label.html", context)

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
