"""QuerySet.update() that keeps the audit history and the API's `updated_since` sync true.

A plain `update()` writes no django-simple-history row and leaves `updated_at` alone, so History would not
show the change and a partner's or a tool's incremental sync would never fetch it. Services that change
audited fields of many rows at once use `audited_update` instead.
"""

from typing import Any

from django.db import models
from django.utils import timezone
from simple_history.utils import bulk_update_with_history


def _has_history(model: type[models.Model]) -> bool:
    return hasattr(model._meta, "simple_history_manager_attribute")


def audited_update(queryset: models.QuerySet, *, reason: str = "", **changes: Any) -> int:
    """Set `changes` on every row of `queryset`: `updated_at` moves to now (where the model has it), and a
    history row per changed record is written (where the model keeps history). Returns how many rows."""
    model = queryset.model
    now = timezone.now()
    if any(field.name == "updated_at" for field in model._meta.concrete_fields):
        changes["updated_at"] = now
    if not _has_history(model):
        return queryset.update(**changes)
    rows = list(queryset)
    for row in rows:
        for name, value in changes.items():
            setattr(row, name, value)
    if rows:
        bulk_update_with_history(rows, model, list(changes), default_change_reason=reason or None, default_date=now)
    return len(rows)
