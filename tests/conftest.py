import os
import shutil

import pytest
from django.conf import settings

from tests.factories import UserFactory


def pytest_configure(config):
    # A fast hasher: argon2 is deliberately slow, and tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # `make mutation` runs the rule tests once per mutant: a file-backed SQLite test database, kept between runs
    # by `--reuse-db`, spares migrating a fresh in-memory one each time.
    sqlite_test_name = os.environ.get("SQLITE_TEST_DATABASE", "")
    database = settings.DATABASES["default"]
    if sqlite_test_name and database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = sqlite_test_name


def pytest_collection_modifyitems(config, items):
    """Skip tests that need a service only where that service is absent."""
    is_postgres = settings.DATABASES["default"]["ENGINE"] == "sonitec.postgresql"
    has_redis = bool(settings.REDIS_URL)
    has_chromium = shutil.which("chromium") is not None
    for item in items:
        if "postgres" in item.keywords and not is_postgres:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL"))
        if "redis" in item.keywords and not has_redis:
            item.add_marker(pytest.mark.skip(reason="needs Redis: set REDIS_URL"))
        if "browser" in item.keywords and not has_chromium:
            item.add_marker(pytest.mark.skip(reason="needs Debian's chromium"))


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def recruiter(db):
    return UserFactory(is_staff=True, is_superuser=True, username="recruiter")


@pytest.fixture
def admin_client(client, recruiter):
    client.force_login(recruiter)
    return client


@pytest.fixture
def chromium_path():
    path = shutil.which("chromium")
    if path is None:
        pytest.skip("needs Debian's chromium")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    return path


CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium through Playwright, one per test module.

    Playwright's sync API keeps an event loop running in this thread while the browser is open; Django's ORM
    calls here (test set-up, assertions) stay synchronous. Allowed only while the module's browser is open, and
    undone after, so it never reaches other tests (the deploy check refuses it).
    """
    from playwright.sync_api import sync_playwright

    path = shutil.which("chromium")
    if path is None:
        pytest.skip("needs Debian's chromium")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
            yield launched
            launched.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous
