"""Django's PostgreSQL backend, with timestamps read by psycopg's own (compiled) loader.

Django registers a timestamptz loader of its own, a Python subclass of psycopg's that stamps each value with the
connection's time zone; psycopg can only run a Python subclass in Python, so every timestamp is parsed there
(about a microsecond each: half of fetching a page of partner submissions). With USE_TZ that time zone is UTC, and
Django sets the session's to UTC too, which is the zone psycopg's own loader stamps: its C version gives the same
values (aware, `datetime.timezone.utc`). Each cursor takes it only when both zones are UTC; otherwise Django's
loader stays.
"""

import datetime

from django.db.backends.postgresql import base
from psycopg.types.datetime import TimestamptzLoader


class DatabaseWrapper(base.DatabaseWrapper):
    def create_cursor(self, name=None):
        cursor = super().create_cursor(name)
        if self.timezone is datetime.UTC and self.connection.info.parameter_status("TimeZone") == "UTC":
            cursor.adapters.register_loader("timestamptz", TimestamptzLoader)
        return cursor
