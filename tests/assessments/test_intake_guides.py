"""From the intake: the budget guide on the result page, and draft roles (asked and suggested) on conversion."""

import datetime
from decimal import Decimal

import pytest

from leads.services import intake_convert
from leads.views import INTAKE_SESSION_KEY
from roles.models import Role, RoleStatus, Seniority
from tests import factories
from tests.factories import seeded_pillar as pillar

pytestmark = pytest.mark.django_db


def place(salary, slug="ml-engineer", seniority=Seniority.SENIOR):
    role = factories.RoleFactory(pillar=pillar(slug), seniority=seniority)
    return factories.PlacementFactory(
        submission__role=role,
        agreed_salary=Decimal(salary),
        start_date=datetime.date.today() - datetime.timedelta(days=20),
    )


@pytest.fixture
def intake():
    intake = factories.IntakeFactory(
        recommendation=[
            {
                "pillar": "data-engineer",
                "name": "Data Engineer",
                "reason": "Your data needs fixing first.",
                "position": 1,
            },
            {"pillar": "ml-engineer", "name": "ML Engineer", "reason": "Models stay in notebooks.", "position": 2},
        ]
    )
    factories.IntakePillarNeedFactory(intake=intake, pillar=pillar("ml-engineer"), headcount=2, seniority="senior")
    return intake


def test_converting_drafts_asked_and_suggested_roles_with_the_pay_guide(intake, recruiter):
    for salary in (81000, 90000, 100000, 110000, 119000):
        place(salary)
    intake = intake_convert(intake=intake, by=recruiter)
    roles = {role.pillar.slug: role for role in Role.objects.filter(client=intake.client)}
    assert set(roles) == {"ml-engineer", "data-engineer"}
    asked, suggested = roles["ml-engineer"], roles["data-engineer"]
    assert asked.title == "Senior ML Engineer" and asked.headcount == 2 and asked.status == RoleStatus.DRAFT
    assert "£90,000–£110,000 a year, median £100,000" in asked.internal_notes
    assert suggested.title == "Suggested: Senior Data Engineer" and suggested.status == RoleStatus.DRAFT
    assert "did not ask for this pillar" in suggested.internal_notes and "data needs fixing" in suggested.internal_notes
    assert "not enough data" in suggested.internal_notes
    assert intake.pillar_needs.get(pillar=pillar("data-engineer")).suggested
    # Converting again creates nothing new.
    intake_convert(intake=intake, by=recruiter)
    assert Role.objects.filter(client=intake.client).count() == 2


def test_the_result_page_shows_a_rounded_budget_guide_only_where_there_is_enough_data(client, intake):
    for salary in (81234, 90321, 99876, 110499, 120000):
        place(salary)
    for salary in (70000, 75000, 80000, 85000):  # four data engineers: not enough to show
        place(salary, slug="data-engineer")
    session = client.session
    session[INTAKE_SESSION_KEY] = intake.pk
    session.save()
    page = client.get("/intake/result/").content.decode()
    section = page[page.index("A budget guide") :]
    assert "Senior ML Engineer" in section and "£90,000–£110,000 a year" in section and "£100,000" in section
    assert "Data Engineer" not in section
    assert "81,234" not in page


def test_no_guide_at_all_without_placements(client, intake):
    session = client.session
    session[INTAKE_SESSION_KEY] = intake.pk
    session.save()
    page = client.get("/intake/result/").content.decode()
    assert "A budget guide" not in page and "Your team recommendation" in page
