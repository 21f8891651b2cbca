"""A client generated from /api/schema/ with openapi-python-client runs the partner journey: list roles, submit a
candidate (JSON), read submissions, create a webhook. Built in a temporary directory, never committed."""

import importlib
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections

from roles.models import PartnerVisibility
from tests.factories import RoleFactory

from .conftest import make_partner

GENERATOR = shutil.which("openapi-python-client") or str(Path(sys.executable).with_name("openapi-python-client"))
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not Path(GENERATOR).exists(), reason="needs openapi-python-client (a dev dependency)"),
]


@pytest.fixture(scope="module")
def generated(tmp_path_factory, django_db_blocker):
    from django.test import Client

    with django_db_blocker.unblock():
        schema = Client().get("/api/schema/").content
    root = tmp_path_factory.mktemp("client")
    (root / "schema.yaml").write_bytes(schema)
    (root / "config.yaml").write_text("post_hooks: []\n")
    subprocess.run(  # noqa: S603 - the generator on our own schema, into a temporary directory
        [GENERATOR, "generate", "--path", "schema.yaml", "--config", "config.yaml", "--meta", "none"]
        + ["--output-path", "sonitec_api_client"],
        cwd=root,
        check=True,
        capture_output=True,
        timeout=60,
    )
    sys.path.insert(0, str(root))
    yield importlib.import_module("sonitec_api_client")
    sys.path.remove(str(root))
    for name in [name for name in sys.modules if name.startswith("sonitec_api_client")]:
        del sys.modules[name]


@pytest.fixture
def in_process():
    """The generated client talks to the WSGI app in this process, inside the test's transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield httpx.WSGITransport(app=get_wsgi_application())
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_the_partner_journey_through_a_generated_client(generated, in_process, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    from sonitec_api_client.api.candidates import candidates_create
    from sonitec_api_client.api.roles import roles_list
    from sonitec_api_client.api.submissions import submissions_list
    from sonitec_api_client.api.webhooks import webhooks_create
    from sonitec_api_client.models import EventsEnum, PartnerCandidateJsonRequest, WebhookSubscriptionRequest

    login = make_partner("Client Co")
    role = RoleFactory(partner_visibility=PartnerVisibility.ALL)
    client = generated.AuthenticatedClient(
        base_url="http://127.0.0.1", token=login.key, httpx_args={"transport": in_process}
    )

    roles = roles_list.sync(client=client, page_size=10)
    assert [r.id for r in roles.results] == [role.pk]
    submitted = candidates_create.sync_detailed(
        client=client,
        body=PartnerCandidateJsonRequest(
            name="Grace Hopper",
            email="grace@example.org",
            consent=True,
            consent_notice_version="2026-01",
            role_ids=[role.pk],
        ),
    )
    assert submitted.status_code == 201, submitted.content
    submissions = submissions_list.sync(client=client)
    assert [s.role for s in submissions.results] == [role.pk]
    hook = webhooks_create.sync_detailed(
        client=client,
        body=WebhookSubscriptionRequest(url="http://127.0.0.1:9/hook", events=[EventsEnum.SUBMISSION_STAGE_CHANGED]),
    )
    assert hook.status_code == 201, hook.content
