"""The three visitor journeys in a real browser (Debian's chromium, driven by Playwright)."""

import pytest

from candidates.models import Candidate
from leads.models import Enquiry, Intake
from pipelines.models import Submission
from tests.factories import RoleFactory
from tests.seeding import reseed_migration_data

from .conftest import PDF_BYTES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _seeded(transactional_db):
    from roles.models import Pillar

    if not Pillar.objects.exists():
        reseed_migration_data()


@pytest.fixture(scope="module", autouse=True)
def _seed_restored_afterwards(django_db_setup, django_db_blocker):
    yield
    with django_db_blocker.unblock():
        reseed_migration_data()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})  # a phone-sized screen
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_a_visitor_fills_the_intake_and_sees_the_recommendation(live_server, page):
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Tell us what you're building").click()
    page.get_by_label("Company name").fill("Kestrel Robotics")
    page.get_by_label("Your name").fill("Ada Lovelace")
    page.get_by_label("Your email").fill("ada@kestrel.example")
    page.get_by_label("Most of it (over half)").check()
    page.get_by_label("In notebooks and prototypes, not in production").check()
    shipped = page.get_by_role("group", name="Has anyone on your team shipped production AI before?")
    shipped.get_by_label("No", exact=True).check()
    page.get_by_label("Models must run on devices or in real time", exact=False).check()
    # Each pillar's fields are one group, named after the pillar.
    page.get_by_role("group", name="ML Engineer", exact=True).get_by_label("We need this role").check()
    page.locator("#id_seniority_ml-engineer").select_option("senior")
    page.get_by_label("I agree that Sonitec may store these details", exact=False).check()
    page.get_by_role("button", name="See my recommendation").click()

    page.get_by_role("heading", name="Your team recommendation").wait_for()
    icon = page.locator('link[rel="icon"]').get_attribute("href")
    assert page.request.get(f"{live_server.url}{icon}").ok
    recommended = page.locator(".recommendation h3").all_inner_texts()
    assert recommended == ["Data Engineer", "ML Engineer", "Embedded AI Engineer", "AI/ML Leader"]
    assert "models stay in notebooks" in page.locator(".recommendation").inner_text()
    assert Intake.objects.get().pillar_needs.get().seniority == "senior"


def test_a_visitor_applies_to_a_role_with_a_pdf_cv(live_server, page, tmp_path):
    role = RoleFactory(title="Edge ML Engineer", published_on_job_board=True)
    cv = tmp_path / "Grace Hopper CV.pdf"
    cv.write_bytes(PDF_BYTES)

    page.goto(f"{live_server.url}/jobs/")
    page.get_by_role("link", name="Edge ML Engineer").click()
    page.get_by_label("Full name").fill("Grace Hopper")
    page.get_by_label("Email").fill("grace@navy.example")
    page.locator("#id_cv").set_input_files(str(cv))
    page.get_by_label("I agree that Sonitec may hold and process", exact=False).check()
    page.get_by_role("button", name="Send application").click()

    page.get_by_role("heading", name="Thank you").wait_for()
    assert "Edge ML Engineer" in page.locator("main").inner_text()
    candidate = Candidate.objects.get()
    assert candidate.cv_original_name == "Grace Hopper CV.pdf"
    assert Submission.objects.get().role == role


def test_the_contact_form_shows_errors_next_to_fields_and_keeps_the_input(live_server, page):
    page.goto(f"{live_server.url}/contact/")
    page.get_by_label("Name").fill("Grace Hopper")
    page.get_by_label("Email").fill("grace-at-navy")
    page.get_by_label("Message").fill("We need an AI security engineer.")
    page.get_by_role("button", name="Send message").click()

    summary = page.get_by_role("alert")
    summary.wait_for()
    assert "Please correct the highlighted fields" in summary.inner_text()
    # Keyboard and screen-reader users start at the summary; the tab's title says the page has errors.
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert page.title().startswith("Error: ")
    assert "Enter a valid email address." in page.locator("#id_email_error").inner_text()
    assert "Please agree to be contacted" in page.locator("#id_consent_error").inner_text()
    assert page.get_by_label("Message").input_value() == "We need an AI security engineer."
    assert page.get_by_label("Email").get_attribute("aria-invalid") == "true"
    assert Enquiry.objects.count() == 0

    page.get_by_label("Email").fill("grace@navy.example")
    page.get_by_label("I agree that Sonitec may store these details", exact=False).check()
    page.get_by_role("button", name="Send message").click()
    page.get_by_role("heading", name="Thank you").wait_for()
    assert Enquiry.objects.get().email == "grace@navy.example"
