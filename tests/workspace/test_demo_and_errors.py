"""Demo recruiters who can log in, passwords not rewritten on every start, branded error pages."""

import io

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import Client as BrowserClient
from django.urls import reverse

from sonitec.models import User
from tests import factories

pytestmark = pytest.mark.django_db


def _demo_recruiters():
    factories.ClientFactory()  # demo data already there: demo_setup does not seed again
    for username in ["sam", "alex", "jo"]:
        user = factories.UserFactory(username=username, is_superuser=False)
        user.set_unusable_password()
        user.save()


def _sign_in(username: str, password: str) -> BrowserClient:
    """Through the admin's login form, as a person does (and as django-axes counts)."""
    browser = BrowserClient()
    response = browser.post(reverse("admin:login"), {"username": username, "password": password, "next": "/admin/"})
    assert response.status_code == 302, response.content.decode()[:500]
    return browser


def test_demo_recruiters_log_in_with_the_demo_password_and_see_my_day_without_fees(monkeypatch):
    _demo_recruiters()
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "a demo password 123")
    out = io.StringIO()
    call_command("demo_setup", stdout=out, stderr=io.StringIO())

    assert "recruiters (alex, jo, sam) log in with the same password" in out.getvalue()
    page = _sign_in("sam", "a demo password 123").get(reverse("admin:index")).content.decode()
    assert "My day" in page and 'id="fees-figure"' not in page
    sam = User.objects.get(username="sam")
    assert list(sam.groups.values_list("name", flat=True)) == ["Recruiter"]
    assert not sam.has_perm("pipelines.view_placement") and not sam.has_perm("pipelines.view_team_dashboard")
    assert sam.has_perm("pipelines.change_submission") and sam.has_perm("pipelines.change_rejectionreason")


def test_the_demo_manager_logs_in_with_the_demo_password_and_sees_the_fees(monkeypatch):
    _demo_recruiters()
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "a demo password 123")
    out = io.StringIO()
    call_command("demo_setup", stdout=out, stderr=io.StringIO())

    assert "manager (morgan" in out.getvalue()
    page = _sign_in("morgan", "a demo password 123").get(reverse("admin:index")).content.decode()
    assert "My day: everyone" in page and 'id="fees-figure"' in page
    assert list(User.objects.get(username="morgan").groups.values_list("name", flat=True)) == ["Manager"]


def test_an_unchanged_demo_password_is_not_rewritten_on_each_start(monkeypatch):
    _demo_recruiters()
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "a demo password 123")
    call_command("demo_setup", stdout=io.StringIO(), stderr=io.StringIO())
    stored = dict(User.objects.values_list("username", "password"))

    call_command("demo_setup", stdout=io.StringIO(), stderr=io.StringIO())

    assert dict(User.objects.values_list("username", "password")) == stored


@pytest.mark.parametrize(("code", "heading"), [(400, "Bad request"), (403, "Not allowed"), (500, "Something went")])
def test_error_pages_are_branded(code, heading):
    page = render_to_string(f"{code}.html")
    assert heading in page and "Sonitec" in page and "favicon.svg" in page


def test_a_missing_page_gets_the_branded_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and "Page not found" in response.content.decode()


def test_a_get_of_the_apply_url_goes_to_the_role_page_that_holds_the_form(client):
    role = factories.RoleFactory(published_on_job_board=True)
    response = client.get(reverse("public:job_apply", args=[role.slug]))
    assert response.status_code == 302 and response.url == reverse("public:job_detail", args=[role.slug])


def test_method_not_allowed_gets_a_page_not_a_blank_screen(admin_client):
    response = admin_client.get(reverse("admin:logout"))
    assert response.status_code == 405 and "Not available this way" in response.content.decode()


def test_a_failed_submit_puts_error_first_in_the_title_and_focuses_the_summary(client):
    page = client.post(reverse("public:contact"), {"name": "Grace"}).content.decode()
    assert "<title>Error: Contact us" in page
    assert 'class="error-summary" role="alert" tabindex="-1"' in page and "public/site.js" in page
