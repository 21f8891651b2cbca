"""Staff sessions expire after SESSION_COOKIE_AGE (12 hours by default) of inactivity, not of sign-in. They are read
from the cache; the database stays the source of truth."""

import datetime

import pytest
from asgiref.sync import async_to_sync
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sonitec.sessions import SessionStore


@pytest.fixture
def away(monkeypatch):
    """Moves the clock forward, as if the staff member had left their desk for that long. The cached session is
    left as it was: only its own expiry can tell that it is stale."""
    real_now = timezone.now

    def move(delta: datetime.timedelta) -> None:
        monkeypatch.setattr(timezone, "now", lambda: real_now() + delta)

    return move


def session_writes(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].startswith("UPDATE") and "django_session" in q["sql"]]


@pytest.mark.django_db
def test_a_staff_session_lasts_twelve_hours_from_the_last_request(admin_client, settings, away):
    assert settings.SESSION_COOKIE_AGE == 12 * 60 * 60
    away(datetime.timedelta(hours=11, minutes=55))
    assert admin_client.get("/admin/").status_code == 200
    renewed = Session.objects.get().expire_date - timezone.now()
    assert datetime.timedelta(hours=11, minutes=59) < renewed <= datetime.timedelta(hours=12)


@pytest.mark.django_db
def test_an_expired_session_must_sign_in_again(admin_client, away):
    away(datetime.timedelta(hours=12, seconds=1))
    response = admin_client.get("/admin/")
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.django_db
def test_a_burst_of_requests_writes_the_renewed_expiry_once(admin_client, away):
    away(datetime.timedelta(hours=11, minutes=55))
    with CaptureQueriesContext(connection) as queries:
        assert admin_client.get("/api/v1/staff/clients/").status_code == 200  # renews and writes the expiry
    assert len(session_writes(queries)) == 1
    with CaptureQueriesContext(connection) as queries:
        assert admin_client.get("/api/v1/staff/clients/").status_code == 200
    assert not session_writes(queries)
    renewed = Session.objects.get().expire_date - timezone.now()
    assert datetime.timedelta(hours=11, minutes=58) < renewed <= datetime.timedelta(hours=12)


@pytest.mark.django_db
def test_a_signed_in_request_reads_its_session_from_the_cache(admin_client):
    with CaptureQueriesContext(connection) as queries:
        assert admin_client.get("/api/v1/staff/clients/").status_code == 200
    assert not [q for q in queries if "django_session" in q["sql"]]


@pytest.mark.django_db
def test_a_session_outlives_an_emptied_cache(admin_client):
    cache.clear()  # a Redis restart
    assert admin_client.get("/api/v1/staff/clients/").status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert admin_client.get("/api/v1/staff/clients/").status_code == 200
    assert not [q for q in queries if "django_session" in q["sql"]]  # read from its row once, then cached again


@pytest.mark.django_db
def test_signing_out_ends_the_session_for_every_later_request(admin_client):
    cookie = admin_client.cookies["sessionid"].value
    assert admin_client.get("/api/v1/staff/clients/").status_code == 200
    assert admin_client.post("/admin/logout/").status_code == 200
    admin_client.cookies["sessionid"] = cookie  # a copy of the cookie kept from before signing out
    assert admin_client.get("/api/v1/staff/clients/").status_code == 401
    assert not Session.objects.exists()


@pytest.mark.django_db
def test_the_async_session_api_reads_the_same_session(admin_client, recruiter):
    store = SessionStore(admin_client.cookies["sessionid"].value)
    assert async_to_sync(store.aget)(SESSION_KEY) == str(recruiter.pk)
