"""The researcher's view of crowd work, and the pages crowd adds to a campaign's admin
(registered through campaigns.extensions in CrowdConfig.ready)."""

from __future__ import annotations

import csv

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from evalplatform.campaigns.models import Campaign
from evalplatform.common.errors import ApplicationError
from evalplatform.crowd.models import (
    Assignment,
    Hit,
    Invite,
    InviteKind,
    OwedBonus,
    PageVisit,
    Worker,
)
from evalplatform.crowd.services import hits_build, invites_create
from evalplatform.crowd.services.invites import display_code, invite_path
from evalplatform.crowd.views.preview import render_hit_preview


@admin.register(Worker)
class WorkerAdmin(admin.ModelAdmin):
    list_display = ["provider", "external_id", "blocked", "simulated", "created_at"]
    list_filter = ["provider", "blocked", "simulated"]
    search_fields = ["external_id"]


@admin.register(Hit)
class HitAdmin(admin.ModelAdmin):
    list_display = ["campaign", "index", "status", "provider_hit_id"]
    list_filter = ["status", "campaign"]
    list_select_related = ["campaign"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = [
        "hit",
        "worker",
        "status",
        "stage",
        "position",
        "bonus_points",
        "leased_at",
        "submitted_at",
    ]
    list_filter = ["status", "hit__campaign", "simulated"]
    list_select_related = ["hit__campaign", "worker"]
    readonly_fields = ["completion_code", "provider_context"]


@admin.register(Invite)
class InviteAdmin(admin.ModelAdmin):
    list_display = ["campaign", "label", "kind", "worker", "revoked", "first_used_at"]
    list_filter = ["campaign", "kind", "revoked"]
    readonly_fields = ["code", "worker", "first_used_at"]


@admin.register(OwedBonus)
class OwedBonusAdmin(admin.ModelAdmin):
    list_display = ["assignment", "amount", "created_at", "settled_at"]


@admin.register(PageVisit)
class PageVisitAdmin(admin.ModelAdmin):
    list_display = ["assignment", "page", "item_position", "opened_at", "closed_at"]
    list_filter = ["page"]


@admin.action(description="Build HITs from the sample (once)")
def build_hits(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
    for campaign in queryset:
        try:
            built = hits_build(campaign=campaign)
        except ApplicationError as error:
            modeladmin.message_user(request, f"{campaign.name}: {error.message}", messages.ERROR)
        else:
            note = f"built {built} HITs." if built else "its HITs were built already."
            modeladmin.message_user(request, f"{campaign.name}: {note}", messages.SUCCESS)


def preview_view(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """A HIT as a worker sees it before accepting (``?hit=<index>&item=<position>``)."""
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    hits = Hit.objects.filter(campaign=campaign)
    if not hits.exists():
        messages.warning(request, "Build the HITs first (campaign action) to preview them.")
        return HttpResponseRedirect(reverse("admin:campaigns_campaign_change", args=[campaign.pk]))
    index = request.GET.get("hit", "0")
    hit = hits.filter(index=int(index) if index.isdigit() else 0).first() or hits.get(index=0)
    position = request.GET.get("item", "0")
    item_position = int(position) if position.isdigit() else 0
    return render_hit_preview(request, hit, item_position=item_position)


def invites_view(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """Make invite links or participant codes, list them, or download them as CSV."""
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    if request.method == "POST":
        try:
            count = int(request.POST.get("count", "0"))
            made = invites_create(
                campaign=campaign,
                count=count,
                kind=request.POST.get("kind", InviteKind.LINK),
                label=request.POST.get("label", "")[:150],
            )
        except (ValueError, ApplicationError) as error:
            messages.error(request, getattr(error, "message", "Give a number of invites."))
        else:
            messages.success(request, f"Made {len(made)} invites.")
        return HttpResponseRedirect(request.path)
    base = request.build_absolute_uri("/").rstrip("/")
    invites = list(Invite.objects.filter(campaign=campaign).select_related("worker"))
    rows = [
        {"invite": invite, "code": display_code(invite), "url": base + invite_path(invite)}
        for invite in invites
    ]
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="invites-{campaign.pk}.csv"'
        writer = csv.writer(response)
        writer.writerow(["label", "kind", "code", "url", "used", "revoked"])
        for invite in invites:
            writer.writerow(
                [
                    invite.label,
                    invite.kind,
                    display_code(invite),
                    base + invite_path(invite),
                    bool(invite.worker_id),
                    invite.revoked,
                ]
            )
        return response
    return render(
        request,
        "admin/crowd/invites.html",
        {
            **admin.site.each_context(request),
            "campaign": campaign,
            "invites": rows,
            "title": f"Invites for {campaign.name}",
            "opts": Campaign._meta,
            "join_url": base + reverse("crowd:join"),
            "kinds": InviteKind.choices,
        },
    )
