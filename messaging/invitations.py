"""Calendar invitations for interviews: who receives them, their wording, and their .ics attachment (built by
assessments.calendar), queued through the outbox. Reacts to sonitec.events.interview_changed."""

import datetime
import zoneinfo
from typing import Any

from django.conf import settings

from assessments import calendar
from assessments.models import Interview

from . import outbox


def _attendees(interview: Interview) -> list[tuple[calendar.Attendee, dict[str, Any]]]:
    """Who receives the invitation, with what each message concerns: the candidate and every interviewer
    with an email address (client contacts marked do not contact are left out)."""
    submission = interview.submission
    candidate = submission.candidate
    people: list[tuple[calendar.Attendee, dict[str, Any]]] = []
    if candidate.email and not candidate.anonymised_at:
        people.append((calendar.Attendee(candidate.email, candidate.name), {"candidate": candidate}))
    for user in interview.interviewers.all():
        if user.email:
            name = user.get_full_name() or user.username
            people.append((calendar.Attendee(user.email, name), {"candidate": candidate}))
    for contact in interview.client_interviewers.all():
        if contact.email and not contact.do_not_contact:
            people.append((calendar.Attendee(contact.email, contact.name), {"contact": contact}))
    return people


def _local(moment: datetime.datetime, zone_name: str) -> str:
    try:
        zone = zoneinfo.ZoneInfo(zone_name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone, zone_name = zoneinfo.ZoneInfo(settings.TIME_ZONE), settings.TIME_ZONE
    return f"{moment.astimezone(zone):%A %d %B %Y, %H:%M} ({zone_name})"


def _invitation_text(interview: Interview, *, change: str) -> tuple[str, str]:
    summary = calendar.interview_summary(interview)
    when = _local(interview.scheduled_at, interview.time_zone)
    if change == "cancelled":
        subject = f"Cancelled: {summary}"
        lines = [f"The {interview.get_kind_display().lower()} on {when} is cancelled."]
    else:
        subject = f"{'Moved' if change == 'moved' else 'Invitation'}: {summary}"
        lines = [
            f"{interview.get_kind_display()} for {interview.submission.role.title}"
            f" at {interview.submission.role.client}.",
            f"When: {when}, {interview.duration_minutes} minutes.",
        ]
        if change == "moved":
            lines.insert(0, "The interview has a new time.")
        if interview.location:
            lines.append(f"Where: {interview.location}")
        if interview.video_link:
            lines.append(f"Video call: {interview.video_link}")
        if interview.notes:
            lines.append(interview.notes)
        lines.append("The attached calendar file adds it to your calendar.")
    return subject, "\n\n".join(lines) + "\n\nSonitec\n"


def interview_invitations_send(*, interview: Interview, change: str) -> int:
    """One message per attendee through the outbox, each carrying the same .ics file. `change` is new, moved or
    cancelled."""
    people = _attendees(interview)
    ics = calendar.interview_ics(interview=interview, attendees=[attendee for attendee, _ in people])
    subject, body = _invitation_text(interview, change=change)
    attachment = ("invite.ics", ics, calendar.ics_mimetype(interview))
    for attendee, concerns in people:
        outbox.message_queue(
            to_email=attendee.email,
            to_name=attendee.name,
            subject=subject,
            body=body,
            attachment=attachment,
            submission=interview.submission,
            role=interview.submission.role,
            **concerns,
        )
    return len(people)
