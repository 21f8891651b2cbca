"""Serialising plain rows (from `QuerySet.values()`) exactly as a DRF serializer would serialise instances."""

from collections.abc import Callable, Iterable
from typing import Any

from rest_framework import serializers

_FIELDS: dict[type[serializers.Serializer], dict[str, serializers.Field]] = {}


def _fields(serializer_class: type[serializers.Serializer]) -> dict[str, serializers.Field]:
    if serializer_class not in _FIELDS:
        _FIELDS[serializer_class] = dict(serializer_class().fields)
    return _FIELDS[serializer_class]


def rows_serialized(
    serializer_class: type[serializers.Serializer],
    rows: Iterable[dict[str, Any]],
    *,
    computed: dict[str, Callable[[dict[str, Any]], Any]] | None = None,
) -> list[dict[str, Any]]:
    """Each row as `serializer_class` writes an instance: the serializer's own fields format the columns (dates,
    decimals, choices); `computed` gives the fields a column cannot (related lists, ids of foreign keys)."""
    fields = _fields(serializer_class)
    computed = computed or {}
    result = []
    for row in rows:
        item: dict[str, Any] = {}
        for name, field in fields.items():
            if name in computed:
                item[name] = computed[name](row)
            else:
                value = row[name]
                item[name] = None if value is None else field.to_representation(value)
        result.append(item)
    return result
