"""Content-Security-Policy on every response (django-csp): strict on the public site (only our own scripts and
styles, nothing inline), with the admin theme's and the API docs' needs added for their paths only."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.seeding import reseed_migration_data

pytestmark = pytest.mark.django_db


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.fixture
def published_role():
    return factories.RoleFactory(title="Edge ML Engineer", published_on_job_board=True)


def test_public_pages_get_the_strict_policy(client, published_role):
    for url in ["/", "/jobs/", reverse("public:job_detail", args=[published_role.slug]), "/contact/"]:
        policy = _policy(client.get(url))
        assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"], url
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"], url


def test_public_pages_have_no_inline_script_style_or_handler(client, published_role):
    failed_form = client.post(reverse("public:contact"), {"name": "Grace"})
    pages = [client.get(url) for url in ["/", "/jobs/", reverse("public:job_detail", args=[published_role.slug])]]
    for response in [*pages, failed_form]:
        html = response.content.decode()
        # Structured data (application/ld+json) is not run, so the policy does not cover it.
        scripts = re.findall(r"<script\b(?![^>]*\bsrc=)(?![^>]*application/ld\+json)[^>]*>", html)
        assert scripts == [], response.request["PATH_INFO"]
        assert not re.search(r"<[^>]+\s(style|on[a-z]+)=", html), response.request["PATH_INFO"]


def test_the_admin_adds_only_what_its_theme_needs(admin_client):
    policy = _policy(admin_client.get(reverse("admin:index")))
    # Alpine.js compiles its attribute expressions at run time; no inline <script> is allowed even here.
    assert policy["script-src"] == ["'self'", "'unsafe-eval'"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]


def test_the_api_and_the_login_page_carry_the_policy_too(client):
    assert "script-src 'self'" in client.get("/api/v1/pillars/")["Content-Security-Policy"]
    login = _policy(client.get(reverse("admin:login")))
    assert "'unsafe-inline'" not in login["script-src"]


def test_the_api_docs_link_nothing_outside_the_site(client):
    redoc = client.get("/api/redoc/").content.decode()
    assert "fonts.googleapis.com" not in redoc and "fonts.gstatic.com" not in redoc


@pytest.fixture(scope="module", autouse=True)
def _seed_restored_afterwards(django_db_setup, django_db_blocker):
    yield  # the browser test below empties every table (a transactional test); later tests need the seeds back
    with django_db_blocker.unblock():
        reseed_migration_data()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_no_page_breaks_its_policy_in_a_browser(live_server, browser, settings):
    """Chromium reports every blocked script, style or eval: none on the public site or the admin pages."""
    reseed_migration_data()
    role = factories.RoleFactory(title="Edge ML Engineer", published_on_job_board=True, status="open")
    submission = factories.SubmissionFactory(role=role)
    staff = Client()
    staff.force_login(factories.UserFactory(username="ada", is_superuser=True))
    context = browser.new_context()
    host = live_server.url.split("//", 1)[1].split(":")[0]
    cookie = staff.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "domain": host, "path": "/"}])
    # Playwright's own script, not the page's: records what the page's policy blocked.
    context.add_init_script(
        "window.__blocked = [];"
        "document.addEventListener('securitypolicyviolation',"
        " e => window.__blocked.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    console = []
    page.on("console", lambda message: message.type == "error" and console.append(message.text))

    page.goto(f"{live_server.url}/contact/")
    page.get_by_label("Email").fill("grace-at-navy")
    page.get_by_role("button", name="Send message").click()
    page.locator(".error-summary").wait_for()
    # The summary takes the focus (public/site.js, no inline script): keyboard users start there.
    assert page.evaluate("document.activeElement.className") == "error-summary"
    blocked = page.evaluate("window.__blocked")
    for path in [
        "/",
        f"/jobs/{role.slug}/",
        "/admin/",
        reverse("admin:roles_role_board", args=[role.pk]),
        reverse("admin:pipelines_submission_move", args=[submission.pk]),
        reverse("admin:candidates_candidate_change", args=[submission.candidate_id]),
        "/api/docs/",
    ]:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        blocked += [f"{path}: {entry}" for entry in page.evaluate("window.__blocked")]
    context.close()

    assert blocked == []
    assert [text for text in console if "Content Security Policy" in text or "unsafe-eval" in text] == []


def test_each_kind_of_path_keeps_its_own_policy_and_a_changed_setting_applies_at_once(client, settings):
    first = [client.get(url)["Content-Security-Policy"] for url in ("/api/v1/pillars/", "/", "/api/docs/")]
    again = [client.get(url)["Content-Security-Policy"] for url in ("/api/v1/pillars/", "/", "/api/docs/")]
    api, public, docs = first
    assert again == first and api == public and "'unsafe-inline'" in docs and "'unsafe-inline'" not in api
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    assert client.get("/api/v1/pillars/")["Content-Security-Policy"] == "default-src 'none'"
