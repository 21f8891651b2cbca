"""Writing many rows at once, set-based: what a large import needs and Django's bulk methods do slowly.

On PostgreSQL new rows go in by COPY (their ids reserved from the table's sequence first), changed rows by one
`UPDATE … FROM unnest(…)`, and history rows by one `INSERT … SELECT` from the rows just written. Other
databases (the embedded SQLite) use Django's bulk_create / bulk_update. Database triggers (the candidates' search
document) fire for every row either way; model signals do not, as with any bulk write.
"""

import datetime
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connection, models
from django.utils import timezone

# Field types whose Python values psycopg writes as they are; any other goes through the field's own conversion.
PLAIN_TYPES = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "DateField",
    "DateTimeField",
    "DecimalField",
    "EmailField",
    "FloatField",
    "ForeignKey",
    "IntegerField",
    "OneToOneField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SlugField",
    "SmallIntegerField",
    "TextField",
    "URLField",
}
SELECT_IDS_MAX = 900  # ids per history statement, within SQLite's limit on parameters too


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def _converter(field: models.Field) -> Callable[[Any], Any]:
    if field.get_internal_type() in PLAIN_TYPES:
        return lambda value: value
    return lambda value: field.get_db_prep_save(value, connection)


def _stamp(objs: Sequence[models.Model], *, add: bool) -> list[models.Field]:
    """Set auto_now / auto_now_add fields as save() would; returns the fields stamped."""
    stamped = [
        field
        for field in objs[0]._meta.concrete_fields
        if getattr(field, "auto_now", False) or (add and getattr(field, "auto_now_add", False))
    ]
    for obj in objs:
        for field in stamped:
            field.pre_save(obj, add)
    return stamped


def ids_reserve(objs: Sequence[models.Model]) -> bool:
    """PostgreSQL: give new rows their ids from the table's sequence before they are inserted, so rows that refer
    to them can be written first. Returns False (and does nothing) where ids only come with the insert.
    """
    if not _postgres():
        return False
    if objs:
        meta = objs[0]._meta
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, len(objs)],
            )
            for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
                obj.pk = pk
    return True


def rows_copy(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """PostgreSQL: COPY plain rows (values in the order of columns) into a table; ids not given come from its
    sequence. For rows nobody needs as model objects afterwards (a link, a consent of an import).
    """
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        with cursor.copy(f"COPY {quote(table)} ({', '.join(map(quote, columns))}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def staging_table(model: type[models.Model]) -> str:
    """PostgreSQL: an empty temporary table shaped like the model's (no indexes, constraints or triggers), dropped
    at the end of the transaction at the latest (so call it inside one); rows are copied in there first when a
    set-based statement should write them to the real table.
    """
    name = f"staging_{model._meta.db_table}"
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {quote(name)}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {quote(name)} (LIKE {quote(model._meta.db_table)} INCLUDING DEFAULTS) "
            "ON COMMIT DROP"
        )
    return name


def rows_insert(objs: Sequence[models.Model], *, table: str = "") -> Sequence[models.Model]:
    """Insert new rows of one model and give each its id (unless ids_reserve gave them one). PostgreSQL can copy
    them into another table of the same shape instead (a staging_table).
    """
    if not objs:
        return objs
    model = type(objs[0])
    if not _postgres():
        return model._default_manager.bulk_create(objs, batch_size=1000)
    meta = model._meta
    fields = list(meta.concrete_fields)
    _stamp(objs, add=True)
    if objs[0].pk is None:
        ids_reserve(objs)
    converters = [(field.attname, _converter(field)) for field in fields]
    rows_copy(
        table or meta.db_table,
        [field.column for field in fields],
        ([convert(getattr(obj, attname)) for attname, convert in converters] for obj in objs),
    )
    for obj in objs:
        obj._state.adding, obj._state.db = False, "default"
    return objs


def rows_update(objs: Sequence[models.Model], field_names: Iterable[str]) -> None:
    """Write these fields of rows already stored (and their auto_now fields, as save() would)."""
    if not objs:
        return
    model = type(objs[0])
    meta = model._meta
    fields: list[models.Field] = [meta.get_field(name) for name in field_names]  # type: ignore[misc]
    fields += [field for field in _stamp(objs, add=False) if field not in fields]
    if not _postgres():
        model._default_manager.bulk_update(objs, [field.name for field in fields], batch_size=500)
        return
    quote = connection.ops.quote_name
    columns: list[Any] = [meta.pk, *fields]
    # One array parameter per column, unnested into rows: one statement whatever the number of rows, and no
    # query text that grows with them.
    arrays = ", ".join(f"%s::{field.db_type(connection)}[]" for field in columns)
    names = ", ".join(quote(field.column) for field in columns)
    assignments = ", ".join(f"{quote(field.column)} = v.{quote(field.column)}" for field in fields)
    converters = [(field.attname, _converter(field)) for field in columns]
    params = [[convert(getattr(obj, attname)) for obj in objs] for attname, convert in converters]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(meta.db_table)} AS t SET {assignments} FROM unnest({arrays}) AS v ({names}) "
            f"WHERE t.{quote(meta.pk.column)} = v.{quote(meta.pk.column)}",  # nosec B608: names from the model
            params,
        )


def history_rows_record(
    model: type[models.Model],
    ids: Sequence[int],
    *,
    history_type: str,
    reason: str,
    user_id: int | None = None,
    when: datetime.datetime | None = None,
) -> None:
    """Add a django-simple-history entry ("+" created, "~" changed) for each of these rows, copied from the rows
    as stored now, in one statement per chunk of ids.
    """
    if not ids:
        return
    history: Any = getattr(model, model._meta.simple_history_manager_attribute).model  # type: ignore[attr-defined]
    quote = connection.ops.quote_name
    copied = [field.column for field in history._meta.concrete_fields if not field.name.startswith("history_")]
    columns = ", ".join(quote(column) for column in copied)
    when = when or timezone.now()
    pk = quote(model._meta.pk.column)
    # PostgreSQL takes all the ids as one array; elsewhere a chunk of ids is a list of parameters.
    step = len(ids) if _postgres() else SELECT_IDS_MAX
    with connection.cursor() as cursor:
        for start in range(0, len(ids), step):
            chunk = list(ids[start : start + step])
            where = f"{pk} = ANY(%s)" if _postgres() else f"{pk} IN ({', '.join(['%s'] * len(chunk))})"
            cursor.execute(
                f"INSERT INTO {quote(history._meta.db_table)} "
                f"({columns}, history_date, history_change_reason, history_type, history_user_id) "
                f"SELECT {columns}, %s, %s, %s, %s FROM {quote(model._meta.db_table)} WHERE {where}",  # nosec B608
                [when, reason[:100], history_type, user_id, *([chunk] if _postgres() else chunk)],
            )
