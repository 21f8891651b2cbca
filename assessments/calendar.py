"""Calendar invitations (RFC 5545 .ics files) for interviews, built with the icalendar library.

One UID per interview for its whole life; SEQUENCE rises with every reschedule or cancellation, so calendar
programs update or remove the event they already hold instead of adding another. A new or moved interview is
METHOD:REQUEST; a cancelled one is METHOD:CANCEL with STATUS:CANCELLED.
"""

import datetime
from dataclasses import dataclass
from email.utils import parseaddr

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from .models import Interview, InterviewStatus

PRODID = "-//Sonitec//Sonitec CRM interviews//EN"


@dataclass(frozen=True)
class Attendee:
    email: str
    name: str
    role: str = "REQ-PARTICIPANT"


def interview_uid(interview: Interview) -> str:
    return f"interview-{interview.uid}@{organizer_email().rsplit('@', 1)[-1]}"


def organizer_email() -> str:
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "hello@sonitec.example"


def interview_summary(interview: Interview) -> str:
    role = interview.submission.role
    return f"{interview.get_kind_display()}: {interview.submission.candidate.name} for {role.title} ({role.client})"


def interview_ics(*, interview: Interview, attendees: list[Attendee]) -> str:
    """The invitation (or cancellation) for an interview as the text of an .ics file."""
    cancelled = interview.status == InterviewStatus.CANCELLED
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")
    event = Event()
    event.add("uid", interview_uid(interview))
    event.add("sequence", interview.sequence)
    event.add("dtstamp", timezone.now())
    # Times in UTC: every calendar program reads them without needing a VTIMEZONE block.
    event.add("dtstart", interview.scheduled_at.astimezone(datetime.UTC))
    event.add("dtend", interview.ends_at.astimezone(datetime.UTC))
    event.add("summary", interview_summary(interview))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    location = interview.location or interview.video_link
    if location:
        event.add("location", location)
    if interview.video_link:
        event.add("url", interview.video_link)
    description = [f"{interview.get_kind_display()} for {interview.submission.role.title}."]
    if interview.video_link:
        description.append(f"Join: {interview.video_link}")
    if interview.notes:
        description.append(interview.notes)
    event.add("description", "\n\n".join(description))
    organizer = vCalAddress(f"mailto:{organizer_email()}")
    organizer.params["cn"] = vText("Sonitec")
    event.add("organizer", organizer)
    for attendee in attendees:
        address = vCalAddress(f"mailto:{attendee.email}")
        if attendee.name:
            address.params["cn"] = vText(attendee.name)
        address.params["role"] = vText(attendee.role)
        address.params["partstat"] = vText("NEEDS-ACTION")
        address.params["rsvp"] = vText("TRUE")
        event.add("attendee", address, encode=False)
    calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")


def ics_mimetype(interview: Interview) -> str:
    method = "CANCEL" if interview.status == InterviewStatus.CANCELLED else "REQUEST"
    return f"text/calendar; method={method}"
