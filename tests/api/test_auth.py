"""Authentication and the scope matrix: who gets 401, who gets 403, who gets in."""

import datetime
import time

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.crypto import get_random_string
from rest_framework.test import APIClient

from partners.models import ApiKey
from partners.services import api_key_create, api_key_revoke
from tests.factories import UserFactory

from .conftest import make_partner

PARTNER_ENDPOINTS = [
    # (method, url, scope it needs, body)
    ("get", "/api/v1/pillars/", "roles:read", None),
    ("get", "/api/v1/skills/", "roles:read", None),
    ("get", "/api/v1/roles/", "roles:read", None),
    (
        "post",
        "/api/v1/candidates/",
        "candidates:write",
        {"name": "Ada", "email": "ada@example.org", "consent": True, "consent_notice_version": "2026-01"},
    ),
    ("get", "/api/v1/submissions/", "submissions:read", None),
    ("get", "/api/v1/webhooks/", "webhooks:manage", None),
]
ALL_SCOPES = ["roles:read", "candidates:write", "submissions:read", "webhooks:manage"]


def call(client, method, url, body=None):
    return getattr(client, method)(url, body, format="json") if body is not None else getattr(client, method)(url)


@pytest.mark.parametrize("method,url,scope,body", PARTNER_ENDPOINTS)
def test_each_scope_opens_its_endpoints_and_only_them(db, method, url, scope, body):
    with_scope = make_partner("With", scopes=[scope])
    without = make_partner("Without", scopes=[s for s in ALL_SCOPES if s != scope])

    assert call(with_scope.client, method, url, body).status_code in (200, 201)
    denied = call(without.client, method, url, body)
    assert denied.status_code == 403
    assert denied.json()["error"]["message"] == f"This API key's partner lacks the '{scope}' scope."


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer ", "Bearer two words", "Bearer sk_unknown_key", "Basic dXNlcjpwYXNz", "Token abc"],
)
def test_missing_malformed_or_unknown_credentials_get_401(db, header):
    client = APIClient()
    if header is not None:
        client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/v1/roles/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["error"]["status"] == 401


def test_revoked_expired_and_inactive_partner_keys_get_401(acme, admin_client, monkeypatch):
    # Each key is used twice first: the first use records last_used_at, the second leaves its lookup cached.
    assert [acme.client.get("/api/v1/roles/").status_code for _ in range(2)] == [200, 200]
    api_key = ApiKey.objects.get(partner=acme.partner)
    api_key_revoke(api_key=api_key)
    assert acme.client.get("/api/v1/roles/").status_code == 401

    expires_at = timezone.now() + datetime.timedelta(hours=1)
    expiring, key = api_key_create(partner=acme.partner, expires_at=expires_at)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert [client.get("/api/v1/roles/").status_code for _ in range(2)] == [200, 200]
    with monkeypatch.context() as later:  # the key's lookup is still cached when its time comes
        later.setattr(timezone, "now", lambda: expires_at + datetime.timedelta(seconds=1))
        assert client.get("/api/v1/roles/").status_code == 401

    _, live_key = api_key_create(partner=acme.partner)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {live_key}")
    assert [client.get("/api/v1/roles/").status_code for _ in range(2)] == [200, 200]
    change = {
        "name": acme.partner.name,
        "contact_email": acme.partner.contact_email,
        "scopes": acme.partner.scopes,
        **{
            f"{inline}-{count}_FORMS": "0"
            for inline in ("api_keys", "webhook_subscriptions")
            for count in ("TOTAL", "INITIAL")
        },
    }  # no "is_active": the box is unticked
    assert admin_client.post(f"/admin/partners/partner/{acme.partner.pk}/change/", change).status_code == 302
    assert client.get("/api/v1/roles/").status_code == 401


def test_a_key_is_read_once_per_burst_and_a_change_outside_the_services_is_seen_within_the_cache_time(
    acme, settings, monkeypatch
):
    settings.API_KEY_CACHE_SECONDS = 5
    acme.client.get("/api/v1/pillars/")  # the first use records last_used_at, which reads the key again next time
    assert acme.client.get("/api/v1/pillars/").status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert acme.client.get("/api/v1/pillars/").status_code == 200
    assert not [q for q in queries if "clients_apikey" in q["sql"]]

    ApiKey.objects.filter(partner=acme.partner).update(revoked_at=timezone.now())  # not through api_key_revoke
    assert acme.client.get("/api/v1/pillars/").status_code == 200  # the cached lookup, at most 5 s old
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 5)
    assert acme.client.get("/api/v1/pillars/").status_code == 401


def test_a_key_revoked_by_another_process_stops_working_here_within_a_second(acme, monkeypatch):
    from partners import services

    assert acme.client.get("/api/v1/pillars/").status_code == 200
    assert acme.client.get("/api/v1/pillars/").status_code == 200  # now kept by this process too
    # What api_key_revoke does in another process: the row and the shared cache change, this process's copy stays.
    ApiKey.objects.filter(partner=acme.partner).update(revoked_at=timezone.now())
    cache.delete_many([services._cache_name(key.key_hash) for key in ApiKey.objects.filter(partner=acme.partner)])
    assert acme.client.get("/api/v1/pillars/").status_code == 200
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + services.LOCAL_SECONDS)
    assert acme.client.get("/api/v1/pillars/").status_code == 401


def test_key_is_stored_hashed_and_last_use_recorded(acme):
    api_key = ApiKey.objects.get(partner=acme.partner)
    assert acme.key not in (api_key.key_hash, api_key.prefix)
    assert acme.key.startswith(f"sk_{api_key.prefix}_")
    assert api_key.last_used_at is None
    acme.client.get("/api/v1/pillars/")
    api_key.refresh_from_db()
    assert api_key.last_used_at is not None


STAFF_LISTS = [
    ("/api/v1/staff/clients/", "clients", "client"),
    ("/api/v1/staff/contacts/", "clients", "contact"),
    ("/api/v1/staff/candidates/", "candidates", "candidate"),
    ("/api/v1/staff/roles/", "roles", "role"),
    ("/api/v1/staff/submissions/", "pipelines", "submission"),
    ("/api/v1/staff/placements/", "pipelines", "placement"),
    ("/api/v1/staff/activities/", "pipelines", "activity"),
]


@pytest.mark.parametrize("url,app_label,model", STAFF_LISTS)
def test_staff_endpoints_need_a_staff_session_with_the_model_permission(db, acme, url, app_label, model):
    assert acme.client.get(url).status_code == 403  # never open to partner keys
    assert APIClient().get(url).status_code == 401

    user = UserFactory(is_staff=True, is_superuser=False)
    client = APIClient()
    client.force_login(user)
    assert client.get(url).status_code == 403
    user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=f"view_{model}"))
    client.force_login(user)
    assert client.get(url).status_code == 200

    not_staff = UserFactory(is_staff=False, is_superuser=True)
    client.force_login(not_staff)
    assert client.get(url).status_code in (401, 403)


def test_staff_writes_need_csrf(recruiter):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(recruiter)
    response = client.post("/api/v1/staff/clients/", {"name": "Globex"}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["error"]["message"]

    # What a staff tool does: send back the csrftoken cookie's value in the X-CSRFToken header.
    token = get_random_string(32)
    client.cookies["csrftoken"] = token
    response = client.post("/api/v1/staff/clients/", {"name": "Globex"}, format="json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201, response.json()


def test_partner_endpoints_need_a_partner_key_even_for_staff(recruiter):
    client = APIClient()
    client.force_login(recruiter)
    assert client.get("/api/v1/submissions/").status_code == 401
    assert client.get("/api/v1/pillars/").status_code == 200  # reference data is shared with staff tools


def test_an_address_locked_out_by_wrong_keys_is_refused_even_with_a_right_cached_key(acme, settings):
    settings.API_FAILED_KEY_RATE = "3/m"
    assert [acme.client.get("/api/v1/pillars/").status_code for _ in range(2)] == [200, 200]  # now cached
    guesser = APIClient()  # the same address as the partner's client
    assert [guesser.get("/api/v1/pillars/", HTTP_AUTHORIZATION=f"Bearer sk_{i}").status_code for i in range(3)] == [
        401
    ] * 3
    assert acme.client.get("/api/v1/pillars/").status_code == 429
    assert (
        APIClient(REMOTE_ADDR="198.51.100.9", HTTP_AUTHORIZATION=f"Bearer {acme.key}")
        .get("/api/v1/pillars/")
        .status_code
        == 200
    )
