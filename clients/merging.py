"""Merging two records of one company, or of one person at a client, keeping everything either held."""

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import models, transaction

from sonitec.audit import audited_update
from sonitec.merging import merge_field_names, merged_values, relations_repoint

from .models import Client, Contact


def _merge(*, model: type[models.Model], kept, duplicate, choices: Mapping[str, str] | None, label: str):
    if kept.pk == duplicate.pk:
        raise ValidationError("A record cannot be merged with itself.")
    locked = {row.pk: row for row in model._default_manager.select_for_update().filter(pk__in=[kept.pk, duplicate.pk])}
    if len(locked) != 2:
        raise ValidationError("One of the two records no longer exists.")
    kept, duplicate = locked[kept.pk], locked[duplicate.pk]
    changes = merged_values(kept=kept, duplicate=duplicate, fields=merge_field_names(model), choices=choices)
    return kept, duplicate, changes


def _finish(kept, duplicate, changes, moved: dict[str, int], label: str):
    duplicate._change_reason = f"Merged into {label} #{kept.pk} ({kept})"[:100]
    duplicate.delete()
    for attname, value in changes.items():
        setattr(kept, attname, value)
    kept._change_reason = f"Merged with {label} #{duplicate.pk}; moved {sum(moved.values())} related rows"[:100]
    kept.save()
    return kept


def client_merge_fields() -> list[str]:
    return merge_field_names(Client)


@transaction.atomic
def client_merge(*, kept: Client, duplicate: Client, choices: Mapping[str, str] | None = None, by=None) -> Client:
    """Merge `duplicate` into `kept`: its contacts, roles (and so their submissions and placements), activities,
    enquiries, intakes and off-limits marks move to the kept client; both histories record the merge.
    """
    kept, duplicate, changes = _merge(model=Client, kept=kept, duplicate=duplicate, choices=choices, label="client")
    if Contact.objects.filter(client=kept, is_primary=True).exists():
        # One primary contact per client: the kept client's stays primary.
        audited_update(Contact.objects.filter(client=duplicate, is_primary=True), is_primary=False)
    moved = relations_repoint(kept=kept, duplicate=duplicate)
    if changes.get("notes") is None and duplicate.notes and duplicate.notes != kept.notes:
        changes["notes"] = f"{kept.notes}\n\n{duplicate.notes}".strip()
    return _finish(kept, duplicate, changes, moved, "client")


def contact_merge_fields() -> list[str]:
    return merge_field_names(Contact)


@transaction.atomic
def contact_merge(*, kept: Contact, duplicate: Contact, choices: Mapping[str, str] | None = None, by=None) -> Contact:
    """Merge `duplicate` into `kept`: roles they hire for, activities, messages, follow-ups, enquiries and intakes
    move to the kept contact; both histories record the merge.
    """
    kept, duplicate, changes = _merge(model=Contact, kept=kept, duplicate=duplicate, choices=choices, label="contact")
    if changes.get("is_primary") and kept.client_id == changes.get("client_id", kept.client_id):
        audited_update(Contact.objects.filter(pk=duplicate.pk), is_primary=False)
    moved = relations_repoint(kept=kept, duplicate=duplicate)
    return _finish(kept, duplicate, changes, moved, "contact")
