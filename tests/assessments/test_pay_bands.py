"""Pay bands from the agency's own placements and candidates: count, p25, median, p75 over a rolling window,
and never a figure from fewer than five data points."""

import datetime
from decimal import Decimal

import pytest

from assessments import selectors
from assessments.selectors import CANDIDATES, PLACEMENTS, BandKey
from roles.models import EmploymentType, Seniority
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)


def place(salary, *, pillar="ml-engineer", seniority=Seniority.SENIOR, currency="GBP", days_ago=30, **role):
    role = factories.RoleFactory(pillar=factories.seeded_pillar(pillar), seniority=seniority, currency=currency, **role)
    start = TODAY - datetime.timedelta(days=days_ago)
    if role.employment_type == EmploymentType.PERMANENT:
        pay = {"agreed_salary": Decimal(salary)}
    else:
        pay = {"agreed_salary": None, "agreed_day_rate": Decimal(salary)}
    return factories.PlacementFactory(submission__role=role, start_date=start, currency=currency, **pay)


def key(pillar="ml-engineer", seniority=Seniority.SENIOR, currency="GBP", basis="salary"):
    return BandKey(factories.seeded_pillar(pillar).pk, seniority, currency, basis)


def test_percentiles_of_agreed_pay():
    for salary in (80000, 90000, 100000, 110000, 120000):
        place(salary)
    band = selectors.pay_bands(source=PLACEMENTS, today=TODAY)[key()]
    assert (band.count, band.p25, band.median, band.p75) == (5, 90000, 100000, 110000)
    assert band.enough_data


def test_percentiles_interpolate_between_values():
    for salary in (70000, 80000, 90000, 100000, 110000, 150000):
        place(salary)
    band = selectors.pay_bands(source=PLACEMENTS, today=TODAY)[key()]
    assert (band.count, band.p25, band.median, band.p75) == (6, Decimal("82500"), Decimal("95000"), Decimal("107500"))


def test_fewer_than_five_points_give_no_figure_at_all():
    for salary in (80000, 90000, 100000, 110000):
        place(salary)
    band = selectors.pay_bands(source=PLACEMENTS, today=TODAY)[key()]
    assert band.count == 4
    assert (band.p25, band.median, band.p75) == (None, None, None)
    assert not band.enough_data


def test_bands_are_per_pillar_seniority_currency_and_pay_basis_within_the_window():
    for salary in (80000, 90000, 100000, 110000, 120000):
        place(salary)
    place(500, employment_type=EmploymentType.CONTRACT)  # a day rate: its own band
    place(95000, currency="EUR")
    place(95000, seniority=Seniority.MID)
    place(95000, pillar="data-engineer")
    place(1_000_000, days_ago=selectors.WINDOW_DAYS + 1)  # outside the rolling window
    bands = selectors.pay_bands(source=PLACEMENTS, today=TODAY)
    assert bands[key()].count == 5 and bands[key()].median == 100000
    assert bands[key(basis="day_rate")].count == 1
    assert bands[key(currency="EUR")].count == 1
    assert bands[key(seniority=Seniority.MID)].count == 1
    assert bands[key(pillar="data-engineer")].count == 1


def test_candidates_desired_pay_is_a_separate_band():
    for salary in (70000, 75000, 80000, 85000, 90000):
        factories.CandidateFactory(desired_salary=Decimal(salary))
    factories.CandidateFactory(desired_salary=None, desired_day_rate=Decimal(600))
    candidates = selectors.pay_bands(source=CANDIDATES)
    assert candidates[key()].count == 5 and candidates[key()].median == 80000
    assert candidates[key(basis="day_rate")].count == 1 and not candidates[key(basis="day_rate")].enough_data
    assert key() not in selectors.pay_bands(source=PLACEMENTS)


@pytest.mark.parametrize(
    "role_range, position",
    [((60000, 80000), "below"), ((90000, 115000), "within"), ((120000, 140000), "above"), ((None, None), "")],
)
def test_a_role_range_is_placed_below_within_or_above_the_band(role_range, position):
    for salary in (80000, 90000, 100000, 110000, 120000):
        place(salary, days_ago=10)
    role = factories.RoleFactory(salary_min=role_range[0], salary_max=role_range[1])
    market = selectors.role_market(role=role)
    assert market.position == position


def test_no_position_without_enough_placements():
    for salary in (80000, 90000):
        place(salary, days_ago=10)
    market = selectors.role_market(role=factories.RoleFactory(salary_min=10, salary_max=20))
    assert market.position == "" and market.placements.count == 2 and market.placements.median is None


def test_the_role_page_shows_where_its_range_sits(admin_client):
    for salary in (80000, 90000, 100000, 110000, 120000):
        place(salary, days_ago=10)
    role = factories.RoleFactory(salary_min=60000, salary_max=70000)
    page = admin_client.get(f"/admin/roles/role/{role.pk}/change/").content.decode()
    assert "below market" in page and "100,000" in page


def test_the_dashboard_lists_bands_and_hides_thin_ones(admin_client):
    for salary in (80000, 90000, 100000, 110000, 120000):
        place(salary, days_ago=10)
    place(130000, pillar="data-engineer", days_ago=10)
    page = admin_client.get("/admin/").content.decode()
    section = page[page.index('id="pay-bands"') :]
    assert "100,000" in section
    assert "130,000" not in section and "not enough data" in section


def test_the_band_table_takes_the_same_queries_for_few_and_many_rows(django_assert_num_queries):
    for salary in (80000, 90000):
        place(salary, days_ago=10)
    # pillars; placements in the window; candidates in the window
    with django_assert_num_queries(3):
        selectors.pay_band_table()
    for salary in range(50000, 150000, 5000):
        place(salary, days_ago=10, pillar="mlops-engineer")
    with django_assert_num_queries(3):
        selectors.pay_band_table()


def test_the_client_guide_is_rounded():
    for salary in (81234, 90321, 99876, 110499, 120000):
        place(salary, days_ago=10)
    [guide] = selectors.budget_guide(pillar_seniorities=[(factories.seeded_pillar("ml-engineer"), "")])
    [band] = guide.bands
    assert (band.p25, band.median, band.p75) == (90000, 100000, 110000)
