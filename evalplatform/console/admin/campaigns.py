"""The campaign's admin: its form, its actions (console.actions) and its pages (the HIT
preview, invites, provider state and review, report), composed here from the apps below,
each behind the permission it needs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import URLPattern, path, reverse

from evalplatform.campaigns.forms import CampaignFromPresetForm
from evalplatform.campaigns.freezing import WHY, frozen_fields, is_frozen
from evalplatform.campaigns.models import Campaign, CampaignSystem, Criterion, SystemKind
from evalplatform.campaigns.presets import PRESETS
from evalplatform.campaigns.selectors import campaign_generation_progress
from evalplatform.campaigns.services import campaign_create_runnable, campaign_update
from evalplatform.campaigns.validation import campaign_problems
from evalplatform.common.errors import ApplicationError
from evalplatform.console import permissions
from evalplatform.console.actions import CAMPAIGN_ACTIONS
from evalplatform.console.admin.campaign_form import CampaignChangeForm, FrozenWhenPublishedInline
from evalplatform.console.cockpit import CockpitState, campaign_steps, next_step
from evalplatform.console.permissions import Need, View, guarded
from evalplatform.console.selectors import campaign_overview_counts
from evalplatform.console.views.crowd import invites_view, preview_view
from evalplatform.console.views.lifecycle import (
    LIFECYCLE_VIEW,
    lifecycle_moves,
    lifecycle_permission,
    lifecycle_view,
)
from evalplatform.console.views.live import LIVE_JSON, LIVE_VIEW, live_json_view, live_view
from evalplatform.console.views.plan import PLAN_JSON, PLAN_VIEW, plan_json_view, plan_view
from evalplatform.console.views.report import (
    campaign_report_rebuild_view,
    campaign_report_view,
)
from evalplatform.console.views.review import (
    DECISIONS_VIEW,
    STATE_VIEW,
    decisions_csv_view,
    provider_state_view,
    review_permission,
)


@dataclass(frozen=True)
class CampaignPage:
    """A page under ``<campaign id>/`` in the campaign's admin, linked from its overview
    when it has a label, answering the HTTP methods of ``needs`` to those holding their
    permission."""

    route: str
    view: View
    name: str
    label: str
    needs: dict[str, Need]


CAMPAIGN_PAGES = [
    CampaignPage(
        "crowd/preview/",
        preview_view,
        "crowd_campaign_preview",
        "Preview a HIT",
        {"GET": permissions.VIEW},
    ),
    CampaignPage(
        "crowd/invites/",
        invites_view,
        "crowd_campaign_invites",
        "Invite links and codes",
        {"GET": permissions.VIEW, "POST": permissions.CHANGE},
    ),
    CampaignPage(
        "providers/",
        provider_state_view,
        STATE_VIEW,
        "Provider state and review",
        {"GET": permissions.VIEW, "POST": review_permission},
    ),
    CampaignPage(
        "providers/decisions.csv",
        decisions_csv_view,
        DECISIONS_VIEW,
        "",  # linked from the review page
        {"GET": permissions.VIEW},
    ),
    CampaignPage(
        "live/",
        live_view,
        LIVE_VIEW,
        "Live collection",
        {"GET": permissions.VIEW},
    ),
    CampaignPage(
        "live.json",
        live_json_view,
        LIVE_JSON,
        "",  # polled by the live page
        {"GET": permissions.VIEW},
    ),
    CampaignPage(
        "plan/",
        plan_view,
        PLAN_VIEW,
        "Plan",
        {"GET": permissions.VIEW, "POST": permissions.CHANGE},
    ),
    CampaignPage("plan.json", plan_json_view, PLAN_JSON, "", {"GET": permissions.VIEW}),
    CampaignPage(
        "report/",
        campaign_report_view,
        "reports_campaign_report",
        "Report",
        {"GET": permissions.VIEW},
    ),
    CampaignPage(
        "lifecycle/",
        lifecycle_view,
        LIFECYCLE_VIEW,
        "",  # buttons at the top of the campaign's page
        {"POST": lifecycle_permission},
    ),
    CampaignPage(
        "report/rebuild/",
        campaign_report_rebuild_view,
        "reports_campaign_report_rebuild",
        "",  # the build / rebuild button of the report page
        {"POST": permissions.CHANGE},
    ),
]


class CriterionInline(FrozenWhenPublishedInline):
    model = Criterion
    extra = 0
    fields = ["position", "name", "kind", "question", "scale_min", "scale_max", "anchors"]


class CampaignSystemInline(FrozenWhenPublishedInline):
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


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "preset", "protocol", "status", "dataset", "provider", "created_at"]
    list_filter = ["status", "protocol", "provider"]
    search_fields = ["name", "title"]
    list_select_related = ["dataset"]
    inlines = [CriterionInline, CampaignSystemInline]
    form = CampaignChangeForm
    readonly_fields = ["status", "status_changed_at", "paused_at", "overview"]
    change_list_template = "admin/campaigns/campaign/change_list.html"
    change_form_template = "admin/campaigns/campaign/change_form.html"
    actions = CAMPAIGN_ACTIONS
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "preset",
                    "protocol",
                    "status",
                    "status_changed_at",
                    "paused_at",
                    "deadline",
                    "overview",
                ]
            },
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
                    "gold_rule",
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
        ("Analysis", {"fields": ["alpha", "correction", "quality_filter", "unlabelled_systems"]}),
        (
            "Monitoring and stopping",
            {"fields": ["smallest_difference", "monitor_stop", "monitor_reallocate"]},
        ),
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: Campaign | None = None) -> Any:
        """Once published, everything a worker sees, is asked or is paid (campaigns.freezing)."""
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            readonly += [name for name in frozen_fields(obj) if name not in readonly]
        return readonly

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        campaign = self.get_object(request, object_id)
        context = dict(extra_context or {})
        if campaign is not None:
            context.update(
                frozen_why=WHY if is_frozen(campaign) else "",
                paused=campaign.paused_at is not None,
                lifecycle_moves=lifecycle_moves(request, campaign),
                lifecycle_url=reverse(f"admin:{LIFECYCLE_VIEW}", args=[campaign.pk]),
                cockpit=self.cockpit(request, campaign),
            )
        return super().change_view(request, object_id, form_url, context)

    def save_model(self, request: HttpRequest, obj: Campaign, form: Any, change: bool) -> None:
        """Edits go through ``campaign_update``, which refuses frozen fields again under the
        campaign's lock (a publish between the form's check and this save)."""
        if not change:
            super().save_model(request, obj, form, change)
            return
        changes = {name: form.cleaned_data[name] for name in form.changed_data}
        campaign_update(campaign=Campaign.objects.get(pk=obj.pk), changes=changes)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        """Django offers an action that declares no permission to everyone; here such an
        action is offered to no one, so a new one cannot slip past the check."""
        offered = super().get_actions(request)
        return {
            name: action
            for name, action in offered.items()
            if action is not None and getattr(action[0], "allowed_permissions", None)
        }

    # The money permissions the actions name (``@admin.action(permissions=[...])``).
    def has_publish_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(permissions.PUBLISH)

    def has_approve_work_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(permissions.APPROVE)

    def has_pay_bonuses_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(permissions.PAY)

    def get_urls(self) -> list[URLPattern]:
        add = permissions.ADD
        from_preset = path(
            "from-preset/",
            guarded(self.admin_site, self.from_preset_view, {"GET": add, "POST": add}),
            name="campaigns_campaign_from_preset",
        )
        pages = [
            path(
                f"<int:campaign_id>/{page.route}",
                guarded(self.admin_site, page.view, page.needs),
                name=page.name,
            )
            for page in CAMPAIGN_PAGES
        ]
        return [from_preset, *pages, *super().get_urls()]

    def cockpit(self, request: HttpRequest, campaign: Campaign) -> dict[str, Any]:
        """The campaign's state, its next step and every step's button (console.cockpit)."""
        state = CockpitState(
            offered=set(self.get_actions(request)),
            permissions=request.user.get_all_permissions(),
            counts=campaign_overview_counts(campaign),
            progress=campaign_generation_progress(campaign),
            imported=list(
                campaign.systems.filter(kind=SystemKind.IMPORTED).values_list("pk", "name")
            ),
        )
        steps = campaign_steps(campaign, state)
        return {
            "campaign": campaign,
            "steps": steps,
            "next": next_step(steps),
            "problems": campaign_problems(campaign),
            "checkbox": ACTION_CHECKBOX_NAME,
        }

    def response_action(  # type: ignore[override]  # Django 5.2 has no action_location yet
        self, request: HttpRequest, queryset: Any
    ) -> HttpResponse | None:
        """An action run from the campaign's cockpit returns to the campaign's page (a
        confirmation page, such as publishing's, is shown as it is)."""
        response = super().response_action(request, queryset)
        campaign_id = request.POST.get("_cockpit", "")
        if isinstance(response, HttpResponseRedirect) and campaign_id.isdigit():
            return HttpResponseRedirect(
                reverse("admin:campaigns_campaign_change", args=[int(campaign_id)])
            )
        return response

    @admin.display(description="Overview")
    def overview(self, obj: Campaign) -> str:
        if not obj.pk:
            return "-"
        links = [
            (page.label, reverse(f"admin:{page.name}", args=[obj.pk]))
            for page in CAMPAIGN_PAGES
            if page.label
        ]
        counts = campaign_overview_counts(obj)
        return render_to_string(
            "admin/campaigns/campaign/overview.html",
            {
                "problems": campaign_problems(obj),
                "counts": {name.replace("_", " "): value for name, value in counts.items()},
                "progress": campaign_generation_progress(obj),
                "links": links,
            },
        )

    def from_preset_view(self, request: HttpRequest) -> HttpResponse:
        form = CampaignFromPresetForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            campaign = self._create_from_preset(request, form)
            if campaign is not None:
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

    def _create_from_preset(
        self, request: HttpRequest, form: CampaignFromPresetForm
    ) -> Campaign | None:
        data = form.cleaned_data
        overrides: dict[str, Any] = {"provider": data["provider"]}
        if data["sample_size"]:
            overrides["sample_size"] = data["sample_size"]
        try:
            campaign = campaign_create_runnable(
                preset_key=data["preset"],
                name=data["name"],
                dataset=data["dataset"],
                systems=list(data["systems"]),
                overrides=overrides,
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return None
        except ApplicationError as error:
            form.add_error(None, error.message)
            return None
        problems = campaign_problems(campaign)
        messages.add_message(
            request,
            messages.WARNING if problems else messages.SUCCESS,
            f"Created {campaign.name} from {campaign.preset}. "
            + (" ".join(problems) if problems else "It is ready to generate."),
        )
        return campaign
