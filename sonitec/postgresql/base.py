"""Django's PostgreSQL backend, with two costs of every request taken out.

Timestamps: Django registers a timestamptz loader of its own, a Python subclass of psycopg's that stamps each value
with the connection's time zone; psycopg can only run a Python subclass in Python, so every timestamp was parsed
there (about a microsecond each: half of fetching a page of partner submissions). With USE_TZ that time zone is
UTC, and Django sets the session's to UTC too, which is the zone psycopg's own loader stamps: its C version gives
the same values (aware, `datetime.timezone.utc`). Each cursor takes it only when both zones are UTC.

Health checks: with CONN_HEALTH_CHECKS Django sends `SELECT 1` before the first query of every request, a round
trip that cost a partner list page about 0.3 ms. A connection the server (or anything between) has closed has its
end of file waiting to be read, so the check asks the socket first and sends `SELECT 1` only when there is
something to read.

Prepared statements: `prepared_cursor()` is for SQL run over and over with new values (the API's list pages,
sonitec/api/compiled.py): PostgreSQL parses and plans it once per connection, which took its CPU per partner
submissions page from 0.85 ms to 0.56 ms.
"""

import datetime
import select

import psycopg
from django.db.backends.postgresql import base, operations
from psycopg.types.datetime import TimestamptzLoader

# Not None, which turns preparing off; the prepared cursor asks for it outright, on the first run.
PREPARE_THRESHOLD = 5


def _readable(fileno: int) -> bool:
    readable, _, _ = select.select([fileno], [], [], 0)
    return bool(readable)


class _Preparing:
    """A psycopg cursor that prepares each statement on its first run (Django's wrapper passes no `prepare`)."""

    def __init__(self, cursor) -> None:
        self._cursor = cursor

    def execute(self, query, params=None):
        return self._cursor.execute(query, params, prepare=True)

    def __getattr__(self, name):
        return getattr(self._cursor, name)


class DatabaseOperations(operations.DatabaseOperations):
    def last_executed_query(self, cursor, sql, params):
        # The query log (DEBUG, tests) shows the SQL with its values: Django reads them from the text a
        # client-binding cursor sent, and this cursor sent the values apart.
        if isinstance(cursor, _Preparing):
            return self.compose_sql(sql, params)
        return super().last_executed_query(cursor, sql, params)


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

    def create_cursor(self, name=None):
        cursor = super().create_cursor(name)
        self._read_timestamps_in_c(cursor)
        return cursor

    def _read_timestamps_in_c(self, cursor) -> None:
        if self.timezone is datetime.UTC and self.connection.info.parameter_status("TimeZone") == "UTC":
            cursor.adapters.register_loader("timestamptz", TimestamptzLoader)

    def prepared_cursor(self):
        """A cursor that binds its parameters on the server and prepares each statement the first time this
        connection runs it, so PostgreSQL parses and plans SQL that runs again and again with new values only once
        (sonitec/api/compiled.py). Django's own cursors bind on the client, where casts some queries rely on are
        written into the SQL."""
        self.close_if_health_check_failed()
        self.ensure_connection()
        with self.wrap_database_errors:
            # Django turns preparing off for the whole connection (poolers in transaction mode lose prepared
            # statements); only this cursor asks for it, and Django's client-binding cursors never prepare.
            self.connection.prepare_threshold = PREPARE_THRESHOLD
            cursor = psycopg.Cursor(self.connection)
            self._read_timestamps_in_c(cursor)
            return self._prepare_cursor(_Preparing(cursor))

    def is_usable(self) -> bool:
        if self.connection is None or self.connection.closed:
            return False
        if not _readable(self.connection.fileno()):
            return True  # idle and nothing pending: not closed from the other end
        return super().is_usable()
