"""The PostgreSQL backend (sonitec/postgresql/base.py) reads timestamps with psycopg's compiled loader, and they
come out as Django's own loader gives them; its health check costs no round trip unless the server has spoken."""

import datetime
import time

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections
from psycopg.pq import Format
from psycopg.types.datetime import TimestamptzLoader

from pipelines.models import StageChange
from tests.factories import SubmissionFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
TIMESTAMPTZ_OID = 1184


def test_timestamps_are_read_by_the_compiled_loader_with_the_same_values():
    moment = datetime.datetime(2026, 3, 29, 0, 59, 59, 999999, tzinfo=datetime.UTC)
    change = StageChange.objects.create(submission=SubmissionFactory(), to_stage="sourced", changed_at=moment)
    with connection.cursor() as cursor:
        loader = cursor.cursor.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
        cursor.execute("SELECT changed_at FROM pipelines_stagechange WHERE id = %s", [change.pk])
        (read,) = cursor.fetchone()
    # psycopg swaps a loader class of its own for its C version; Django's subclass would stay in Python.
    assert loader is not TimestamptzLoader and loader.__module__.startswith("psycopg_binary")
    assert read == moment and read.tzinfo is datetime.UTC
    assert StageChange.objects.get(pk=change.pk).changed_at == moment


def test_a_session_in_another_time_zone_keeps_djangos_loader():
    # psycopg's loader would stamp the session's zone; only Django's knows to give UTC whatever the session says.
    with connection.cursor() as cursor:
        cursor.execute("SET TIME ZONE 'Europe/London'")  # undone when the test's transaction rolls back
    with connection.cursor() as cursor:
        loader = cursor.cursor.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
    assert loader.__module__.startswith("django.")


def test_a_healthy_idle_connection_passes_its_health_check_without_a_round_trip(monkeypatch):
    connection.ensure_connection()
    sent = []
    monkeypatch.setattr(type(connection.connection), "cursor", lambda *args, **kwargs: sent.append(args))
    assert connection.is_usable() and sent == []


def test_a_connection_the_server_closed_fails_its_health_check():
    other = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        other.ensure_connection()
        pid = other.connection.info.backend_pid
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        for _ in range(50):  # the server's goodbye reaches the socket soon after
            if not other.is_usable():
                break
            time.sleep(0.05)
        assert not other.is_usable()
    finally:
        other.close()
