import http.server
import threading
from dataclasses import dataclass, field

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from partners.models import Partner
from partners.services import api_key_create, partner_create
from roles.models import PartnerVisibility
from sonitec.celery import app as celery_app
from sonitec.models import User
from sonitec.staff_groups import RECRUITER
from tests.documents import PDF_BYTES  # noqa: E402,F401  (a well-formed one-page PDF)
from tests.factories import RoleFactory, UserFactory, staff_group


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    # Throttle counters live in the cache, which outlives each test's database rollback.
    cache.clear()
    yield
    cache.clear()


def recruiter_signed_in(username: str, url: str) -> tuple[User, APIClient]:
    """A recruiter signed in with the password alone, after one request to `url`, which stores their permissions
    and that they have no two-factor device in the cache (sonitec/auth_cache.py)."""
    user = UserFactory(username=username, is_superuser=False)
    user.groups.add(staff_group(RECRUITER))
    client = APIClient()
    client.force_login(user)
    assert client.get(url).status_code == 200
    return user, client


@dataclass
class PartnerLogin:
    partner: Partner
    key: str
    client: APIClient


def make_partner(name: str, scopes: list[str] | None = None) -> PartnerLogin:
    partner = partner_create(name=name, contact_email=f"api@{name.lower().replace(' ', '-')}.example", scopes=scopes)
    _, key = api_key_create(partner=partner)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return PartnerLogin(partner=partner, key=key, client=client)


@pytest.fixture
def acme(db) -> PartnerLogin:
    return make_partner("Acme Jobs")


@pytest.fixture
def rival(db) -> PartnerLogin:
    return make_partner("Rival Sourcing")


@pytest.fixture
def public_role(db):
    return RoleFactory(title="MLOps Engineer", partner_visibility=PartnerVisibility.ALL)


@dataclass
class Receiver:
    """A local HTTP server that records webhook POSTs and answers with `status`."""

    url: str
    requests: list = field(default_factory=list)
    status: int = 200


@pytest.fixture
def eager_celery():
    """Run tasks in-process even where a broker is configured: these tests are about what the task does."""
    was = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = was


@pytest.fixture
def receiver(settings, eager_celery):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True  # the receiver is on loopback, which is refused by default
    # These tests are about what the worker does right after commit (tests/security/test_webhook_dispatch.py
    # covers the embedded default, where the dispatcher loop sends instead).
    settings.WEBHOOKS_SENT_BY_WORKER = True
    state = Receiver(url="")

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            state.requests.append({"headers": dict(self.headers), "body": body})
            self.send_response(state.status)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    yield state
    server.shutdown()
    server.server_close()
