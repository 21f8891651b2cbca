"""/health/ names what is wrong and answers 503; /health/live/ only says the process answers."""

import pytest
from django.conf import settings
from django.db import OperationalError, connection

from sonitec import health


@pytest.fixture(autouse=True)
def _fresh_migration_check(monkeypatch):
    monkeypatch.setattr(health, "_migrations_applied", False)


@pytest.mark.django_db
def test_healthy_service_answers_200_with_every_check(client):
    response = client.get("/health/")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "ok" and body["failing"] == []
    expected = {"database", "migrations", "cache", "storage"} | ({"broker"} if settings.REDIS_URL else set())
    assert set(body["checks"]) == expected
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_a_probe_costs_one_query_once_migrations_have_been_seen(client, django_assert_num_queries):
    client.get("/health/")
    with django_assert_num_queries(1):  # SELECT 1
        assert client.get("/health/").status_code == 200


def test_liveness_touches_no_dependency(client):
    # No django_db mark: any query here would fail the test.
    response = client.get("/health/live/")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_probes_answer_plain_http_by_ip_in_production(client, settings):
    # A load balancer probes http://10.0.0.5:8000/health/: no redirect to HTTPS, no "bad host" 400.
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["crm.sonitec.example"]
    assert client.get("/health/live/", HTTP_HOST="10.0.0.5:8000").status_code == 200
    assert client.get("/health/", HTTP_HOST="10.0.0.5:8000").status_code == 200
    assert client.get("/jobs/", HTTP_HOST="10.0.0.5:8000").status_code == 400


@pytest.mark.django_db
def test_an_unreachable_cache_is_named_and_answers_503(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
            "OPTIONS": {"socket_connect_timeout": 1},
        }
    }
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["failing"] == ["cache"]
    assert "ConnectionError" in response.json()["checks"]["cache"]["error"]
    assert response["Retry-After"].isdigit()


@pytest.mark.django_db
def test_an_unwritable_private_media_store_is_named(client, settings, tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the media directory should be")
    settings.MEDIA_ROOT = blocker
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["failing"] == ["storage"]


@pytest.mark.django_db
def test_pending_migrations_are_named(client, monkeypatch):
    monkeypatch.setattr(health.MigrationExecutor, "migration_plan", lambda self, targets: ["a pending migration"])
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["failing"] == ["migrations"]


@pytest.mark.django_db
def test_a_stopped_database_is_named_and_answers_503(client, monkeypatch):
    """A stand-in for tests/sonitec/test_outage.py that runs on SQLite too: the database refuses to answer."""

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["failing"] == ["database"]
    assert response["Retry-After"].isdigit()
    assert client.get("/health/live/").status_code == 200


@pytest.mark.redis
@pytest.mark.django_db
def test_an_unreachable_celery_broker_is_named(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["failing"] == ["broker"]
