"""The campaign's change form once it is published: frozen fields refused, and the
criteria and systems inlines read-only (campaigns.freezing says what is frozen and why)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone

from evalplatform.campaigns.freezing import WHY, change_problems, frozen_fields, is_frozen

# Inline rows a form posts when it edits criteria or systems (Django's formset names:
# the relation's name, the row, the field), as opposed to the ids a read-only inline posts.
EDITED_INLINE = re.compile(
    r"^(criteria-\d+-(name|question|kind|scale_min|scale_max|anchors|position|DELETE)"
    r"|entries-\d+-(system|position|DELETE))$"
)
INLINE_NAMES = {"criteria": "criteria", "entries": "systems"}


class CampaignChangeForm(forms.ModelForm):
    """The campaign's form. Once published it holds only what may still change; a post
    that carries a frozen field anyway (a form opened before publishing, or one made by
    hand) is refused as a whole, never half-applied."""

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        campaign = self.instance
        if campaign.pk is None or not is_frozen(campaign):
            return cleaned
        posted = sorted(
            {name for name in self.data if name in frozen_fields(campaign)}
            | {INLINE_NAMES[key.split("-")[0]] for key in self.data if EDITED_INLINE.match(key)}
        )
        if posted:
            raise ValidationError(
                f"Not saved: {', '.join(posted)} can no longer change. {WHY} "
                "Reload the page to see the campaign as it is."
            )
        changes = {name: self.cleaned_data[name] for name in self.changed_data}
        for field, reasons in change_problems(campaign, changes, now=timezone.now()).items():
            self.add_error(field if field in self.fields else None, reasons)
        return cleaned


class FrozenWhenPublishedInline(admin.TabularInline):
    """An inline shown read-only, with no rows added or deleted, once the campaign is
    published."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and is_frozen(obj):
            return False
        return super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and is_frozen(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and is_frozen(obj):
            return False
        return super().has_delete_permission(request, obj)
