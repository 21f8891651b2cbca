"""Rows for every reverse relation of a model, so merge tests cover relations added after they were written."""

import inspect

import factory

from sonitec.merging import relation_key
from tests import factories


def factory_for(model):
    """The factory tests.factories has for a model: every model has one, so new relations are covered too."""
    for _, obj in inspect.getmembers(factories, inspect.isclass):
        if issubclass(obj, factory.django.DjangoModelFactory) and obj._meta.model is model:
            return obj
    raise AssertionError(f"tests/factories.py has no factory for {model.__name__}: add one so merges are tested")


def rows_pointing_at(record, extra=None) -> dict[str, tuple[str, object]]:
    """{relation key: ("fk" or "m2m", row)}: one row per reverse relation of the record's model, pointing at it.

    `extra` gives more field values for the row of a relation key, where a rule of that model needs them.
    """
    extra = extra or {}
    rows = {}
    for relation in type(record)._meta.related_objects:
        key = relation_key(relation)
        if relation.many_to_many:
            owner = factory_for(relation.related_model)()
            getattr(owner, relation.field.name).add(record)
            rows[key] = ("m2m", owner)
        else:
            values = {relation.field.name: record, **extra.get(key, {})}
            rows[key] = ("fk", factory_for(relation.related_model)(**values))
    return rows


def assert_all_point_at(kept, rows: dict[str, tuple[str, object]], *, dropped=()) -> None:
    """Every row built by rows_pointing_at for the duplicate now points at `kept` (or is gone, for `dropped`)."""
    relations = {relation_key(r): r for r in type(kept)._meta.related_objects}
    for key, (kind, row) in rows.items():
        relation = relations[key]
        if relation.name in dropped:
            assert not relation.related_model.objects.filter(pk=row.pk).exists(), key
        elif kind == "m2m":
            assert kept in getattr(row, relation.field.name).all(), key
        else:
            row.refresh_from_db()
            assert getattr(row, f"{relation.field.name}_id") == kept.pk, key
