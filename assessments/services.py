"""Rules about assessing candidates: interviews and their invitations, scorecards, evidence of skills.

Every function validates first and raises ValidationError with a clear message, storing nothing half-way.
"""

import datetime
import zoneinfo
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from candidates.models import Candidate
from clients.models import Contact
from pipelines.models import OPEN_STAGES, Stage, Submission
from pipelines.services import submission_move
from roles.models import Skill
from sonitec import events

from .models import (
    LEVELS,
    Competency,
    CompetencyScore,
    Evidence,
    EvidenceKind,
    Interview,
    InterviewKind,
    InterviewOutcome,
    InterviewStatus,
    Recommendation,
    Scorecard,
)

# An interview may be recorded a little after it happened, but not scheduled further back than this.
PAST_LIMIT = datetime.timedelta(days=7)
DURATION_LIMITS = (5, 8 * 60)


# ---- interviews ------------------------------------------------------------------------------------


def _check_time(*, scheduled_at: datetime.datetime, duration_minutes: int) -> None:
    errors = {}
    if timezone.is_naive(scheduled_at):
        errors["scheduled_at"] = "Give the interview's time with its time zone."
    elif scheduled_at < timezone.now() - PAST_LIMIT:
        errors["scheduled_at"] = "This time is more than a week ago; check the date."
    if not DURATION_LIMITS[0] <= int(duration_minutes) <= DURATION_LIMITS[1]:
        errors["duration_minutes"] = (
            f"An interview lasts between {DURATION_LIMITS[0]} and {DURATION_LIMITS[1]} minutes."
        )
    if errors:
        raise ValidationError(errors)


def _check_link(url: str, field: str) -> None:
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError as error:
            raise ValidationError({field: "Enter a full web address starting with https://."}) from error


def _check_zone(zone_name: str) -> None:
    try:
        zoneinfo.ZoneInfo(zone_name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
        raise ValidationError({"time_zone": f"Unknown time zone “{zone_name}”."}) from error


@transaction.atomic
def interview_schedule(
    *,
    submission: Submission,
    kind: str,
    scheduled_at: datetime.datetime,
    duration_minutes: int = 60,
    time_zone: str = "",
    interviewers: Iterable = (),
    client_interviewers: Iterable[Contact] = (),
    location: str = "",
    video_link: str = "",
    notes: str = "",
    by=None,
) -> Interview:
    """Schedule an interview; the candidate and interviewers receive a calendar invitation (sonitec.events).

    A submission waiting on the client ("submitted") moves to "interview" when anything but a recruiter screen is
    scheduled; the interview-feedback follow-up then counts from the interview's own date.
    """
    if kind not in InterviewKind.values:
        raise ValidationError({"kind": f"Unknown interview kind “{kind}”."})
    submission = Submission.objects.select_related("candidate", "role__client").get(pk=submission.pk)
    if submission.stage not in OPEN_STAGES:
        raise ValidationError(f"This submission is {submission.get_stage_display().lower()}: no interview now.")
    _check_time(scheduled_at=scheduled_at, duration_minutes=duration_minutes)
    _check_link(video_link, "video_link")
    time_zone = time_zone or settings.TIME_ZONE
    _check_zone(time_zone)
    interviewers, client_interviewers = list(interviewers), list(client_interviewers)
    if not interviewers and not client_interviewers:
        raise ValidationError({"interviewers": "Name at least one interviewer."})
    strangers = [c for c in client_interviewers if c.client_id != submission.role.client_id]
    if strangers:
        raise ValidationError(
            {"client_interviewers": f"{', '.join(c.name for c in strangers)} not at {submission.role.client}."}
        )
    interview = Interview(
        submission=submission,
        kind=kind,
        scheduled_at=scheduled_at,
        time_zone=time_zone,
        duration_minutes=duration_minutes,
        location=location.strip(),
        video_link=video_link.strip(),
        notes=notes.strip(),
        created_by=by,
    )
    interview.full_clean()
    interview.save()
    interview.interviewers.set(interviewers)
    interview.client_interviewers.set(client_interviewers)
    if kind != InterviewKind.SCREEN and submission.stage == Stage.SUBMITTED:
        submission_move(submission=submission, to_stage=Stage.INTERVIEW, by=by, note=f"{interview} scheduled.")
    events.interview_changed(interview, change="new")
    return interview


def _locked(interview: Interview) -> Interview:
    locked = (
        Interview.objects.select_for_update(of=("self",))
        .select_related("submission__candidate", "submission__role__client")
        .get(pk=interview.pk)
    )
    if locked.status == InterviewStatus.CANCELLED:
        raise ValidationError("This interview is cancelled.")
    return locked


@transaction.atomic
def interview_reschedule(
    *,
    interview: Interview,
    scheduled_at: datetime.datetime,
    duration_minutes: int | None = None,
    location: str | None = None,
    video_link: str | None = None,
    time_zone: str | None = None,
    by=None,
) -> Interview:
    """Move an interview: everyone receives an updated invitation (same UID, higher SEQUENCE)."""
    locked = _locked(interview)
    duration = locked.duration_minutes if duration_minutes is None else duration_minutes
    _check_time(scheduled_at=scheduled_at, duration_minutes=duration)
    if video_link is not None:
        _check_link(video_link, "video_link")
        locked.video_link = video_link.strip()
    if location is not None:
        locked.location = location.strip()
    if time_zone:
        _check_zone(time_zone)
        locked.time_zone = time_zone
    locked.scheduled_at, locked.duration_minutes = scheduled_at, duration
    locked.status, locked.sequence = InterviewStatus.SCHEDULED, locked.sequence + 1
    locked.save()
    events.interview_changed(locked, change="moved")
    return locked


@transaction.atomic
def interview_cancel(*, interview: Interview, by=None) -> Interview:
    """Cancel an interview: everyone receives a cancellation that removes it from their calendar."""
    locked = _locked(interview)
    locked.status, locked.sequence = InterviewStatus.CANCELLED, locked.sequence + 1
    locked.save(update_fields=["status", "sequence", "updated_at"])
    events.interview_changed(locked, change="cancelled")
    return locked


@transaction.atomic
def interview_record_outcome(*, interview: Interview, outcome: str) -> Interview:
    if outcome not in InterviewOutcome.values:
        raise ValidationError({"outcome": f"Unknown outcome “{outcome}”."})
    locked = _locked(interview)
    locked.outcome = outcome
    locked.status = InterviewStatus.SCHEDULED if outcome == InterviewOutcome.PENDING else InterviewStatus.COMPLETED
    locked.save(update_fields=["outcome", "status", "updated_at"])
    return locked


# ---- scorecards ------------------------------------------------------------------------------------


def rubric_for(*, interview: Interview) -> list[Competency]:
    """The competencies an interview is scored on: its role's pillar rubric, in order."""
    return list(Competency.objects.filter(pillar_id=interview.submission.role.pillar_id).order_by("position", "id"))


@transaction.atomic
def scorecard_submit(
    *,
    interview: Interview,
    scores: Mapping[int, int],
    recommendation: str,
    interviewer=None,
    client_interviewer: Contact | None = None,
    strengths: str = "",
    concerns: str = "",
    entered_by=None,
) -> Scorecard:
    """Record one interviewer's scorecard: a score 1–4 for every competency of the pillar's rubric.

    scores: {competency id: score}. A client's interviewer's scorecard may be entered by a recruiter on their
    behalf (`entered_by`). Each interviewer fills in one scorecard per interview.
    """
    interview = Interview.objects.select_related("submission__role").get(pk=interview.pk)
    if interview.status == InterviewStatus.CANCELLED:
        raise ValidationError("This interview was cancelled; it takes no scorecards.")
    if (interviewer is None) == (client_interviewer is None):
        raise ValidationError({"interviewer": "Choose the one interviewer this scorecard is from."})
    if interviewer is not None and not interview.interviewers.filter(pk=interviewer.pk).exists():
        raise ValidationError({"interviewer": f"{interviewer} is not on this interview's panel."})
    if client_interviewer is not None and not interview.client_interviewers.filter(pk=client_interviewer.pk).exists():
        raise ValidationError({"interviewer": f"{client_interviewer.name} is not on this interview's panel."})
    already = Scorecard.objects.filter(interview=interview)
    if already.filter(interviewer=interviewer, client_interviewer=client_interviewer).exists():
        raise ValidationError({"interviewer": "This interviewer's scorecard is already in."})
    if recommendation not in Recommendation.values:
        raise ValidationError({"recommendation": "Choose a recommendation from strong yes to strong no."})
    rubric = rubric_for(interview=interview)
    if not rubric:
        raise ValidationError("The role's pillar has no rubric yet: add its competencies first.")
    expected = {competency.pk for competency in rubric}
    given = {int(key): value for key, value in scores.items()}
    errors = []
    for competency in rubric:
        value = given.get(competency.pk)
        if value is None:
            errors.append(f"Score “{competency.name}”.")
        elif int(value) not in LEVELS:
            errors.append(f"“{competency.name}”: a score is 1, 2, 3 or 4.")
    unknown = set(given) - expected
    if unknown:
        errors.append("Some scores are for competencies outside this pillar's rubric.")
    if errors:
        raise ValidationError({"scores": errors})
    scorecard = Scorecard.objects.create(
        interview=interview,
        interviewer=interviewer,
        client_interviewer=client_interviewer,
        recommendation=recommendation,
        strengths=strengths.strip(),
        concerns=concerns.strip(),
        entered_by=entered_by,
    )
    CompetencyScore.objects.bulk_create(
        [CompetencyScore(scorecard=scorecard, competency=c, score=int(given[c.pk])) for c in rubric]
    )
    return scorecard


# ---- evidence --------------------------------------------------------------------------------------


@transaction.atomic
def evidence_add(
    *,
    candidate: Candidate,
    url: str,
    kind: str = EvidenceKind.REPOSITORY,
    note: str = "",
    skill: Skill | None = None,
    competency: Competency | None = None,
    verified_by=None,
) -> Evidence:
    """Record a link evidencing a candidate's skill or competency; verified at once when `verified_by` is given."""
    if skill is None and competency is None:
        raise ValidationError({"skill": "Say which skill or competency this link shows."})
    _check_link(url.strip(), "url")
    evidence = Evidence(
        candidate=candidate,
        url=url.strip(),
        kind=kind,
        note=note.strip(),
        skill=skill,
        competency=competency,
        verified_by=verified_by,
        verified_at=timezone.now() if verified_by is not None else None,
    )
    evidence.full_clean()
    evidence.save()
    return evidence


@transaction.atomic
def evidence_verify(*, evidence: Evidence, by) -> Evidence:
    """Mark evidence as checked by a recruiter (who and when are kept)."""
    if by is None:
        raise ValidationError("Evidence is verified by someone.")
    Evidence.objects.filter(pk=evidence.pk).update(verified_by=by, verified_at=timezone.now())
    evidence.refresh_from_db()
    return evidence
