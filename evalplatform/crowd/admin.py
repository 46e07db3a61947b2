"""The researcher's lists of crowd work. The campaign's crowd pages and actions (HIT
preview, invites, building HITs) are composed by the console."""

from __future__ import annotations

from django.contrib import admin

from evalplatform.crowd.models import (
    Assignment,
    Hit,
    Invite,
    OwedBonus,
    PageVisit,
    Worker,
)


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
    list_select_related = ["campaign", "worker"]  # the worker is nullable: not followed by default
    readonly_fields = ["code", "worker", "first_used_at"]


@admin.register(OwedBonus)
class OwedBonusAdmin(admin.ModelAdmin):
    list_display = ["assignment", "amount", "created_at", "settled_at"]


@admin.register(PageVisit)
class PageVisitAdmin(admin.ModelAdmin):
    list_display = ["assignment", "page", "item_position", "opened_at", "closed_at"]
    list_filter = ["page"]
