"""A database outage under a stream of requests: 503 with Retry-After (JSON under /api/, a page elsewhere), never a
500, and service comes back by itself when the database does.

The outage is a TCP proxy between the server and PostgreSQL that the test cuts and restores, so the shared
PostgreSQL keeps running. The server is pytest-django's live server: real HTTP, a new thread and database
connection per request, as under gunicorn's sync workers.
"""

import json
import urllib.error
import urllib.request

import pytest
from django.db import connection

from candidates.models import Candidate
from roles.models import PartnerVisibility
from tests.api.conftest import make_partner
from tests.factories import RoleFactory

from .tcpproxy import TcpProxy

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CANDIDATE = {
    "name": "Grace Hopper",
    "email": "grace@example.org",
    "consent": True,
    "consent_notice_version": "2026-01",
}


def fetch(url: str, *, data: dict | None = None, headers: dict[str, str] | None = None):
    body = json.dumps(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers={**(headers or {})}, method="POST" if data else "GET")  # noqa: S310
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310 - our own live server
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


@pytest.fixture
def db_through_proxy(live_server):
    """Point new database connections at a proxy to the real server; put everything back afterwards."""
    settings_dict = connection.settings_dict
    saved = (settings_dict["HOST"], settings_dict["PORT"])
    proxy = TcpProxy(settings_dict["HOST"] or "127.0.0.1", int(settings_dict["PORT"] or 5432)).start()
    settings_dict["HOST"], settings_dict["PORT"] = "127.0.0.1", str(proxy.port)
    try:
        yield proxy
    finally:
        settings_dict["HOST"], settings_dict["PORT"] = saved
        proxy.cut()


def test_a_database_outage_answers_503_with_retry_after_and_recovers_by_itself(live_server, db_through_proxy):
    role = RoleFactory(title="MLOps Engineer", partner_visibility=PartnerVisibility.ALL)
    partner = make_partner("Outage Jobs")
    auth = {"Authorization": f"Bearer {partner.key}"}
    base = live_server.url

    def round_of_requests():
        return {
            "jobs": fetch(f"{base}/jobs/"),
            "api": fetch(f"{base}/api/v1/roles/", headers=auth),
            "health": fetch(f"{base}/health/"),
        }

    statuses = []
    for step in range(12):
        if step == 4:
            db_through_proxy.cut()
        if step == 8:
            db_through_proxy.restore()
        results = round_of_requests()
        statuses.append({name: status for name, (status, _, _) in results.items()})
        expected = 503 if 4 <= step < 8 else 200
        for name, (status, headers, body) in results.items():
            assert status == expected, (step, name, status, body[:500])
            if status == 503:
                assert headers["Retry-After"].isdigit()

        if step == 4:  # what clients see during the outage
            _, headers, body = results["api"]
            assert headers["Content-Type"] == "application/json"
            assert json.loads(body)["error"]["code"] == "service_unavailable"
            _, headers, body = results["jobs"]
            assert headers["Content-Type"].startswith("text/html")
            assert "Back in a moment" in body and "Sonitec" in body
            health = json.loads(results["health"][2])
            assert health["failing"][0] == "database"
            assert fetch(f"{base}/health/live/")[0] == 200  # liveness does not depend on the database

            # A partner's POST during the outage is refused whole; the retry with the same key creates it once.
            key = {**auth, "Idempotency-Key": "outage-retry-1"}
            status, headers, _ = fetch(
                f"{base}/api/v1/candidates/", data={**CANDIDATE, "role_ids": [role.pk]}, headers=key
            )
            assert status == 503 and headers["Retry-After"].isdigit()

    assert all(500 not in round.values() for round in statuses)
    for _ in range(2):
        status, _, body = fetch(f"{base}/api/v1/candidates/", data={**CANDIDATE, "role_ids": [role.pk]}, headers=key)
        assert status == 201, body
    assert Candidate.objects.filter(email="grace@example.org").count() == 1
