"""Helpers shared by the apps' services."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models

ModelT = TypeVar("ModelT", bound=models.Model)


def model_update(*, instance: ModelT, fields: list[str], data: dict[str, Any]) -> ModelT:
    """Set the given fields from data, validate, and save only those that changed."""
    changed = [
        field for field in fields if field in data and getattr(instance, field) != data[field]
    ]
    for field in changed:
        setattr(instance, field, data[field])
    if changed:
        instance.full_clean()
        update_fields = changed + (["updated_at"] if hasattr(instance, "updated_at") else [])
        instance.save(update_fields=update_fields)
    return instance
