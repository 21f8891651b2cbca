"""The recruiters' workspace in a real browser at 1440×900 and 1280×800: what must be on screen without scrolling
sideways, no axe-core (WCAG 2.2 A/AA) violations, and a drag-and-drop move that goes through the pipeline service.

Screenshots of each page are kept in test-artifacts/screenshots/ (not committed).
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from pipelines.models import Stage, StageChange, Submission
from sonitec.staff_groups import RECRUITER
from tests.factories import CandidateFactory, RoleFactory, SubmissionFactory, UserFactory, staff_group
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
    """A recruiter (in the Recruiter group) with a role whose pipeline has a card in every forward stage."""
    reseed_migration_data()
    recruiter = UserFactory(username="sam", first_name="Sam", last_name="Okafor", is_superuser=False)
    recruiter.groups.add(staff_group(RECRUITER))
    role = RoleFactory(title="Edge ML Engineer", owner=recruiter, status="open")
    cards = {
        stage: SubmissionFactory(role=role, owner=recruiter, stage=stage, candidate=CandidateFactory(owner=recruiter))
        for stage in FORWARD_STAGES[:-1]
    }
    return {"recruiter": recruiter, "role": role, "cards": cards}


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


def _check_page(page, name: str, viewport_name: str) -> None:
    """No sideways scrolling, no axe violations; a screenshot kept as an artefact."""
    from axe_playwright_python.sync_playwright import Axe

    page.wait_for_load_state("networkidle")
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


@pytest.mark.parametrize("viewport_name", VIEWPORTS)
def test_pages_fit_the_screen_without_sideways_scrolling(live_server, browser, workspace, viewport_name):
    context, page = _page_for(browser, live_server, workspace["recruiter"], VIEWPORTS[viewport_name])
    try:
        page.goto(f"{live_server.url}/admin/")
        figures = page.locator("#headline-figures")
        assert figures.is_visible() and _on_screen(page, figures)
        assert "Open roles" in figures.inner_text() and "Interviews this week" in figures.inner_text()
        nav = page.locator("#nav-sidebar-apps")
        for entry in ["My day", "Roles", "Candidates", "Clients", "Enquiries"]:
            link = nav.get_by_role("link", name=entry, exact=True)
            assert link.is_visible() and _on_screen(page, link), entry
        # A recruiter (no Manager role) sees neither fees nor the Money section.
        assert page.locator("#fees-figure").count() == 0
        assert nav.get_by_role("link", name="Placements").count() == 0
        _check_page(page, "my-day", viewport_name)

        page.goto(f"{live_server.url}/admin/roles/role/")
        assert _on_screen(page, page.get_by_role("link", name="Board").first)
        _check_page(page, "role-list", viewport_name)

        page.goto(f"{live_server.url}/admin/candidates/candidate/")
        assert _on_screen(page, page.locator("#result_list thead th", has_text="Owner"))
        _check_page(page, "candidate-list", viewport_name)

        page.goto(f"{live_server.url}/admin/roles/role/{workspace['role'].pk}/board/")
        for stage in FORWARD_STAGES:
            heading = page.locator(f"#col-{stage}")
            assert heading.is_visible() and _on_screen(page, heading), stage
        _check_page(page, "board", viewport_name)
    finally:
        context.close()


def test_dragging_a_card_moves_it_through_the_service_with_history(live_server, browser, workspace):
    context, page = _page_for(browser, live_server, workspace["recruiter"], VIEWPORTS["1440x900"])
    card = workspace["cards"][Stage.SOURCED]
    try:
        page.goto(f"{live_server.url}/admin/roles/role/{workspace['role'].pk}/board/")
        page.wait_for_load_state("networkidle")
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
