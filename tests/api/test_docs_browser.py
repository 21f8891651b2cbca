"""The interactive docs work in a real browser with no network beyond this server: a partner authorizes with
its key and tries GET /api/v1/roles/ from /api/docs/."""

import os
import shutil

import pytest

from partners.services import api_key_create, partner_create
from roles.models import PartnerVisibility
from tests.factories import PillarFactory, RoleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture
def page():
    from playwright.sync_api import sync_playwright

    path = shutil.which("chromium")
    if path is None:
        pytest.skip("needs Debian's chromium")
    # Playwright's sync API runs an event loop in this thread; the ORM calls here stay synchronous.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.set_default_timeout(15_000)
            yield page
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def test_a_partner_tries_the_roles_endpoint_from_the_docs(live_server, page):
    partner = partner_create(name="Board Co", contact_email="dev@board.example")
    _, key = api_key_create(partner=partner)
    # Its own pillar: an earlier transactional test may have flushed the seeded ones.
    pillar = PillarFactory()
    RoleFactory(title="Edge AI Engineer", pillar=pillar, partner_visibility=PartnerVisibility.ALL)
    RoleFactory(title="Secret Role", pillar=pillar, partner_visibility=PartnerVisibility.NONE)
    outside = []
    page.on("request", lambda request: request.url.startswith(live_server.url) or outside.append(request.url))

    page.goto(f"{live_server.url}/api/docs/")
    page.get_by_role("button", name="Authorize").first.click()
    dialog = page.locator(".dialog-ux .modal-ux")
    scheme = dialog.locator("form").filter(has_text="partnerKey")
    scheme.locator("input").fill(key)
    scheme.get_by_role("button", name="Apply credentials").click()
    dialog.locator("button.btn-done").first.click()

    operation = page.locator("#operations-roles-roles_list")
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    body = operation.locator(".responses-wrapper .live-responses-table .microlight").first
    body.wait_for()
    assert "Edge AI Engineer" in body.inner_text()
    assert "Secret Role" not in body.inner_text()
    assert outside == []  # no CDN
