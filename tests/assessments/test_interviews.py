"""Interviews: scheduling sends calendar invitations through the outbox, moving and cancelling send updates,
and the interview-feedback follow-up counts from the interview's real date."""

import datetime
import zoneinfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from icalendar import Calendar

from assessments import services
from assessments.models import InterviewKind, InterviewStatus
from messaging.models import FollowUp, FollowUpStatus, Message, RuleKey
from pipelines.models import Stage

from .conftest import in_days

pytestmark = pytest.mark.django_db


def schedule(panel, **kwargs):
    return services.interview_schedule(
        **{
            "submission": panel["submission"],
            "kind": InterviewKind.TECHNICAL,
            "scheduled_at": in_days(3),
            "duration_minutes": 90,
            "interviewers": [panel["alice"], panel["bob"]],
            "client_interviewers": [panel["contact"]],
            "video_link": "https://meet.example/abc-defg",
            **kwargs,
        }
    )


def event_of(message: Message):
    calendar = Calendar.from_ical(message.attachment_content)
    events = [c for c in calendar.walk("VEVENT")]
    assert len(events) == 1
    return calendar, events[0]


def test_scheduling_sends_the_candidate_and_interviewers_an_invitation_file(panel, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        interview = schedule(panel)
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted(
        [
            f"Lin Candidate <{panel['submission'].candidate.email}>",
            "Alice Ng <alice@sonitec.example>",  # formataddr quotes a name only when it must
            "Bob Ray <bob@sonitec.example>",
            "Dana Client <dana@client.example>",
        ]
    )
    email = next(m for m in mail.outbox if panel["submission"].candidate.email in m.to[0])
    assert email.subject.startswith("Invitation: Technical interview: Lin Candidate for Senior MLOps Engineer")
    (name, content, mimetype) = email.attachments[0]
    assert name == "invite.ics" and mimetype.startswith("text/calendar")
    calendar = Calendar.from_ical(content)
    assert str(calendar["method"]) == "REQUEST"
    event = calendar.walk("VEVENT")[0]
    assert event["uid"] == f"interview-{interview.uid}@sonitec.example"
    assert event["sequence"] == 0
    assert event.decoded("dtstart") == interview.scheduled_at
    assert event.decoded("dtend") - event.decoded("dtstart") == datetime.timedelta(minutes=90)
    assert str(event["status"]) == "CONFIRMED"
    assert str(event["location"]) == "https://meet.example/abc-defg"
    attendees = sorted(str(a) for a in event["attendee"])
    assert attendees == sorted(
        [
            f"mailto:{panel['submission'].candidate.email}",
            "mailto:alice@sonitec.example",
            "mailto:bob@sonitec.example",
            "mailto:dana@client.example",
        ]
    )
    assert str(event["organizer"]) == "mailto:hello@sonitec.example"


def test_the_ics_content_is_valid_rfc5545_with_crlf_lines(panel):
    interview = schedule(panel)
    message = Message.objects.filter(submission=panel["submission"]).first()
    text = message.attachment_content
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "VERSION:2.0\r\n" in text and "PRODID:" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))  # folded at 75 octets
    assert f"DTSTART:{interview.scheduled_at.astimezone(datetime.UTC):%Y%m%dT%H%M%SZ}" in text


def test_the_time_zone_given_is_honoured_and_shown_in_the_email(panel):
    new_york = zoneinfo.ZoneInfo("America/New_York")
    start = datetime.datetime(2030, 3, 4, 10, 0, tzinfo=new_york)
    interview = schedule(panel, scheduled_at=start, time_zone="America/New_York")
    assert interview.scheduled_at == start
    _, event = event_of(Message.objects.filter(submission=panel["submission"]).first())
    assert event.decoded("dtstart") == datetime.datetime(2030, 3, 4, 15, 0, tzinfo=datetime.UTC)
    body = Message.objects.filter(submission=panel["submission"]).first().body
    assert "Monday 04 March 2030, 10:00 (America/New_York)" in body


def test_scheduling_moves_a_submitted_candidate_to_interview(panel):
    schedule(panel)
    panel["submission"].refresh_from_db()
    assert panel["submission"].stage == Stage.INTERVIEW


def test_a_recruiter_screen_leaves_the_stage_alone(panel):
    schedule(panel, kind=InterviewKind.SCREEN, client_interviewers=[])
    panel["submission"].refresh_from_db()
    assert panel["submission"].stage == Stage.SUBMITTED


def test_rescheduling_sends_an_update_with_a_higher_sequence(panel):
    interview = schedule(panel)
    Message.objects.all().delete()
    moved = services.interview_reschedule(interview=interview, scheduled_at=in_days(5, hour=11))
    assert moved.sequence == 1
    messages = list(Message.objects.all())
    assert len(messages) == 4
    calendar, event = event_of(messages[0])
    assert str(calendar["method"]) == "REQUEST"
    assert event["uid"] == f"interview-{interview.uid}@sonitec.example" and event["sequence"] == 1
    assert event.decoded("dtstart") == in_days(5, hour=11)
    assert messages[0].subject.startswith("Moved:")


def test_cancelling_sends_a_cancellation(panel):
    interview = schedule(panel)
    Message.objects.all().delete()
    cancelled = services.interview_cancel(interview=interview)
    assert cancelled.status == InterviewStatus.CANCELLED and cancelled.sequence == 1
    message = Message.objects.first()
    assert message.attachment_type == "text/calendar; method=CANCEL"
    calendar, event = event_of(message)
    assert str(calendar["method"]) == "CANCEL" and str(event["status"]) == "CANCELLED" and event["sequence"] == 1
    with pytest.raises(ValidationError, match="cancelled"):
        services.interview_reschedule(interview=interview, scheduled_at=in_days(6))


def test_the_feedback_follow_up_counts_from_the_interview_date(panel):
    interview = schedule(panel, scheduled_at=in_days(10))
    pending = FollowUp.objects.filter(
        submission=panel["submission"], rule__key=RuleKey.INTERVIEW_FEEDBACK, status=FollowUpStatus.PENDING
    )
    assert pending.count() == 1
    followup = pending.get()
    delay = followup.rule.delay_days
    assert followup.due_at.date() == (interview.ends_at + datetime.timedelta(days=delay)).astimezone().date()
    # Moved: the request for the old date is cancelled and a new one counts from the new date.
    services.interview_reschedule(interview=interview, scheduled_at=in_days(20))
    assert pending.count() == 1
    assert pending.get().due_at.date() == (in_days(20) + datetime.timedelta(days=delay)).date()
    assert FollowUp.objects.filter(status=FollowUpStatus.CANCELLED, rule__key=RuleKey.INTERVIEW_FEEDBACK).count() == 1
    # Cancelled: no feedback request remains.
    services.interview_cancel(interview=interview)
    assert not pending.exists()


@pytest.mark.parametrize(
    "change, message",
    [
        ({"scheduled_at": datetime.datetime(2030, 1, 1, 10, 0)}, "time zone"),
        ({"scheduled_at": in_days(-30)}, "more than a week ago"),
        ({"duration_minutes": 2}, "between 5 and 480"),
        ({"video_link": "meet at the pub"}, "https://"),
        ({"interviewers": [], "client_interviewers": []}, "at least one interviewer"),
        ({"kind": "chat"}, "Unknown interview kind"),
        ({"time_zone": "Mars/Olympus"}, "Unknown time zone"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(panel, change, message):
    with pytest.raises(ValidationError, match=message):
        schedule(panel, **change)
    assert not panel["submission"].interviews.exists()
    assert not Message.objects.exists()
    panel["submission"].refresh_from_db()
    assert panel["submission"].stage == Stage.SUBMITTED


def test_a_contact_of_another_client_cannot_be_on_the_panel(panel):
    from tests import factories

    stranger = factories.ContactFactory()
    with pytest.raises(ValidationError, match="not at"):
        schedule(panel, client_interviewers=[stranger])
