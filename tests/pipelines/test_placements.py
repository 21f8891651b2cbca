"""Placing candidates: the placement's money, the role filling at headcount, and placements falling through."""

import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from candidates.models import CandidateStatus
from pipelines.models import Placement, PlacementStatus, StageChange, Submission
from pipelines.services import placement_end, submission_move
from roles.models import FeeType, RebatePolicy, Role, RoleStatus
from roles.services import role_set_status
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def place(submission, by=None, salary="100000", **kwargs):
    return submission_move(
        submission=submission,
        to_stage="placed",
        by=by,
        start_date=kwargs.pop("start_date", TODAY),
        agreed_salary=Decimal(salary) if salary else None,
        **kwargs,
    )


def test_placing_records_fee_and_guarantee(consented, recruiter):
    submission = consented(
        stage="offer", role__fee_percent=Decimal("25"), role__guarantee_days=120, role__currency="USD"
    )
    start = TODAY + datetime.timedelta(days=14)
    with mock.patch("sonitec.events.placement_created") as announced:
        place(submission, by=recruiter, salary="120000.00", start_date=start)
    placement = Placement.objects.get(submission=submission)
    assert placement.fee_amount == Decimal("30000.00")
    assert placement.currency == "USD"
    assert (placement.fee_type, placement.fee_percent) == (FeeType.PERCENT, Decimal("25.00"))
    assert placement.guarantee_ends_on == start + datetime.timedelta(days=120)
    assert (placement.status, placement.created_by) == (PlacementStatus.PENDING_START, recruiter)
    assert placement.submission.candidate.status == CandidateStatus.PLACED
    announced.assert_called_once_with(placement)


def test_a_contractor_on_a_flat_fee_is_placed_with_a_day_rate(consented):
    submission = consented(stage="offer", role__fee_type=FeeType.FLAT, role__flat_fee=Decimal("9000"))
    place(submission, salary=None, agreed_day_rate=Decimal("750"))
    placement = Placement.objects.get(submission=submission)
    assert (placement.fee_amount, placement.agreed_day_rate, placement.agreed_salary) == (
        Decimal("9000.00"),
        Decimal("750.00"),
        None,
    )


def test_placing_without_pay_or_with_missing_terms_stores_nothing(consented):
    submission = consented(stage="offer")
    with pytest.raises(ValidationError) as error:
        place(submission, salary=None)
    assert "agreed pay" in " ".join(error.value.messages)
    no_terms = consented(stage="offer", role__fee_percent=None, role__client__default_fee_percent=None)
    with pytest.raises(ValidationError, match="No fee terms"):
        place(no_terms)
    assert not Placement.objects.exists()
    assert Submission.objects.filter(stage="placed").count() == 0
    assert not StageChange.objects.exists()


def test_role_is_filled_at_headcount_and_the_rest_flagged(consented, recruiter):
    role = factories.RoleFactory(headcount=2)
    first, second = consented(role=role, stage="offer"), consented(role=role, stage="interview")
    waiting = consented(role=role, stage="screened")
    rejected = consented(role=role, stage="rejected")

    place(first, by=recruiter)
    role.refresh_from_db()
    assert role.status == RoleStatus.OPEN
    assert not Submission.objects.filter(needs_decision=True).exists()

    with mock.patch("sonitec.events.role_closed") as closed:
        place(second, by=recruiter)
    role.refresh_from_db()
    assert (role.status, role.closed_on) == (RoleStatus.FILLED, TODAY)
    closed.assert_called_once()
    assert set(Submission.objects.filter(needs_decision=True)) == {waiting}
    assert Submission.objects.get(pk=waiting.pk).stage == "screened"  # flagged, not silently closed
    assert not Submission.objects.get(pk=rejected.pk).needs_decision

    late = consented(role=role, stage="offer")
    with pytest.raises(ValidationError, match="already filled"):
        place(late)
    submission_move(submission=waiting, to_stage="rejected", note="Role filled")
    assert not Submission.objects.get(pk=waiting.pk).needs_decision


def test_ending_inside_the_guarantee_rebates_and_reopens_the_role(consented, recruiter):
    submission = consented(
        stage="offer",
        role__rebate_policy=RebatePolicy.PRO_RATA,
        role__guarantee_days=90,
        role__fee_percent=Decimal("20"),
    )
    start = TODAY - datetime.timedelta(days=60)
    place(submission, start_date=start)
    placement = Placement.objects.get(submission=submission)
    assert Role.objects.get(pk=submission.role_id).status == RoleStatus.FILLED

    with mock.patch("sonitec.events.role_published") as reopened, mock.patch("sonitec.events.placement_ended") as ended:
        placement_end(
            placement=placement, ended_on=start + datetime.timedelta(days=30), reason="Relocated", by=recruiter
        )
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.FELL_THROUGH
    assert placement.rebate_amount == Decimal("13333.33")  # 60 of 90 guarantee days unworked, of a 20,000 fee
    assert placement.termination_reason == "Relocated"
    ended.assert_called_once()
    reopened.assert_called_once()
    assert Role.objects.get(pk=submission.role_id).status == RoleStatus.OPEN
    stored = Submission.objects.get(pk=submission.pk)
    assert stored.stage == "withdrawn"
    last = StageChange.objects.filter(submission=submission).last()
    assert (last.from_stage, last.to_stage, last.changed_by) == ("placed", "withdrawn", recruiter)
    assert "Relocated" in last.note
    with pytest.raises(ValidationError, match="already ended"):
        placement_end(placement=placement, ended_on=TODAY, reason="Again")


def test_ending_after_the_guarantee_owes_nothing_and_keeps_the_role_filled(consented):
    submission = consented(stage="offer", role__guarantee_days=30, role__rebate_policy=RebatePolicy.FULL)
    start = TODAY - datetime.timedelta(days=100)
    place(submission, start_date=start)
    placement = Placement.objects.get(submission=submission)
    placement_end(placement=placement, ended_on=TODAY, reason="Moved on after a year")
    placement.refresh_from_db()
    assert (placement.rebate_amount, placement.status) == (Decimal("0.00"), PlacementStatus.GUARANTEE_PASSED)
    assert Submission.objects.get(pk=submission.pk).stage == "placed"
    assert Role.objects.get(pk=submission.role_id).status == RoleStatus.FILLED


def test_ending_needs_a_reason_and_a_past_date(consented):
    submission = consented(stage="offer")
    place(submission)
    placement = Placement.objects.get(submission=submission)
    with pytest.raises(ValidationError) as error:
        placement_end(placement=placement, ended_on=TODAY + datetime.timedelta(days=5), reason=" ")
    assert set(error.value.message_dict) == {"ended_on", "termination_reason"}
    placement.refresh_from_db()
    assert placement.ended_on is None and placement.status != PlacementStatus.FELL_THROUGH


def test_role_status_changes_set_dates_and_announce():
    role = factories.RoleFactory(status=RoleStatus.DRAFT, opened_on=None)
    with mock.patch("sonitec.events.role_published") as published:
        role_set_status(role=role, status=RoleStatus.OPEN)
    published.assert_called_once_with(role)
    assert Role.objects.get(pk=role.pk).opened_on == TODAY
    with mock.patch("sonitec.events.role_closed") as closed:
        role_set_status(role=role, status=RoleStatus.ON_HOLD)
        role_set_status(role=role, status=RoleStatus.CANCELLED)
    closed.assert_called_once_with(role)  # only leaving "open" counts as closing
    assert Role.objects.get(pk=role.pk).closed_on == TODAY
    with pytest.raises(ValidationError):
        role_set_status(role=role, status="archived")
