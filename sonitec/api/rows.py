"""Serialising plain rows (from `QuerySet.values()`) into what a DRF serializer would write for instances, to the
byte once the API's renderer has written them as JSON."""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal
from operator import itemgetter
from typing import Any, cast

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connections, router
from django.db.models import ManyToManyField, Model, OuterRef, QuerySet
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
    """DateTimeField's value in the request's time zone, left to the API's renderer (sonitec/api/renderers.py) to
    write: orjson writes it in C exactly as the field's ISO 8601 (tests compare the bytes), where formatting it
    here took a page of 100 submissions a sixth of its time. The zone is read once a page."""
    if getattr(field, "format", api_settings.DATETIME_FORMAT) != ISO_8601:
        return None
    zone = field.timezone if hasattr(field, "timezone") else field.default_timezone()
    if zone is None:
        return None

    def write(value: datetime.datetime) -> datetime.datetime | str:
        if value.tzinfo is None:  # naive: DRF's own handling (make_aware and its checks)
            return field.to_representation(value)
        return value.astimezone(zone)

    return write


def _decimal_format(field: serializers.DecimalField) -> Format | None:
    """DecimalField's string without its quantizing, for a value already at the field's places and within its
    digits (what a column of the field's scale holds); any other value goes through DRF's own."""
    if not getattr(field, "coerce_to_string", api_settings.COERCE_DECIMAL_TO_STRING) or field.localize:
        return None
    if field.decimal_places is None or field.max_digits is None:
        return None
    exponent, digits = -field.decimal_places, field.max_digits

    def write(value: Decimal) -> str:
        shape = value.as_tuple() if type(value) is Decimal else None
        if shape is not None and shape.exponent == exponent and len(shape.digits) <= digits:
            return f"{value:f}"
        return field.to_representation(value)

    return write


def _format(field: serializers.Field) -> Format:
    if type(field) in _AS_IS:
        return _same
    if type(field) is serializers.BigIntegerField and not getattr(
        field, "coerce_to_string", api_settings.COERCE_BIGINT_TO_STRING
    ):
        return _same  # int() of an int
    if type(field) is serializers.DateField and getattr(field, "format", api_settings.DATE_FORMAT) == ISO_8601:
        return datetime.date.isoformat
    if type(field) is serializers.DecimalField:
        return _decimal_format(field) or field.to_representation
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
    decimals, choices); `computed` gives the fields a column cannot (related lists, values from other tables).
    Date-times stay date-time objects, in the request's zone, for the API's renderer to write as the field would."""
    computed = computed or {}
    formats = [(name, computed.get(name), write) for name, write in _formats(serializer_class)]
    result = []
    for row in rows:
        item: dict[str, Any] = {}
        for name, compute, write in formats:
            if compute is not None:
                item[name] = compute(row)
            elif (value := row[name]) is None or write is _same:
                item[name] = value
            else:
                item[name] = write(value)
        result.append(item)
    return result


# Many-to-many fields of a listed model, each written as a list of one column of its related rows ("pk" for their
# ids, or e.g. "slug").
Relations = dict[str, str]


def _links(model: type[Model], relation: str, column: str) -> tuple[QuerySet, str, str]:
    """The relation's link rows in the related model's own order (as a prefetch lists them), the link's field
    naming the owner, and the lookup of the column to list."""
    field = cast(ManyToManyField, model._meta.get_field(relation))
    owner, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    related, through = cast(type[Model], field.related_model), cast(type[Model], field.remote_field.through)
    ordering = [
        f"-{target}__{name[1:]}" if name.startswith("-") else f"{target}__{name}"
        for name in related._meta.ordering or ["pk"]
    ]
    links = through._default_manager.order_by(*ordering)
    return links, owner, target if column == "pk" else f"{target}__{column}"


def on_postgres(model: type[Model]) -> bool:
    return connections[router.db_for_read(model)].vendor == "postgresql"


def with_related_arrays(values: QuerySet, relations: Relations) -> QuerySet:
    """On PostgreSQL, each related list as an array column of the page's own query, so a page is one query."""
    if not on_postgres(values.model):
        return values
    arrays = {}
    for relation, column in relations.items():
        links, owner, value = _links(values.model, relation, column)
        arrays[f"{relation}_array"] = ArraySubquery(links.filter(**{owner: OuterRef("pk")}).values(value))
    return values.annotate(**arrays)


def related_lists(model: type[Model], page: list[dict[str, Any]], relations: Relations) -> dict[str, Format]:
    """How to read each related list of a page's row: its array column on PostgreSQL (`with_related_arrays`),
    elsewhere one query per relation for the whole page."""
    if on_postgres(model):
        return {relation: itemgetter(f"{relation}_array") for relation in relations}
    ids = [row["id"] for row in page]
    return {relation: _listed(model, relation, column, ids) for relation, column in relations.items()}


def _listed(model: type[Model], relation: str, column: str, ids: list[Any]) -> Format:
    links, owner, value = _links(model, relation, column)
    by_owner: dict[Any, list[Any]] = defaultdict(list)
    for owner_id, related in links.filter(**{f"{owner}__in": ids}).values_list(owner, value):
        by_owner[owner_id].append(related)
    return lambda row: by_owner.get(row["id"], [])
