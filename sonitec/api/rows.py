"""Serialising plain rows (from `QuerySet.values()`) exactly as a DRF serializer would serialise instances."""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any, cast

from django.db.models import ManyToManyField, Model
from django.utils import timezone
from rest_framework import ISO_8601, serializers
from rest_framework.settings import api_settings

Format = Callable[[Any], Any]

# Fields whose `to_representation` gives back a database value of the column's own type unchanged (str() of a
# str, int() of an int, a choice's own value): the row's value is written as it is. Exact classes only, so a
# subclass with its own formatting still goes through it.
_AS_IS = (
    serializers.CharField,
    serializers.EmailField,
    serializers.URLField,
    serializers.SlugField,
    serializers.IntegerField,
    serializers.BooleanField,
    serializers.ChoiceField,
)


def _same(value: Any) -> Any:
    return value


def _datetime_format(field: serializers.DateTimeField) -> Format | None:
    """DateTimeField's ISO 8601 output without its per-value time-zone lookups: the zone is read once a page."""
    if getattr(field, "format", api_settings.DATETIME_FORMAT) != ISO_8601:
        return None
    zone = field.timezone if hasattr(field, "timezone") else field.default_timezone()
    if zone is None:
        return None

    def write(value: datetime.datetime) -> str:
        if value.tzinfo is None:  # naive: DRF's own handling (make_aware and its checks)
            return field.to_representation(value)
        text = value.astimezone(zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return write


def _format(field: serializers.Field) -> Format:
    if type(field) in _AS_IS:
        return _same
    if isinstance(field, serializers.PrimaryKeyRelatedField) and field.pk_field is None:
        return _same  # `values()` gives a foreign key's id under the field's name
    if isinstance(field, serializers.DateTimeField):
        return _datetime_format(field) or field.to_representation
    return field.to_representation


_FORMATS: dict[tuple[type[serializers.Serializer], Any], list[tuple[str, Format]]] = {}


def _formats(serializer_class: type[serializers.Serializer]) -> list[tuple[str, Format]]:
    """How each field of the serializer writes a column, in the serializer's order; kept per time zone, since a
    date-time field writes in the request's current one."""
    key = (serializer_class, timezone.get_current_timezone())
    if key not in _FORMATS:
        _FORMATS[key] = [(name, _format(field)) for name, field in serializer_class().fields.items()]
    return _FORMATS[key]


def rows_serialized(
    serializer_class: type[serializers.Serializer],
    rows: Iterable[dict[str, Any]],
    *,
    computed: dict[str, Callable[[dict[str, Any]], Any]] | None = None,
) -> list[dict[str, Any]]:
    """Each row as `serializer_class` writes an instance: the serializer's own fields format the columns (dates,
    decimals, choices); `computed` gives the fields a column cannot (related lists, values from other tables)."""
    computed = computed or {}
    formats = [(name, computed.get(name), write) for name, write in _formats(serializer_class)]
    result = []
    for row in rows:
        item: dict[str, Any] = {}
        for name, compute, write in formats:
            if compute is not None:
                item[name] = compute(row)
            else:
                value = row[name]
                item[name] = None if value is None else write(value)
        result.append(item)
    return result


def related_values(model: type[Model], relation: str, owner_ids: list[Any], value: str = "pk") -> dict[Any, list[Any]]:
    """For each of `owner_ids`, the `value` of its related rows through the many-to-many field `relation` of
    `model`, in the related model's own order (as a prefetch lists them): one query."""
    field = cast(ManyToManyField, model._meta.get_field(relation))
    owner, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    ordering = [
        f"-{target}__{name[1:]}" if name.startswith("-") else f"{target}__{name}"
        for name in field.related_model._meta.ordering or ["pk"]
    ]
    links = field.remote_field.through.objects.filter(**{f"{owner}__in": owner_ids}).order_by(*ordering)
    by_owner: dict[Any, list[Any]] = defaultdict(list)
    for owner_id, related in links.values_list(owner, target if value == "pk" else f"{target}__{value}"):
        by_owner[owner_id].append(related)
    return by_owner
