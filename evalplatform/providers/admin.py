"""Read-only admin lists of what the providers hold and what money moved."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from evalplatform.providers.models import (
    BonusPayment,
    MTurkQualificationType,
    ProlificBulkBonus,
    ProlificStudy,
    ProviderHit,
    QualificationGrant,
    ReviewDecision,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """The ledger is written by the services only: no adding, editing or deleting here."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ProviderHit)
class ProviderHitAdmin(ReadOnlyAdmin):
    list_display = [
        "provider_hit_id",
        "hit",
        "environment",
        "remote_status",
        "assignments_completed",
        "synced_at",
    ]
    list_filter = ["provider", "environment", "remote_status"]
    search_fields = ["provider_hit_id", "request_token"]


@admin.register(ReviewDecision)
class ReviewDecisionAdmin(ReadOnlyAdmin):
    list_display = [
        "assignment",
        "provider",
        "environment",
        "decision",
        "state",
        "auto_approved",
        "decided_by_label",
        "created_at",
        "sent_at",
    ]
    list_filter = ["provider", "decision", "state", "auto_approved"]
    search_fields = ["decided_by_label"]


@admin.register(BonusPayment)
class BonusPaymentAdmin(ReadOnlyAdmin):
    list_display = [
        "assignment",
        "worker",
        "provider",
        "environment",
        "amount",
        "rule",
        "state",
        "decided_by_label",
        "created_at",
        "sent_at",
    ]
    list_filter = ["provider", "state", "rule"]
    search_fields = ["token", "worker__external_id", "decided_by_label"]


@admin.register(ProlificStudy)
class ProlificStudyAdmin(ReadOnlyAdmin):
    list_display = ["campaign", "study_id", "state", "total_places", "published_at"]


@admin.register(ProlificBulkBonus)
class ProlificBulkBonusAdmin(ReadOnlyAdmin):
    list_display = ["bulk_id", "study", "state", "created_at", "paid_at"]
    list_filter = ["state"]


@admin.register(MTurkQualificationType)
class MTurkQualificationTypeAdmin(ReadOnlyAdmin):
    list_display = ["name", "environment", "purpose", "qualification_type_id", "campaign"]
    list_select_related = ["campaign"]  # nullable: not followed by default
    list_filter = ["environment", "purpose"]


@admin.register(QualificationGrant)
class QualificationGrantAdmin(ReadOnlyAdmin):
    list_display = ["worker", "qualification", "environment", "state", "granted_at"]
    list_filter = ["environment", "state"]
