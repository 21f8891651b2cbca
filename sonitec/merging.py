"""Merging two records of one thing: the parts that do not depend on what the thing is.

The owning app's merge service handles the relations that need judgement (two submissions to one role, two levels
of one skill) and hands everything else to `relations_repoint`, which walks the model's reverse relations. So a
relation added later is moved too, without anyone remembering to list it.
"""

from collections.abc import Collection, Iterable, Mapping
from itertools import combinations
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.fields.reverse_related import ForeignObjectRel
from django.utils import timezone

from .audit import audited_update
from .models import DuplicatePairBase, DuplicateStatus


def relation_key(relation: ForeignObjectRel) -> str:
    """'pipelines.Submission.candidate': the model and field that point at the merged model."""
    related: Any = relation.related_model
    return f"{related._meta.label}.{relation.field.name}"


def reverse_relations(model: type[models.Model]) -> list[ForeignObjectRel]:
    return list(model._meta.related_objects)


def _unique_partners(model: type[models.Model], field_name: str) -> list[list[str]]:
    """For each unconditional uniqueness rule that includes `field_name`, the other fields in it."""
    sets: list[list[str]] = [list(fields) for fields in model._meta.unique_together]
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields and constraint.condition is None:
            sets.append(list(constraint.fields))
    return [[name for name in fields if name != field_name] for fields in sets if field_name in fields]


def _repoint_foreign_key(relation: ForeignObjectRel, kept: models.Model, duplicate: models.Model) -> int:
    model: Any = relation.related_model
    name = relation.field.name
    manager = model._default_manager
    if relation.one_to_one:
        if manager.filter(**{name: kept}).exists() and manager.filter(**{name: duplicate}).exists():
            raise ValidationError(
                f"Both records have a {model._meta.verbose_name}; only one can be kept. Resolve it first."
            )
    # A row that would break a uniqueness rule once moved (the kept record already has its twin) is the same
    # fact twice: the duplicate's copy goes.
    for others in _unique_partners(model, name):
        if not others:
            continue
        existing = set(manager.filter(**{name: kept}).values_list(*others))
        if existing:
            for row in manager.filter(**{name: duplicate}).values_list("pk", *others):
                if tuple(row[1:]) in existing:
                    manager.filter(pk=row[0]).delete()
    return audited_update(manager.filter(**{name: duplicate}), reason="Merged duplicate", **{name: kept})


def _repoint_many_to_many(field: Any, kept: models.Model, duplicate: models.Model, *, own: bool):
    """Move rows of an automatic join table: `own` when the field is on the merged model itself."""
    through = field.remote_field.through
    manager = through._default_manager
    self_side = field.m2m_field_name() if own else field.m2m_reverse_field_name()
    other_side = field.m2m_reverse_field_name() if own else field.m2m_field_name()
    already = manager.filter(**{self_side: kept}).values_list(f"{other_side}_id", flat=True)
    manager.filter(**{self_side: duplicate, f"{other_side}_id__in": list(already)}).delete()
    return manager.filter(**{self_side: duplicate}).update(**{self_side: kept})


def relations_repoint(*, kept: models.Model, duplicate: models.Model, handled: Collection[str] = ()) -> dict[str, int]:
    """Point every row that refers to `duplicate` at `kept` instead, except the relations named in `handled`
    (relation_key form, or a many-to-many field's name on the model). Returns the rows moved per relation.
    """
    moved: dict[str, int] = {}
    model = type(kept)
    for relation in reverse_relations(model):
        key = relation_key(relation)
        if key in handled:
            continue
        if relation.many_to_many:
            field: Any = relation.field
            if not field.remote_field.through._meta.auto_created:
                raise ValidationError(f"{key} needs its own merge rule (it has an explicit join model).")
            count = _repoint_many_to_many(field, kept, duplicate, own=False)
        else:
            count = _repoint_foreign_key(relation, kept, duplicate)
        if count:
            moved[key] = count
    for m2m in model._meta.many_to_many:
        field = m2m
        if m2m.name in handled or not isinstance(field, models.ManyToManyField):
            continue
        through: Any = field.remote_field.through
        if not through._meta.auto_created:
            continue  # an explicit join model is a reverse relation of its own, moved above
        count = _repoint_many_to_many(field, kept, duplicate, own=True)
        if count:
            moved[field.name] = count
    return moved


def merge_field_names(model: type[models.Model], *, exclude: Iterable[str] = ()) -> list[str]:
    """The fields a recruiter chooses between when merging: editable, stored on the row, not the key."""
    skip = set(exclude)
    return [
        field.name
        for field in model._meta.concrete_fields
        if field.editable and not field.primary_key and field.name not in skip
    ]


def merged_values(
    *, kept: models.Model, duplicate: models.Model, fields: Iterable[str], choices: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """The values that change on the kept record. `choices` maps a field to "kept" or "duplicate"; a field not
    chosen keeps the kept record's value, or takes the duplicate's when the kept one is empty.
    """
    choices = choices or {}
    unknown = set(choices) - set(fields)
    if unknown:
        raise ValidationError(f"Cannot choose a value for: {', '.join(sorted(unknown))}.")
    changes: dict[str, Any] = {}
    for name in fields:
        choice = choices.get(name)
        if choice not in (None, "kept", "duplicate"):
            raise ValidationError(f"Choose 'kept' or 'duplicate' for {name}.")
        field = type(kept)._meta.get_field(name)
        attname = getattr(field, "attname", name)
        ours, theirs = getattr(kept, attname), getattr(duplicate, attname)
        if choice == "duplicate" or (choice is None and ours in (None, "") and theirs not in (None, "")):
            if ours != theirs:
                changes[attname] = theirs
    return changes


def ordered_pair(first_id: int, second_id: int) -> tuple[int, int]:
    """Pairs are stored lower id first, so (a, b) and (b, a) are one row."""
    return (first_id, second_id) if first_id < second_id else (second_id, first_id)


def pairs_record(pair_model: Any, found: Mapping[tuple[int, int], tuple[list[str], int]]) -> int:
    """Store suggested pairs {(first_id, second_id): (reasons, confidence)}: new ones are added, open ones get the
    latest reasons, and pairs dismissed as "not a duplicate" are left alone for good. Returns how many were added.
    """
    if not found:
        return 0
    manager = pair_model._default_manager
    existing: dict[tuple[int, int], Any] = {}
    keys = list(found)
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        lookup = models.Q(pk__in=[])
        for first, second in chunk:
            lookup |= models.Q(first_id=first, second_id=second)
        for pair in manager.filter(lookup):
            existing[(pair.first_id, pair.second_id)] = pair
    new: list[Any] = []
    changed: list[Any] = []
    for key, (reasons, confidence) in found.items():
        pair = existing.get(key)
        if pair is None:
            new.append(pair_model(first_id=key[0], second_id=key[1], reasons=reasons, confidence=confidence))
        elif pair.status == DuplicateStatus.OPEN and (pair.reasons != reasons or pair.confidence != confidence):
            pair.reasons, pair.confidence = reasons, confidence
            changed.append(pair)
    manager.bulk_create(new, batch_size=1000, ignore_conflicts=True)
    manager.bulk_update(changed, ["reasons", "confidence"], batch_size=1000)
    return len(new)


@transaction.atomic
def duplicate_pair_dismiss(*, pair: DuplicatePairBase, by=None) -> None:
    """ "Not a duplicate": the pair stays, marked, so it is never suggested again."""
    pair.status = DuplicateStatus.NOT_DUPLICATE
    pair.decided_at = timezone.now()
    pair.decided_by = by
    pair.save(update_fields=["status", "decided_at", "decided_by"])


# A detail shared by more records than this is a switchboard or a shared inbox, not one person or company.
SCAN_GROUP_MAX = 20


def pairs_sharing(
    queryset: models.QuerySet, key_field: str, evidence: tuple[str, int], found: dict[tuple[int, int], list]
) -> None:
    """Add to `found` every pair of records in `queryset` with the same non-empty `key_field`, with the evidence
    (reason, confidence); two grouped queries whatever the table size.
    """
    shared = (
        queryset.exclude(**{key_field: ""})
        .values(key_field)
        .annotate(n=models.Count("pk"))
        .filter(n__gt=1, n__lte=SCAN_GROUP_MAX)
        .values(key_field)
    )
    groups: dict[str, list[int]] = {}
    for pk, value in queryset.filter(**{f"{key_field}__in": shared}).values_list("pk", key_field):
        groups.setdefault(value, []).append(pk)
    for members in groups.values():
        for pair in combinations(sorted(members), 2):
            found.setdefault(pair, []).append(evidence)


def combined(evidence: Iterable[tuple[str, int]]) -> tuple[list[str], int]:
    """Reasons and one confidence for independent pieces of evidence: 1 − Π(1 − c)."""
    reasons, doubt = [], 1.0
    for reason, confidence in evidence:
        reasons.append(reason)
        doubt *= 1 - confidence / 100
    return reasons, round(100 * (1 - doubt))
