"""The "My day" dashboard: figures per recruiter, fees only for managers, a fixed number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from messaging.models import FollowUpRule
from pipelines import selectors
from pipelines.models import Stage, StageChange
from sonitec.staff_groups import MANAGER, RECRUITER
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def sam():
    user = factories.UserFactory(username="sam", is_superuser=False)
    user.groups.add(factories.staff_group(RECRUITER))
    return user


@pytest.fixture
def manager():
    user = factories.UserFactory(username="morgan", is_superuser=False)
    user.groups.add(factories.staff_group(MANAGER))
    return user


def _my_work(owner, *, n: int = 1):
    """`n` open roles owned by `owner`, each with a submission sent to the client and one interview this week."""
    now = timezone.now()
    for _ in range(n):
        role = factories.RoleFactory(owner=owner, status="open")
        submitted = factories.SubmissionFactory(role=role, owner=owner, stage=Stage.SUBMITTED)
        StageChange.objects.create(submission=submitted, from_stage="shortlisted", to_stage="submitted", changed_at=now)
        interview = factories.SubmissionFactory(role=role, owner=owner, stage=Stage.INTERVIEW)
        StageChange.objects.create(submission=interview, from_stage="submitted", to_stage="interview", changed_at=now)
        factories.PlacementFactory(
            submission=factories.SubmissionFactory(role=role, owner=owner, stage=Stage.PLACED),
            fee_amount=Decimal("21500"),
            start_date=timezone.localdate(),
            guarantee_days=10,
        )


def test_my_day_counts_only_the_recruiters_own_work(sam):
    _my_work(sam)
    _my_work(factories.UserFactory(username="alex"), n=2)

    mine = selectors.my_day(owner=sam)
    everyone = selectors.my_day(owner=None)

    assert (mine.open_roles, mine.people_in_play, mine.submitted_this_week, mine.interviews_this_week) == (1, 2, 1, 1)
    assert everyone.open_roles == 3 and everyone.people_in_play == 6
    assert mine.this_quarter.placements == 1 and mine.this_quarter.fees == {"GBP": Decimal("21500")}
    assert mine.last_quarter.placements == 0
    assert [p.submission.owner for p in mine.guarantees_ending] == [sam]


def test_quarters_start_in_january_april_july_and_october():
    assert selectors.quarter_start(datetime.date(2026, 11, 25)) == datetime.date(2026, 10, 1)
    assert selectors.quarter_start(datetime.date(2026, 3, 31)) == datetime.date(2026, 1, 1)


def test_a_role_is_quiet_when_nothing_happened_on_it_for_seven_days(sam):
    quiet = factories.RoleFactory(owner=sam, status="open", title="Quiet role")
    busy = factories.RoleFactory(owner=sam, status="open", title="Busy role")
    factories.ActivityFactory(candidate=None, role=busy, occurred_at=timezone.now() - datetime.timedelta(days=2))
    old = timezone.now() - datetime.timedelta(days=30)
    factories.ActivityFactory(candidate=None, role=quiet, occurred_at=old)

    assert [role.title for role in selectors.my_day(owner=sam).quiet_roles] == ["Quiet role"]


def test_rejections_are_counted_by_coded_reason(sam):
    reason = factories.RejectionReasonFactory(label="Pay expectations too high")
    for _ in range(2):
        factories.SubmissionFactory(owner=sam, stage=Stage.REJECTED, rejection_reason=reason)
    factories.SubmissionFactory(owner=sam, stage=Stage.REJECTED)

    assert selectors.my_day(owner=sam).rejections_by_reason == [
        ("Pay expectations too high", 2),
        ("No coded reason", 1),
    ]


def test_my_day_query_count_does_not_grow_with_the_data(sam, django_assert_num_queries):
    _my_work(sam)
    # open roles, people in play, this week's moves, two quarters' placements, quiet roles, guarantees,
    # rejections by reason
    with django_assert_num_queries(7):
        selectors.my_day(owner=sam)
    _my_work(sam, n=5)
    with django_assert_num_queries(7):
        selectors.my_day(owner=sam)


def test_the_page_shows_a_recruiter_their_figures_without_fees(client, sam):
    _my_work(sam)
    client.force_login(sam)

    page = client.get(reverse("admin:index")).content.decode()

    assert "My day" in page and 'id="headline-figures"' in page
    assert "Interviews this week" in page and "Guarantees ending in 14 days" in page
    assert 'id="fees-figure"' not in page and "£21,500" not in page
    assert "Placements" not in page.split('id="nav-sidebar-apps"')[1].split("</nav>")[0]


def test_a_manager_sees_everyones_figures_and_the_fees(client, sam, manager):
    _my_work(sam)
    client.force_login(manager)

    page = client.get(reverse("admin:index")).content.decode()

    assert "My day: everyone" in page
    assert 'id="fees-figure"' in page and "£21,500" in page
    assert reverse("admin:pipelines_placement_changelist") in page


def test_the_recruiter_filter_shows_one_recruiters_day(client, sam, manager):
    _my_work(sam)
    client.force_login(manager)

    page = client.get(reverse("admin:index"), {"recruiter": sam.pk}).content.decode()

    assert f"My day: {sam.get_full_name()}" in page


def test_follow_ups_due_today_are_listed_for_their_owner(client, sam):
    submission = factories.SubmissionFactory(owner=sam)
    rule = FollowUpRule.objects.first() or factories.FollowUpRuleFactory()
    factories.FollowUpFactory(rule=rule, submission=submission, due_at=timezone.now())
    client.force_login(sam)

    page = client.get(reverse("admin:index")).content.decode()

    assert str(submission.candidate) in page.split('id="due-heading"')[1].split("</section>")[0]
