"""When each follow-up falls due: business days, mornings, rule delays and the grace for late triggers.

Times are Europe/London (TIME_ZONE); date-based follow-ups go out at 09:00 local time.
"""

import datetime
from unittest import mock

import pytest
from django.utils import timezone

from messaging import followups
from messaging.models import FollowUp, FollowUpStatus, Message, RuleKey
from pipelines.models import Stage
from sonitec import events
from tests import factories

from .test_rules import followups_of, move, submission_with_contact


def local(*args) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(*args))


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (local(2030, 3, 1, 10, 30), 3, local(2030, 3, 6, 10, 30)),  # Friday + 3 → Wednesday, same time of day
        (local(2030, 3, 1, 10, 30), 1, local(2030, 3, 4, 10, 30)),  # Friday + 1 → Monday
        (local(2030, 3, 4, 8, 0), 0, local(2030, 3, 4, 8, 0)),  # a weekday + 0 is that moment
        (local(2030, 3, 4, 8, 0), 5, local(2030, 3, 11, 8, 0)),  # a working week
        (local(2030, 3, 6, 17, 0), 2, local(2030, 3, 8, 17, 0)),  # Wednesday + 2 → Friday
        (local(2030, 3, 7, 17, 0), 2, local(2030, 3, 11, 17, 0)),  # Thursday + 2 → Monday
        (local(2030, 3, 2, 15, 0), 0, local(2030, 3, 4, 15, 0)),  # Saturday counts from Monday
        (local(2030, 3, 3, 15, 0), 0, local(2030, 3, 4, 15, 0)),  # Sunday too
        (local(2030, 3, 2, 15, 0), 1, local(2030, 3, 5, 15, 0)),  # Saturday + 1 → Tuesday
        (local(2030, 3, 3, 23, 0), 3, local(2030, 3, 7, 23, 0)),  # Sunday + 3 → Thursday
    ],
)
def test_business_days_skip_weekends(start, days, expected):
    due = followups.add_business_days(start, days)
    assert due == expected
    assert due.utcoffset() == expected.utcoffset()


def test_business_days_count_in_local_time():
    # 23:30 UTC on Friday 1 March 2030 is still Friday in London; midnight UTC on Saturday is Saturday.
    friday_night_utc = datetime.datetime(2030, 3, 1, 23, 30, tzinfo=datetime.UTC)
    assert followups.add_business_days(friday_night_utc, 1) == local(2030, 3, 4, 23, 30)
    summer_utc = datetime.datetime(2030, 7, 5, 23, 30, tzinfo=datetime.UTC)  # 00:30 BST on Saturday 6 July
    assert followups.add_business_days(summer_utc, 0) == local(2030, 7, 8, 0, 30)


needs_db = pytest.mark.django_db


@needs_db
def test_submitted_nudges_fall_due_after_the_rules_business_days_at_the_same_time_of_day():
    rule = factories.seeded_rule(RuleKey.SUBMITTED_NUDGE_CONTACT)
    rule.delay_days = 2
    rule.save()
    submission = submission_with_contact(stage=Stage.SHORTLISTED)
    move(submission, Stage.SUBMITTED, at=local(2030, 3, 7, 16, 45))  # a Thursday
    pending = followups_of(submission=submission, status=FollowUpStatus.PENDING)
    assert pending[RuleKey.SUBMITTED_NUDGE_CONTACT].due_at == local(2030, 3, 11, 16, 45)
    owner_delay = factories.seeded_rule(RuleKey.SUBMITTED_NUDGE_OWNER).delay_days
    assert pending[RuleKey.SUBMITTED_NUDGE_OWNER].due_at == followups.add_business_days(
        local(2030, 3, 7, 16, 45), owner_delay
    )


@needs_db
def test_interview_feedback_is_asked_at_nine_in_the_morning_after_the_rules_delay():
    rule = factories.seeded_rule(RuleKey.INTERVIEW_FEEDBACK)
    rule.delay_days = 2
    rule.save()
    submission = submission_with_contact(stage=Stage.SUBMITTED)
    move(submission, Stage.INTERVIEW, at=local(2030, 3, 7, 16, 45))
    assert followups_of(submission=submission)[RuleKey.INTERVIEW_FEEDBACK].due_at == local(2030, 3, 9, 9, 0)


@needs_db
def test_an_offer_reminder_falls_due_the_rules_days_after_the_move_to_the_minute():
    rule = factories.seeded_rule(RuleKey.OFFER_REMINDER)
    rule.delay_days = 3
    rule.save()
    submission = submission_with_contact(stage=Stage.INTERVIEW)
    move(submission, Stage.OFFER, at=local(2030, 3, 7, 16, 45))
    assert followups_of(submission=submission)[RuleKey.OFFER_REMINDER].due_at == local(2030, 3, 10, 16, 45)


@needs_db
@pytest.mark.parametrize("to_stage", [Stage.SCREENED, Stage.SHORTLISTED, Stage.PLACED, Stage.WITHDRAWN])
def test_other_stages_schedule_nothing(to_stage):
    submission = submission_with_contact(stage=Stage.SOURCED)
    move(submission, to_stage, at=local(2030, 3, 7, 16, 45))
    assert not FollowUp.objects.exists()


@needs_db
def test_check_ins_and_the_guarantee_reminder_go_out_at_nine_on_their_day():
    reminder = factories.seeded_rule(RuleKey.GUARANTEE_REMINDER)
    reminder.delay_days = 10
    reminder.save()
    submission = submission_with_contact(stage=Stage.PLACED)
    start = datetime.date(2030, 3, 4)
    placement = factories.PlacementFactory(submission=submission, start_date=start, guarantee_days=60)
    events.placement_created(placement)
    due = {key: f.due_at for key, f in followups_of(placement=placement).items()}
    assert due == {
        RuleKey.CHECKIN_CANDIDATE_1W: local(2030, 3, 11, 9, 0),
        RuleKey.CHECKIN_CLIENT_1W: local(2030, 3, 11, 9, 0),
        RuleKey.CHECKIN_CANDIDATE_4W: local(2030, 4, 1, 9, 0),  # British Summer Time by then: still 09:00 local
        RuleKey.CHECKIN_CLIENT_4W: local(2030, 4, 1, 9, 0),
        RuleKey.CHECKIN_CANDIDATE_12W: local(2030, 5, 27, 9, 0),
        RuleKey.CHECKIN_CLIENT_12W: local(2030, 5, 27, 9, 0),
        RuleKey.GUARANTEE_REMINDER: local(2030, 4, 23, 9, 0),  # 10 days before the guarantee ends on 3 May
    }
    assert {f.placement_id for f in FollowUp.objects.all()} == {placement.pk}


@needs_db
def test_a_placement_without_a_guarantee_gets_no_guarantee_reminder():
    submission = submission_with_contact(stage=Stage.PLACED)
    placement = factories.PlacementFactory(
        submission=submission, start_date=datetime.date(2030, 3, 4), guarantee_days=0
    )
    events.placement_created(placement)
    assert RuleKey.GUARANTEE_REMINDER not in followups_of(placement=placement)
    assert RuleKey.CHECKIN_CANDIDATE_1W in followups_of(placement=placement)


@needs_db
@pytest.mark.parametrize(
    ("rule_key", "make", "event"),
    [
        (RuleKey.ENQUIRY_ACK, factories.EnquiryFactory, events.enquiry_received),
        (RuleKey.INTAKE_ACK, factories.IntakeFactory, events.intake_received),
        (RuleKey.INTAKE_ALERT, factories.IntakeFactory, events.intake_received),
    ],
)
def test_acknowledgements_fall_due_the_rules_days_after_the_form_arrived(rule_key, make, event):
    rule = factories.seeded_rule(rule_key)
    rule.delay_days = 2
    rule.save()
    record = make()
    event(record)
    followup = FollowUp.objects.get(rule=rule)
    assert (followup.due_at, followup.status) == (
        record.created_at + datetime.timedelta(days=2),
        FollowUpStatus.PENDING,
    )


@needs_db
def test_an_application_acknowledgement_falls_due_the_rules_days_after_the_application():
    rule = factories.seeded_rule(RuleKey.APPLICATION_ACK)
    rule.delay_days = 1
    rule.save()
    submission = submission_with_contact()
    events.application_received(submission)
    followup = FollowUp.objects.get(rule=rule)
    assert (followup.due_at, followup.submission, followup.candidate) == (
        submission.created_at + datetime.timedelta(days=1),
        submission,
        submission.candidate,
    )


NOW = local(2030, 3, 7, 12, 0)


@needs_db
@pytest.mark.parametrize(
    ("moved_before_now", "outcome"),
    [
        (datetime.timedelta(seconds=-1), FollowUpStatus.PENDING),  # due a second from now: waits
        (datetime.timedelta(0), FollowUpStatus.DONE),  # due now: sent at once
        (datetime.timedelta(hours=23), FollowUpStatus.DONE),  # recorded late, within a day: sent at once
        (datetime.timedelta(days=1), FollowUpStatus.DONE),  # exactly a day late: still sent
        (datetime.timedelta(days=1, seconds=1), None),  # more than a day late: never scheduled
    ],
)
def test_a_follow_up_already_due_is_sent_at_once_unless_more_than_a_day_late(moved_before_now, outcome):
    rule = factories.seeded_rule(RuleKey.OFFER_REMINDER)
    rule.delay_days = 0
    rule.save()
    submission = submission_with_contact(stage=Stage.INTERVIEW)
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        move(submission, Stage.OFFER, at=NOW - moved_before_now)
    followup = followups_of(submission=submission).get(RuleKey.OFFER_REMINDER)
    assert (followup.status if followup else None) == outcome
    assert Message.objects.filter(rule=rule).count() == (1 if outcome == FollowUpStatus.DONE else 0)


@needs_db
def test_a_follow_up_fired_at_once_is_resolved_at_that_moment():
    rule = factories.seeded_rule(RuleKey.OFFER_REMINDER)
    rule.delay_days = 0
    rule.save()
    submission = submission_with_contact(stage=Stage.INTERVIEW)
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        move(submission, Stage.OFFER, at=NOW - datetime.timedelta(hours=2))
    followup = followups_of(submission=submission)[RuleKey.OFFER_REMINDER]
    assert (followup.status, followup.resolved_at) == (FollowUpStatus.DONE, NOW)


@needs_db
def test_announcing_the_same_move_again_once_it_is_due_leaves_it_to_the_dispatcher():
    rule = factories.seeded_rule(RuleKey.OFFER_REMINDER)
    rule.delay_days = 1
    rule.save()
    submission = submission_with_contact(stage=Stage.INTERVIEW)
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        change = move(submission, Stage.OFFER, at=NOW)
    with mock.patch("django.utils.timezone.now", return_value=NOW + datetime.timedelta(days=1, hours=1)):
        events.stage_changed(change)  # announced twice, the second time after the reminder fell due
    followup = FollowUp.objects.get(rule=rule)
    assert (followup.status, followup.due_at) == (FollowUpStatus.PENDING, NOW + datetime.timedelta(days=1))
    assert not Message.objects.exists()
