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
"""

import datetime
import select

from django.db.backends.postgresql import base
from psycopg.types.datetime import TimestamptzLoader


def _readable(fileno: int) -> bool:
    readable, _, _ = select.select([fileno], [], [], 0)
    return bool(readable)


class DatabaseWrapper(base.DatabaseWrapper):
    def create_cursor(self, name=None):
        cursor = super().create_cursor(name)
        if self.timezone is datetime.UTC and self.connection.info.parameter_status("TimeZone") == "UTC":
            cursor.adapters.register_loader("timestamptz", TimestamptzLoader)
        return cursor

    def is_usable(self) -> bool:
        if self.connection is None or self.connection.closed:
            return False
        if not _readable(self.connection.fileno()):
            return True  # idle and nothing pending: not closed from the other end
        return super().is_usable()
