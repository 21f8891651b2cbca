"""The recruiters' workspace in a real browser at 1440×900 and 1280×800: what must be on screen without scrolling
sideways, no axe-core (WCAG 2.2 A/AA) violations, and a drag-and-drop move that goes through the pipeline service.
Each page is loaded once and every check on it runs on that load (CI time is tight).

Screenshots of each page are kept in test-artifacts/screenshots/ (not committed).
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from pipelines.models import Stage, StageChange, Submission
from sonitec.staff_groups import RECRUITER
from tests.factories import (
    CandidateFactory,
    InterviewFactory,
    RoleFactory,
    SavedSearchFactory,
    SubmissionFactory,
    TalentPoolFactory,
    TalentPoolMemberFactory,
    UserFactory,
    staff_group,
)
from tests.seeding import reseed_migration_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"1440x900": {"width": 1440, "height": 900}, "1280x800": {"width": 1280, "height": 800}}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
SCREENSHOTS = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"
FORWARD_STAGES = ["sourced", "screened", "shortlisted", "submitted", "interview", "offer", "placed"]


@pytest.fixture(scope="module", autouse=True)
def _seed_restored_afterwards(django_db_setup, django_db_blocker):
    yield
    with django_db_blocker.unblock():
        reseed_migration_data()


@pytest.fixture
def workspace(transactional_db):
    """A recruiter (in the Recruiter group) with a role whose pipeline has a card in every forward stage, a talent
    pool, a saved search and an interview; a superuser for the administration pages."""
    reseed_migration_data()
    recruiter = UserFactory(username="sam", first_name="Sam", last_name="Okafor", is_superuser=False)
    recruiter.groups.add(staff_group(RECRUITER))
    role = RoleFactory(title="Edge ML Engineer", owner=recruiter, status="open")
    cards = {
        stage: SubmissionFactory(role=role, owner=recruiter, stage=stage, candidate=CandidateFactory(owner=recruiter))
        for stage in FORWARD_STAGES[:-1]
    }
    pool = TalentPoolFactory(name="Edge ML bench", owner=recruiter)
    TalentPoolMemberFactory(pool=pool, candidate=cards[Stage.SOURCED].candidate, added_by=recruiter)
    SavedSearchFactory(name="Jetson people in Bristol", owner=recruiter)
    InterviewFactory(submission=cards[Stage.INTERVIEW], created_by=recruiter)
    admin = UserFactory(username="boss", is_superuser=True)
    return {"recruiter": recruiter, "admin": admin, "role": role, "cards": cards}


def _page_for(browser, live_server, user, viewport):
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport=viewport)
    host = live_server.url.split("//", 1)[1].split(":")[0]
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies["sessionid"].value,
                "domain": host,
                "path": "/",
            }
        ]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def _check_page(page, url: str, name: str, viewport_name: str) -> None:
    """One page load: no sideways scrolling, no axe violations, a screenshot kept as an artefact."""
    from axe_playwright_python.sync_playwright import Axe

    page.goto(url)
    page.wait_for_load_state("load")
    assert "Sonitec CRM" in page.title(), f"{name}: {page.title()}"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{viewport_name}.png"))
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{name} scrolls sideways by {overflow}px"
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, results.generate_report()


def _on_screen(page, locator) -> bool:
    box = locator.bounding_box()
    width = page.viewport_size["width"]
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width


def _assert_on_screen(page, locator, what: str) -> None:
    assert locator.is_visible() and _on_screen(page, locator), f"{what} is not on screen"


@pytest.mark.parametrize("viewport_name", VIEWPORTS)
def test_a_recruiters_pages_fit_the_screen_and_pass_axe(live_server, browser, workspace, viewport_name):
    """The pages a recruiter uses all day. At 1280 px (the narrower screen) also the newer apps' pages: the
    candidate's buttons, talent pools, saved searches, a role's matches and interviews."""
    base = live_server.url
    role, candidate = workspace["role"], workspace["cards"][Stage.SOURCED].candidate
    context, page = _page_for(browser, live_server, workspace["recruiter"], VIEWPORTS[viewport_name])
    try:
        _check_page(page, f"{base}/admin/", "my-day", viewport_name)
        figures = page.locator("#headline-figures")
        _assert_on_screen(page, figures, "the headline figures")
        assert "Open roles" in figures.inner_text() and "Interviews this week" in figures.inner_text()
        nav = page.locator("#nav-sidebar-apps")
        for entry in ["My day", "Roles", "Candidates", "Talent pools", "Saved searches", "Clients", "Enquiries"]:
            _assert_on_screen(page, nav.get_by_role("link", name=entry, exact=True), entry)
        # A recruiter (no Manager role) sees neither fees nor the Money section.
        assert page.locator("#fees-figure").count() == 0
        assert nav.get_by_role("link", name="Placements").count() == 0

        _check_page(page, f"{base}/admin/roles/role/", "role-list", viewport_name)
        _assert_on_screen(page, page.get_by_role("link", name="Board").first, "the role list's board link")

        _check_page(page, f"{base}/admin/candidates/candidate/", "candidate-list", viewport_name)
        _assert_on_screen(page, page.locator("#result_list thead th", has_text="Owner"), "the owner column")

        _check_page(page, f"{base}/admin/roles/role/{role.pk}/board/", "board", viewport_name)
        for stage in FORWARD_STAGES:
            _assert_on_screen(page, page.locator(f"#col-{stage}"), f"the {stage} column")

        if viewport_name != "1280x800":
            return
        _check_page(page, f"{base}/admin/candidates/candidate/{candidate.pk}/change/", "candidate", viewport_name)
        for button in ["Add to role", "Add to pool", "Log a call", "Log a note", "Record consent", "Download CV"]:
            _assert_on_screen(page, page.locator("#header-inner").get_by_role("link", name=button, exact=True), button)

        _check_page(page, f"{base}/admin/matching/talentpool/", "talent-pools", viewport_name)
        _assert_on_screen(page, page.get_by_role("link", name="Add all to a role’s pipeline"), "a pool's add link")

        _check_page(page, f"{base}/admin/matching/savedsearch/", "saved-searches", viewport_name)
        _assert_on_screen(page, page.get_by_role("link", name="Run", exact=True), "a saved search's Run link")

        _check_page(page, f"{base}/admin/matching/matchrankinglog/role/{role.pk}/matches/", "matches", viewport_name)
        _check_page(page, f"{base}/admin/assessments/interview/", "interviews", viewport_name)
        _assert_on_screen(page, page.locator("#result_list thead th", has_text="Outcome"), "the outcome column")
    finally:
        context.close()


def test_the_administration_pages_of_the_newer_apps_pass_axe(live_server, browser, workspace):
    """Imports and privacy requests, as an administrator sees them, at 1280 px."""
    context, page = _page_for(browser, live_server, workspace["admin"], VIEWPORTS["1280x800"])
    try:
        _check_page(page, f"{live_server.url}/admin/imports/importjob/add/", "import-upload", "1280x800")
        assert page.get_by_label("Source and lawful basis").is_visible()
        _check_page(page, f"{live_server.url}/admin/privacy/privacyrequest/", "privacy-requests", "1280x800")
    finally:
        context.close()


def test_dragging_a_card_moves_it_through_the_service_with_history(live_server, browser, workspace):
    context, page = _page_for(browser, live_server, workspace["recruiter"], VIEWPORTS["1440x900"])
    card = workspace["cards"][Stage.SOURCED]
    try:
        page.goto(f"{live_server.url}/admin/roles/role/{workspace['role'].pk}/board/")
        page.wait_for_load_state("load")
        page.locator(f"#submission-{card.pk} .ws-card-line").first.drag_to(
            page.locator('ul.ws-cards[data-stage="screened"]')
        )
        page.locator("#board-status", has_text="moved to").wait_for()
        assert page.locator(f'ul.ws-cards[data-stage="screened"] #submission-{card.pk}').count() == 1
    finally:
        context.close()
    card.refresh_from_db()
    assert card.stage == Stage.SCREENED
    change = StageChange.objects.filter(submission=card).latest("changed_at")
    assert (change.from_stage, change.to_stage, change.changed_by) == (
        Stage.SOURCED,
        Stage.SCREENED,
        workspace["recruiter"],
    )
    assert Submission.history.filter(id=card.pk, stage=Stage.SCREENED).exists()
