"""Staff sessions expire after SESSION_COOKIE_AGE (12 hours by default) of inactivity, not of sign-in."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone


@pytest.mark.django_db
def test_a_staff_session_lasts_twelve_hours_from_the_last_request(admin_client, settings):
    assert settings.SESSION_COOKIE_AGE == 12 * 60 * 60
    session = Session.objects.get()
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() + datetime.timedelta(minutes=5))
    assert admin_client.get("/admin/").status_code == 200
    renewed = Session.objects.get(pk=session.pk).expire_date - timezone.now()
    assert datetime.timedelta(hours=11, minutes=59) < renewed <= datetime.timedelta(hours=12)


@pytest.mark.django_db
def test_an_expired_session_must_sign_in_again(admin_client):
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = admin_client.get("/admin/")
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.django_db
def test_a_burst_of_requests_writes_the_renewed_expiry_once(admin_client):
    Session.objects.update(expire_date=timezone.now() + datetime.timedelta(minutes=5))
    assert admin_client.get("/api/v1/staff/clients/").status_code == 200  # renews and writes the expiry
    with CaptureQueriesContext(connection) as queries:
        assert admin_client.get("/api/v1/staff/clients/").status_code == 200
    assert not [q for q in queries if q["sql"].startswith("UPDATE") and "django_session" in q["sql"]]
    renewed = Session.objects.get().expire_date - timezone.now()
    assert datetime.timedelta(hours=11, minutes=58) < renewed <= datetime.timedelta(hours=12)
