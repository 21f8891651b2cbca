"""Each follow-up rule: what schedules it, what cancels it, who receives it, and what stops it."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from candidates.models import CandidateStatus, ConsentPurpose
from messaging import followups
from messaging.models import FollowUp, FollowUpStatus, Message, MessageStatus, RuleKey
from pipelines.models import Stage
from sonitec import events
from tests import factories

pytestmark = pytest.mark.django_db

LATER = datetime.timedelta(days=400)


def consented_candidate(**kwargs):
    candidate = factories.CandidateFactory(**kwargs)
    factories.ConsentFactory(candidate=candidate, purpose=ConsentPurpose.DATA_PROCESSING)
    return candidate


def submission_with_contact(**kwargs):
    contact = factories.ContactFactory()
    role = factories.RoleFactory(client=contact.client, hiring_contact=contact, owner=factories.UserFactory())
    return factories.SubmissionFactory(role=role, candidate=consented_candidate(), **kwargs)


def move(submission, to_stage, *, at=None):
    change = factories.StageChangeFactory(
        submission=submission, from_stage=submission.stage, to_stage=to_stage, changed_at=at or timezone.now()
    )
    submission.stage = to_stage
    submission.save(update_fields=["stage"])
    events.stage_changed(change)
    return change


def followups_of(**filters):
    return {f.rule.key: f for f in FollowUp.objects.filter(**filters).select_related("rule")}


def dispatch_everything():
    return followups.followups_dispatch_due(now=timezone.now() + LATER)


# ---- acknowledgements -------------------------------------------------------------------------------


def test_an_enquiry_is_acknowledged_to_its_sender_once_committed(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enquiry = factories.EnquiryFactory(name="Ada Lovelace", email="ada@engines.example")
        events.enquiry_received(enquiry)
        assert mail.outbox == []  # nothing leaves before the enquiry is committed
    assert len(mail.outbox) == 1
    # An address typed into a public form: greeted by no name, quoted nothing (see tests/security).
    assert mail.outbox[0].to == ["ada@engines.example"]
    assert "Ada Lovelace" not in mail.outbox[0].subject + mail.outbox[0].body
    message = Message.objects.get(enquiry=enquiry)
    assert (message.status, message.attempts) == (MessageStatus.SENT, 1)


def test_the_same_event_announced_twice_sends_one_acknowledgement(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enquiry = factories.EnquiryFactory()
        events.enquiry_received(enquiry)
        events.enquiry_received(enquiry)
    assert len(mail.outbox) == 1


def test_an_enquiry_from_a_do_not_contact_contact_is_not_acknowledged():
    contact = factories.ContactFactory(do_not_contact=True)
    enquiry = factories.EnquiryFactory(contact=contact, email=contact.email)
    events.enquiry_received(enquiry)
    assert not Message.objects.exists()
    followup = FollowUp.objects.get(enquiry=enquiry)
    assert followup.status == FollowUpStatus.SKIPPED
    assert "do not contact" in followup.note


def test_an_intake_is_acknowledged_and_its_owning_recruiter_alerted():
    owner = factories.UserFactory(email="owner@sonitec.example")
    client = factories.ClientFactory(account_owner=owner)
    intake = factories.IntakeFactory(client=client, contact_email="cto@acme.example", company_name="Acme Robotics")
    events.intake_received(intake)
    sent = {m.to_email: m for m in Message.objects.filter(intake=intake)}
    assert set(sent) == {"cto@acme.example", "owner@sonitec.example"}
    assert "Acme Robotics" in sent["owner@sonitec.example"].subject


def test_an_intake_without_an_owner_alerts_the_team(settings):
    settings.FOLLOWUP_TEAM_EMAIL = "team@sonitec.example"
    events.intake_received(factories.IntakeFactory())
    assert Message.objects.filter(to_email="team@sonitec.example").count() == 1


def test_an_application_is_acknowledged_to_a_consenting_candidate():
    submission = factories.SubmissionFactory(candidate=consented_candidate(email="lin@mail.example"))
    events.application_received(submission)
    message = Message.objects.get()
    assert message.to_email == "lin@mail.example"
    assert submission.role.title in message.subject
    assert (message.candidate, message.submission, message.role) == (submission.candidate, submission, submission.role)


@pytest.mark.parametrize("situation", ["do_not_contact", "consent_withdrawn", "no_consent"])
def test_no_application_acknowledgement_without_permission(situation):
    candidate = factories.CandidateFactory()
    if situation == "do_not_contact":
        factories.ConsentFactory(candidate=candidate)
        candidate.status = CandidateStatus.DO_NOT_CONTACT
        candidate.save()
    elif situation == "consent_withdrawn":
        factories.ConsentFactory(candidate=candidate, withdrawn_at=timezone.now())
    submission = factories.SubmissionFactory(candidate=candidate)
    events.application_received(submission)
    assert not Message.objects.exists()
    assert FollowUp.objects.get().status == FollowUpStatus.SKIPPED


# ---- the pipeline -----------------------------------------------------------------------------------


def test_submitted_to_client_schedules_nudges_after_business_days():
    submission = submission_with_contact(stage=Stage.SHORTLISTED)
    friday = timezone.make_aware(datetime.datetime(2030, 3, 1, 10, 0))  # a Friday
    move(submission, Stage.SUBMITTED, at=friday)
    pending = followups_of(submission=submission, status=FollowUpStatus.PENDING)
    assert set(pending) == {RuleKey.SUBMITTED_NUDGE_CONTACT, RuleKey.SUBMITTED_NUDGE_OWNER}
    # 3 business days after a Friday is the Wednesday.
    assert timezone.localtime(pending[RuleKey.SUBMITTED_NUDGE_CONTACT].due_at).date() == datetime.date(2030, 3, 6)


def test_nudges_go_to_the_hiring_contact_and_the_owner_when_due():
    submission = submission_with_contact(stage=Stage.SHORTLISTED)
    move(submission, Stage.SUBMITTED)
    assert followups.followups_dispatch_due() == 0  # not due yet
    assert dispatch_everything() == 2
    recipients = set(Message.objects.values_list("to_email", flat=True))
    assert recipients == {submission.role.hiring_contact.email, submission.role.owner.email}


def test_moving_on_before_the_nudge_cancels_it_and_schedules_interview_feedback():
    submission = submission_with_contact(stage=Stage.SHORTLISTED)
    move(submission, Stage.SUBMITTED)
    moved = move(submission, Stage.INTERVIEW)
    by_rule = followups_of(submission=submission)
    assert by_rule[RuleKey.SUBMITTED_NUDGE_CONTACT].status == FollowUpStatus.CANCELLED
    assert "Interview" in by_rule[RuleKey.SUBMITTED_NUDGE_CONTACT].note
    feedback = by_rule[RuleKey.INTERVIEW_FEEDBACK]
    assert feedback.status == FollowUpStatus.PENDING
    due = timezone.localtime(feedback.due_at)
    assert (due.date(), due.hour) == (timezone.localdate(moved.changed_at) + datetime.timedelta(days=1), 9)
    dispatch_everything()
    message = Message.objects.get()
    assert message.to_email == submission.role.hiring_contact.email
    assert submission.candidate.name in message.subject


def test_interview_feedback_is_not_sent_to_a_do_not_contact_contact():
    submission = submission_with_contact(stage=Stage.SUBMITTED)
    move(submission, Stage.INTERVIEW)
    submission.role.hiring_contact.do_not_contact = True
    submission.role.hiring_contact.save()
    dispatch_everything()
    assert not Message.objects.exists()
    assert followups_of(submission=submission)[RuleKey.INTERVIEW_FEEDBACK].status == FollowUpStatus.SKIPPED


def test_an_open_offer_reminds_the_owner_unless_the_submission_is_rejected_first():
    submission = submission_with_contact(stage=Stage.INTERVIEW)
    move(submission, Stage.OFFER)
    assert followups_of(submission=submission)[RuleKey.OFFER_REMINDER].status == FollowUpStatus.PENDING
    move(submission, Stage.REJECTED)
    assert followups_of(submission=submission)[RuleKey.OFFER_REMINDER].status == FollowUpStatus.CANCELLED
    assert dispatch_everything() == 0


def test_closing_a_role_cancels_its_pending_nudges():
    submission = submission_with_contact(stage=Stage.SHORTLISTED)
    move(submission, Stage.SUBMITTED)
    submission.role.status = "filled"
    events.role_closed(submission.role)
    assert not FollowUp.objects.filter(status=FollowUpStatus.PENDING).exists()


# ---- placements ---------------------------------------------------------------------------------------


def test_a_placement_schedules_check_ins_and_a_guarantee_reminder():
    submission = submission_with_contact(stage=Stage.PLACED)
    start = timezone.localdate() + datetime.timedelta(days=10)
    placement = factories.PlacementFactory(submission=submission, start_date=start, guarantee_days=90)
    events.placement_created(placement)
    due = {key: timezone.localtime(f.due_at).date() for key, f in followups_of(placement=placement).items()}
    assert due[RuleKey.CHECKIN_CANDIDATE_1W] == start + datetime.timedelta(weeks=1)
    assert due[RuleKey.CHECKIN_CANDIDATE_4W] == start + datetime.timedelta(weeks=4)
    assert due[RuleKey.CHECKIN_CLIENT_12W] == start + datetime.timedelta(weeks=12)
    assert due[RuleKey.GUARANTEE_REMINDER] == placement.guarantee_ends_on - datetime.timedelta(days=14)
    dispatch_everything()
    to_candidate = Message.objects.filter(to_email=submission.candidate.email).order_by("rule__key")
    assert [m.subject for m in to_candidate][0].startswith("How are your first 12 weeks")
    assert Message.objects.count() == 7


def test_a_placement_that_ends_cancels_its_check_ins():
    placement = factories.PlacementFactory(submission=submission_with_contact(stage=Stage.PLACED))
    events.placement_created(placement)
    events.placement_ended(placement)
    assert set(FollowUp.objects.values_list("status", flat=True)) == {FollowUpStatus.CANCELLED}


def test_check_ins_long_past_are_not_scheduled_for_a_placement_recorded_late():
    start = timezone.localdate() - datetime.timedelta(weeks=6)
    placement = factories.PlacementFactory(submission=submission_with_contact(stage=Stage.PLACED), start_date=start)
    events.placement_created(placement)
    assert RuleKey.CHECKIN_CANDIDATE_1W not in followups_of(placement=placement)
    assert RuleKey.CHECKIN_CANDIDATE_12W in followups_of(placement=placement)


# ---- tuning in the admin --------------------------------------------------------------------------------


def test_a_switched_off_rule_schedules_nothing_and_stops_what_is_pending():
    submission = submission_with_contact(stage=Stage.SHORTLISTED)
    move(submission, Stage.SUBMITTED)
    rule = factories.seeded_rule(RuleKey.SUBMITTED_NUDGE_OWNER)
    rule.is_active = False
    rule.save()
    dispatch_everything()
    assert followups_of(submission=submission)[RuleKey.SUBMITTED_NUDGE_OWNER].note == "The rule was switched off."
    other = submission_with_contact(stage=Stage.SHORTLISTED)
    move(other, Stage.SUBMITTED)
    assert set(followups_of(submission=other)) == {RuleKey.SUBMITTED_NUDGE_CONTACT}


def test_a_changed_delay_and_wording_apply_to_the_next_follow_up():
    rule = factories.seeded_rule(RuleKey.OFFER_REMINDER)
    rule.delay_days = 10
    rule.save()
    rule.template.subject = "Chase the offer for {{ candidate.name }}"
    rule.template.save()
    submission = submission_with_contact(stage=Stage.INTERVIEW)
    moved = move(submission, Stage.OFFER)
    assert followups_of(submission=submission)[RuleKey.OFFER_REMINDER].due_at == moved.changed_at + datetime.timedelta(
        days=10
    )
    dispatch_everything()
    assert Message.objects.get().subject == f"Chase the offer for {submission.candidate.name}"


# ---- re-engagement --------------------------------------------------------------------------------------


def test_candidates_silent_for_six_months_with_marketing_consent_are_re_engaged_once():
    long_ago = timezone.now() - datetime.timedelta(days=200)
    quiet = factories.CandidateFactory(last_activity_at=long_ago)
    factories.ConsentFactory(candidate=quiet, purpose=ConsentPurpose.MARKETING)
    no_marketing = consented_candidate(last_activity_at=long_ago)
    withdrawn = factories.CandidateFactory(last_activity_at=long_ago)
    factories.ConsentFactory(candidate=withdrawn, purpose=ConsentPurpose.MARKETING, withdrawn_at=timezone.now())
    recent = factories.CandidateFactory(last_activity_at=timezone.now() - datetime.timedelta(days=10))
    factories.ConsentFactory(candidate=recent, purpose=ConsentPurpose.MARKETING)

    assert followups.followups_schedule_reengage() == 1
    assert followups.followups_schedule_reengage() == 0  # not again within the period
    followups.followups_dispatch_due()
    assert list(Message.objects.values_list("to_email", flat=True)) == [quiet.email]
    assert not Message.objects.filter(to_email__in=[no_marketing.email, withdrawn.email, recent.email]).exists()


# ---- the dispatcher -------------------------------------------------------------------------------------


def test_dispatching_runs_the_same_number_of_queries_for_5_or_45_due_follow_ups(django_assert_max_num_queries):
    def make(count):
        for _ in range(count):
            submission = submission_with_contact(stage=Stage.INTERVIEW)
            move(submission, Stage.OFFER)

    make(5)
    # savepoint, select due ids (locking), select follow-ups, one select per kind of linked record the templates
    # read (rule, candidate, contact, role, submission), insert messages, update follow-ups, release; then one
    # empty select. (SQLite splits an INSERT at 999 parameters, about
    # 49 messages, so 45 is the largest batch that is one INSERT on both databases.)
    with django_assert_max_num_queries(20) as small:
        assert dispatch_everything() == 5
    make(45)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert dispatch_everything() == 45
    assert Message.objects.count() == 50


def test_run_dispatcher_sends_due_follow_ups_without_redis(settings):
    from django.core.management import call_command

    settings.CELERY_TASK_ALWAYS_EAGER = True
    submission = submission_with_contact(stage=Stage.INTERVIEW)
    move(submission, Stage.OFFER, at=timezone.now() - datetime.timedelta(days=3, hours=1))
    call_command("run_dispatcher", "--once")
    message = Message.objects.get()
    assert message.status == MessageStatus.SENT
    assert mail.outbox[0].subject == message.subject
