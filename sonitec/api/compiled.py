"""List pages run from SQL compiled once per shape of page.

Building a list's queryset (visibility subqueries, related arrays, the cursor's order and position) and compiling
it costs a few milliseconds of Python a request: more than PostgreSQL spends running it. Yet the SQL depends only
on the page's shape (its order, whether the cursor holds a position, the offset and the page size); the caller and
the cursor's position are parameters. So the first page of each shape builds the queryset for a stand-in owner and
a stand-in position, compiles it and notes where their values sit among the parameters; every later page of that
shape puts its own values there and runs the SQL.

`PageQuery` answers the three things DRF's CursorPagination asks of a queryset (`order_by`, `filter` on the
position, a slice), so the paginator's cursors and links stay DRF's own.
"""

import datetime
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, Self

from django.db import connections, router
from django.db.models import Expression, Field, Model, QuerySet

# Stand-ins no real row holds: a primary key for the owner, and a position for each kind of field a list orders by.
STAND_IN_PK = -1_987_654_321
_STAND_IN_POSITIONS: dict[str, Any] = {
    "DateTimeField": datetime.datetime(1901, 2, 3, 4, 5, 6, 789012, tzinfo=datetime.UTC),
    "DateField": datetime.date(1901, 2, 3),
    "AutoField": -1_987_654_322,
    "BigAutoField": -1_987_654_322,
    "IntegerField": -1_987_654_322,
    "BigIntegerField": -1_987_654_322,
    "PositiveIntegerField": 1_987_654_322,
    "PositiveSmallIntegerField": 32_123,
    "CharField": "\x01stand-in position",
    "SlugField": "\x01stand-in position",
}
# Shapes kept per process: a list has a handful in use (first pages, next pages, a few page sizes).
_KEPT = 512

Converters = list[tuple[int, tuple[list[Callable], Expression]]]


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    owner_slots: tuple[int, ...]
    position_slots: tuple[int, ...]
    position_field: Field | None
    names: tuple[str, ...]
    converters: Converters


_compiled: OrderedDict[Hashable, _Compiled] = OrderedDict()
_lock = threading.Lock()


def _prepared(field: Field, value: Any, using: str) -> Any:
    """A position as the ORM passes it to the database in `field__lt=value` (parsed, made aware, adapted)."""
    return field.get_db_prep_value(field.get_prep_value(value), connections[using], prepared=True)


def _slots(params: tuple[Any, ...], value: Any) -> tuple[int, ...]:
    return tuple(i for i, param in enumerate(params) if type(param) is type(value) and param == value)


def _compile(
    build: Callable[[Model | None], QuerySet],
    owner_model: type[Model] | None,
    ordering: tuple[str, ...],
    lookup: str | None,
    window: slice,
    using: str,
) -> _Compiled:
    owner = owner_model(pk=STAND_IN_PK) if owner_model is not None else None
    queryset = build(owner).order_by(*ordering)
    position_field, stand_in = None, None
    if lookup is not None:
        position_field = queryset.model._meta.get_field(lookup.rpartition("__")[0])
        stand_in = _STAND_IN_POSITIONS[position_field.get_internal_type()]
        queryset = queryset.filter(**{lookup: stand_in})
    query = queryset[window].query
    compiler = query.get_compiler(using=using)
    sql, params = compiler.as_sql()
    params = tuple(params)
    owner_slots = _slots(params, STAND_IN_PK) if owner is not None else ()
    position_slots = _slots(params, _prepared(position_field, stand_in, using)) if position_field else ()
    # The owner and the position must be parameters: if a stand-in were missing (or written into the SQL), every
    # caller would get the stand-in's rows.
    if (owner is not None and not owner_slots) or (position_field is not None and not position_slots):
        raise ValueError(f"{queryset.model.__name__} list: the owner or position is not a parameter of its SQL")
    names = tuple(query.selected or (*query.extra_select, *query.values_select, *query.annotation_select))
    columns = [column for column, _, _ in compiler.select[: compiler.col_count]]
    converters = list(compiler.get_converters(columns).items())
    return _Compiled(sql, params, owner_slots, position_slots, position_field, names, converters)


def _compiled_for(key: Hashable, make: Callable[[], _Compiled]) -> _Compiled:
    with _lock:
        found = _compiled.get(key)
        if found is not None:
            _compiled.move_to_end(key)
            return found
    made = make()
    with _lock:
        _compiled[key] = made
        while len(_compiled) > _KEPT:
            _compiled.popitem(last=False)
    return made


class PageQuery:
    """A `values()` list, as DRF's CursorPagination uses a queryset, run from SQL compiled once per shape.

    `build(owner)` gives the list's rows for an owner (a model instance, or None for lists without one); it must
    use the owner only as a value, by its primary key, since it is called once, with a stand-in, for every owner.
    `key` names the list (e.g. its view class) among the compiled ones.
    """

    def __init__(
        self,
        key: object,
        build: Callable[[Model | None], QuerySet],
        *,
        model: type[Model],
        owner: Model | None = None,
    ) -> None:
        self.key, self.build, self.model, self.owner = key, build, model, owner
        self.ordering: tuple[str, ...] = ()
        self.lookup: str | None = None
        self.position: Any = None

    def order_by(self, *ordering: str) -> Self:
        self.ordering = ordering
        return self

    def filter(self, **position: Any) -> Self:
        ((self.lookup, self.position),) = position.items()
        return self

    def __getitem__(self, window: slice) -> list[dict[str, Any]]:
        using = router.db_for_read(self.model)
        owner_model = type(self.owner) if self.owner is not None else None
        shape = (self.key, using, owner_model, self.ordering, self.lookup, window.start, window.stop)
        compiled = _compiled_for(
            shape, lambda: _compile(self.build, owner_model, self.ordering, self.lookup, window, using)
        )
        params = list(compiled.params)
        for slot in compiled.owner_slots:
            params[slot] = self.owner.pk  # type: ignore[union-attr]  # owner slots exist only with an owner
        if compiled.position_field is not None:
            position = _prepared(compiled.position_field, self.position, using)
            for slot in compiled.position_slots:
                params[slot] = position
        connection = connections[using]
        prepared_cursor = getattr(connection, "prepared_cursor", None)  # PostgreSQL (sonitec/postgresql)
        with prepared_cursor() if prepared_cursor else connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        return [
            dict(zip(compiled.names, _converted(row, compiled.converters, connection), strict=True)) for row in rows
        ]


def _converted(row: tuple, converters: Converters, connection: Any) -> tuple | list:
    """The row's values as the ORM gives them (Django's SQLCompiler.apply_converters, for one row)."""
    if not converters:
        return row
    values = list(row)
    for position, (functions, expression) in converters:
        value = values[position]
        for convert in functions:
            value = convert(value, expression, connection)
        values[position] = value
    return values
