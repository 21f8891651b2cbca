"""Dashboard figures computed in the database, checked against numbers worked out by hand."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from pipelines import selectors
from pipelines.models import StageChange
from roles.models import RoleStatus
from tests import factories

pytestmark = pytest.mark.django_db
NOW = timezone.now().replace(microsecond=0)


def _history(role, stays_in_days, stage_path=("sourced", "screened", "shortlisted")):
    """A submission that spent `stays_in_days[i]` days in stage_path[i] before the next change."""
    submission = factories.SubmissionFactory(role=role, stage=stage_path[len(stays_in_days)])
    when = NOW - datetime.timedelta(days=400)
    previous = ""
    for index, stage in enumerate(stage_path[: len(stays_in_days) + 1]):
        StageChange.objects.create(submission=submission, from_stage=previous, to_stage=stage, changed_at=when)
        previous = stage
        if index < len(stays_in_days):
            when += datetime.timedelta(days=stays_in_days[index])
    return submission


def test_median_days_in_stage_odd_and_even_groups():
    ml = factories.RoleFactory(pillar=factories.seeded_pillar("ml-engineer"))
    data = factories.RoleFactory(pillar=factories.seeded_pillar("data-engineer"))
    for days in (1, 9, 4):  # median 4
        _history(ml, [days])
    for days in (2, 3, 10, 1.5):  # sorted 1.5, 2, 3, 10: median 2.5
        _history(data, [days, 6])
    medians = {(pillar, stage): (round(median, 3), n) for pillar, stage, median, n in selectors.median_days_in_stage()}
    assert medians[(ml.pillar_id, "sourced")] == (4.0, 3)
    assert medians[(data.pillar_id, "sourced")] == (2.5, 4)
    assert medians[(data.pillar_id, "screened")] == (6.0, 4)
    assert (ml.pillar_id, "screened") not in medians  # still there: a running stay is not counted


def test_median_time_to_fill_per_pillar():
    pillar = factories.seeded_pillar("mlops-engineer")
    for days in (10, 30, 20, 40):  # median 25
        role = factories.RoleFactory(pillar=pillar, opened_on=timezone.localdate() - datetime.timedelta(days=days))
        factories.PlacementFactory(submission__role=role, created_at=NOW)
    rows = {pillar_id: (median, n) for pillar_id, median, n in selectors.median_days_to_fill()}
    median, count = rows[pillar.pk]
    assert count == 4 and abs(median - 25) <= 1  # a day's slack: "today" in UTC versus local time


def test_dashboard_funnel_months_and_recruiters(recruiter):
    pillar = factories.seeded_pillar("ai-security-engineer")
    role = factories.RoleFactory(pillar=pillar, status=RoleStatus.OPEN)
    factories.RoleFactory(pillar=pillar, status=RoleStatus.DRAFT)
    for path in (
        ["sourced"],
        ["sourced", "screened"],
        ["sourced", "screened", "shortlisted"],
        ["sourced", "screened", "shortlisted", "submitted"],
    ):
        submission = factories.SubmissionFactory(role=role, stage=path[-1], owner=recruiter)
        for stage in path:
            StageChange.objects.create(submission=submission, to_stage=stage)
    factories.PlacementFactory(
        fee_amount=Decimal("20000"), rebate_amount=Decimal("5000"), currency="GBP", created_at=NOW
    )
    factories.PlacementFactory(fee_amount=Decimal("7000"), currency="EUR", created_at=NOW)
    factories.PlacementFactory(fee_amount=Decimal("1"), created_at=NOW - datetime.timedelta(days=400))

    dashboard = selectors.dashboard_build()
    stats = next(s for s in dashboard.pillars if s.pillar == pillar)
    assert stats.open_roles == 1
    funnel = {row["stage"]: row for row in stats.funnel}
    assert [funnel[s]["reached"] for s in ("sourced", "screened", "shortlisted", "submitted")] == [4, 3, 2, 1]
    assert [funnel[s]["conversion"] for s in ("screened", "shortlisted", "submitted")] == [75, 67, 50]
    assert funnel["screened"]["current"] == 1
    this_month = dashboard.months[-1]
    assert this_month.month == timezone.localdate().replace(day=1)
    assert this_month.placements == 2
    assert this_month.fees == {"GBP": Decimal("15000"), "EUR": Decimal("7000")}
    assert len(dashboard.months) == 12 and sum(m.placements for m in dashboard.months) == 2
    mine = next(r for r in dashboard.recruiters if r.name == recruiter.get_full_name())
    assert mine.total == 4 and mine.by_stage == {"sourced": 1, "screened": 1, "shortlisted": 1, "submitted": 1}


def test_cached_dashboard_is_reused_until_something_changes(django_assert_max_num_queries, recruiter):
    from pipelines.services import submission_move

    submission = factories.SubmissionFactory(stage="sourced", owner=recruiter)
    first = selectors.dashboard_cached()
    with django_assert_max_num_queries(4):  # only the four "what changed last" lookups
        again = selectors.dashboard_cached()
    assert again.recruiters[0].by_stage == first.recruiters[0].by_stage == {"sourced": 1}
    submission_move(submission=submission, to_stage="screened", by=recruiter)
    assert selectors.dashboard_cached().recruiters[0].by_stage == {"screened": 1}
