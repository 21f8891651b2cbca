"""Follow-up rules, in one place: when each rule schedules a follow-up, when it is cancelled, who receives it,
and the periodic dispatcher that turns due follow-ups into outbox Messages.

Recruiters tune the rules in the admin (switch off, delay, wording: FollowUpRule and EmailTemplate rows); the
trigger, the anchor time and the audience of each rule are fixed here. Follow-ups are rows with a due time,
never Celery countdowns, so a restart or a Redis outage cannot lose or duplicate them.
"""

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import (
    Case,
    Exists,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from assessments.models import Interview, InterviewKind, InterviewStatus
from candidates.models import Candidate, CandidateStatus, Consent, ConsentPurpose
from candidates.selectors import candidate_email_footer, consent_in_force_q
from clients.models import Contact
from leads.models import Enquiry, Intake
from pipelines.models import Placement, Stage, StageChange, Submission
from roles.models import Role

from . import outbox
from .models import RULE_KIND, FollowUp, FollowUpRule, FollowUpStatus, Message, RuleKey
from .templating import ACKNOWLEDGEMENT, TO_CANDIDATE, TO_CONTACT, TO_OWNER, template_render

logger = logging.getLogger(__name__)

# Who receives each rule's email. "sender": the person who filled in the public form.
CANDIDATE, CONTACT, OWNER, SENDER = "candidate", "contact", "owner", "sender"
AUDIENCE: dict[str, str] = {
    RuleKey.ENQUIRY_ACK: SENDER,
    RuleKey.INTAKE_ACK: SENDER,
    RuleKey.INTAKE_ALERT: OWNER,
    RuleKey.APPLICATION_ACK: CANDIDATE,
    RuleKey.SUBMITTED_NUDGE_CONTACT: CONTACT,
    RuleKey.SUBMITTED_NUDGE_OWNER: OWNER,
    RuleKey.INTERVIEW_FEEDBACK: CONTACT,
    RuleKey.OFFER_REMINDER: OWNER,
    RuleKey.CHECKIN_CANDIDATE_1W: CANDIDATE,
    RuleKey.CHECKIN_CANDIDATE_4W: CANDIDATE,
    RuleKey.CHECKIN_CANDIDATE_12W: CANDIDATE,
    RuleKey.CHECKIN_CLIENT_1W: CONTACT,
    RuleKey.CHECKIN_CLIENT_4W: CONTACT,
    RuleKey.CHECKIN_CLIENT_12W: CONTACT,
    RuleKey.GUARANTEE_REMINDER: OWNER,
    RuleKey.REENGAGE: CANDIDATE,
}
# Rules that only make sense while the submission stays in the stage that scheduled them.
STAGE_RULES = {
    Stage.SUBMITTED: [RuleKey.SUBMITTED_NUDGE_CONTACT, RuleKey.SUBMITTED_NUDGE_OWNER],
    Stage.INTERVIEW: [RuleKey.INTERVIEW_FEEDBACK],
    Stage.OFFER: [RuleKey.OFFER_REMINDER],
}
CHECKIN_WEEKS: dict[str, int] = {
    RuleKey.CHECKIN_CANDIDATE_1W: 1,
    RuleKey.CHECKIN_CANDIDATE_4W: 4,
    RuleKey.CHECKIN_CANDIDATE_12W: 12,
    RuleKey.CHECKIN_CLIENT_1W: 1,
    RuleKey.CHECKIN_CLIENT_4W: 4,
    RuleKey.CHECKIN_CLIENT_12W: 12,
}
PLACEMENT_RULES = [*CHECKIN_WEEKS, RuleKey.GUARANTEE_REMINDER]
# Acknowledgements go to an address someone typed into a public form. They must not make the agency a relay:
# they quote nothing the visitor wrote (their templates see only the agency and the role), go out at most once
# per address per day, and never to anyone on file as do not contact.
ACK_RULES = (RuleKey.ENQUIRY_ACK, RuleKey.INTAKE_ACK, RuleKey.APPLICATION_ACK)
ACK_INTERVAL = datetime.timedelta(days=1)
# Re-engaging is marketing; every other candidate email concerns a process the person is in.
CANDIDATE_CONSENT: dict[str, str] = {RuleKey.REENGAGE: ConsentPurpose.MARKETING}
# Date-based follow-ups go out in the morning, not at midnight.
SEND_HOUR = 9
# A trigger recorded late (a placement entered after its start) does not send check-ins that are long past.
PAST_DUE_GRACE = datetime.timedelta(days=1)


# ---- templates -------------------------------------------------------------------------------------


def _person_name(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def _shared_context(followup: FollowUp) -> dict[str, Any]:
    """What every non-acknowledgement may say: who sends it, and the placement it is about, as plain strings."""
    submission = followup.submission or (followup.placement.submission if followup.placement else None)
    role = followup.role or (submission.role if submission else None)
    candidate = followup.candidate or (submission.candidate if submission else None)
    client = role.client if role else (followup.intake.client if followup.intake else None)
    owner = _owner(followup)
    return {
        "agency": "Sonitec",
        "owner": {"name": _person_name(owner)} if owner is not None else None,
        "role": {"title": role.title if role else ""},
        "client": {"name": client.name if client else ""},
        "candidate": {"name": candidate.name if candidate else ""},
        "weeks": CHECKIN_WEEKS.get(followup.rule.key),
    }


def _acknowledgement_context(followup: FollowUp) -> dict[str, Any]:
    """Nothing a visitor typed can be echoed: the agency and the role's title only."""
    submission = followup.submission
    role = followup.role or (submission.role if submission else None)
    return {"agency": "Sonitec", "role_title": role.title if role else ""}


def _candidate_context(followup: FollowUp) -> dict[str, Any]:
    return _shared_context(followup)


def _contact_context(followup: FollowUp) -> dict[str, Any]:
    return {**_shared_context(followup), "contact": {"name": followup.contact.name if followup.contact else ""}}


def _owner_context(followup: FollowUp) -> dict[str, Any]:
    """For a recruiter: the record's details and the address of its admin page."""
    submission, placement, intake = followup.submission, followup.placement, followup.intake
    record = placement or submission or intake
    link = ""
    if record is not None:
        meta = record._meta
        link = settings.PUBLIC_BASE_URL + reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[record.pk])
    return {
        **_shared_context(followup),
        "submission": {"stage_changed_at": submission.stage_changed_at} if submission else None,
        "placement": (
            {"start_date": placement.start_date, "guarantee_ends_on": placement.guarantee_ends_on}
            if placement
            else None
        ),
        "intake": (
            {
                "company_name": intake.company_name,
                "contact_name": intake.contact_name,
                "contact_email": intake.contact_email,
                "timeline": intake.timeline,
                "budget": intake.budget,
            }
            if intake
            else None
        ),
        "link": link,
    }


# One context builder per kind of message; each returns exactly templating.VARIABLES[kind], as plain values.
CONTEXT_BUILDERS: dict[str, Callable[[FollowUp], dict[str, Any]]] = {
    ACKNOWLEDGEMENT: _acknowledgement_context,
    TO_CANDIDATE: _candidate_context,
    TO_CONTACT: _contact_context,
    TO_OWNER: _owner_context,
}


def template_context(followup: FollowUp) -> dict[str, Any]:
    """What a template renders with: plain strings, dates and numbers for its kind of message, never a record."""
    return CONTEXT_BUILDERS[RULE_KIND[followup.rule.key]](followup)


def template_preview_model(*, template) -> type[Model] | None:
    """The kind of record a template is written for (that of the first rule using it), to preview it against."""
    key = template.rules.order_by("key").values_list("key", flat=True).first() if template.pk else None
    if key is None:
        return None
    if key == RuleKey.ENQUIRY_ACK:
        return Enquiry
    if key in (RuleKey.INTAKE_ACK, RuleKey.INTAKE_ALERT):
        return Intake
    if key in PLACEMENT_RULES:
        return Placement
    if key == RuleKey.REENGAGE:
        return Candidate
    return Submission


def template_preview(*, template, record) -> tuple[str, str]:
    """Render a template against a real record (an enquiry, intake, submission, placement or candidate)."""
    # The context of the rule that sends this template, so the preview shows exactly what would be sent.
    key = template.rules.order_by("key").values_list("key", flat=True).first() if template.pk else None
    followup = FollowUp(rule=FollowUpRule(key=key or "", template=template))
    if isinstance(record, Enquiry):
        followup.enquiry, followup.contact = record, record.contact
    elif isinstance(record, Intake):
        followup.intake, followup.contact = record, record.contact
    elif isinstance(record, Placement):
        followup.placement, followup.submission = record, record.submission
        followup.candidate, followup.role = record.submission.candidate, record.submission.role
        followup.contact = record.submission.role.hiring_contact
    elif isinstance(record, Submission):
        followup.submission, followup.candidate, followup.role = record, record.candidate, record.role
        followup.contact = record.role.hiring_contact
    elif isinstance(record, Candidate):
        followup.candidate = record
    return template_render(subject=template.subject, body=template.body, context=template_context(followup))


# ---- due times: each takes the trigger's moment (or day) and the rule's delay in days ------------------------


def _days_after(moment: datetime.datetime, days: int) -> datetime.datetime:
    """Calendar days after the event, to the minute (acknowledgements, the offer reminder)."""
    return moment + datetime.timedelta(days=days)


def _at_morning(day: datetime.date, days: int) -> datetime.datetime:
    """09:00 local time, `days` after `day` (check-ins, interview feedback)."""
    moment = datetime.datetime.combine(day + datetime.timedelta(days=days), datetime.time(SEND_HOUR))
    return timezone.make_aware(moment)


def _morning_before(day: datetime.date, days: int) -> datetime.datetime:
    """09:00 local time, `days` before `day` (the guarantee reminder)."""
    return _at_morning(day, -days)


def add_business_days(moment: datetime.datetime, days: int) -> datetime.datetime:
    """Monday to Friday count, at the same local time of day; a moment at the weekend counts from the next Monday
    (the submitted-to-client nudges)."""
    moment = timezone.localtime(moment)
    while moment.weekday() >= 5:
        moment += datetime.timedelta(days=1)
    while days > 0:
        moment += datetime.timedelta(days=1)
        if moment.weekday() < 5:
            days -= 1
    return moment


# ---- scheduling: one function per trigger (called from sonitec/events.py) ---------------------------


def _schedule(*, key: str, due_at: Callable[[int], datetime.datetime], trigger: str, **targets: Any) -> None:
    """Create the rule's follow-up unless the rule is off; a follow-up already due is fired at once.

    `due_at` computes the due time from the rule's delay in days (one of the due-time functions above).
    `trigger` names the event, so the same event announced twice schedules one follow-up.
    """
    rule = FollowUpRule.objects.filter(key=key, is_active=True).first()
    if rule is None:
        return
    due = due_at(rule.delay_days)
    now = timezone.now()
    if due < now - PAST_DUE_GRACE:
        return
    followup, created = FollowUp.objects.get_or_create(
        dedupe_key=f"{key}:{trigger}", defaults={"rule": rule, "due_at": due, **targets}
    )
    if created and due <= now:
        _fire(FollowUp.objects.filter(pk=followup.pk), now=now)


@transaction.atomic
def followups_on_enquiry(*, enquiry: Enquiry) -> None:
    _schedule(
        key=RuleKey.ENQUIRY_ACK,
        due_at=partial(_days_after, enquiry.created_at),
        trigger=f"enquiry-{enquiry.pk}",
        enquiry=enquiry,
        contact=enquiry.contact,
    )


@transaction.atomic
def followups_on_intake(*, intake: Intake) -> None:
    for key in (RuleKey.INTAKE_ACK, RuleKey.INTAKE_ALERT):
        _schedule(
            key=key,
            due_at=partial(_days_after, intake.created_at),
            trigger=f"intake-{intake.pk}",
            intake=intake,
            contact=intake.contact,
        )


@transaction.atomic
def followups_on_application(*, submission: Submission) -> None:
    _schedule(
        key=RuleKey.APPLICATION_ACK,
        due_at=partial(_days_after, submission.created_at),
        trigger=f"submission-{submission.pk}",
        **_submission_targets(submission),
    )


def _submission_targets(submission: Submission) -> dict[str, Any]:
    return {
        "submission": submission,
        "candidate": submission.candidate,
        "role": submission.role,
        "contact": submission.role.hiring_contact,
    }


@transaction.atomic
def followups_on_stage_change(*, stage_change: StageChange) -> None:
    """Cancel what the previous stage scheduled, then schedule what the new stage needs."""
    submission = stage_change.submission
    trigger = f"stagechange-{stage_change.pk}"
    stage_keys = [key for keys in STAGE_RULES.values() for key in keys]
    # What this very change scheduled stays: announcing it again must not cancel its own follow-ups.
    followups_cancel(
        followups=FollowUp.objects.filter(submission=submission, rule__key__in=stage_keys).exclude(
            dedupe_key__in=[f"{key}:{trigger}" for key in stage_keys]
        ),
        reason=f"The submission moved to {stage_change.get_to_stage_display()}.",
    )
    moved_at = stage_change.changed_at
    targets = _submission_targets(submission)
    if stage_change.to_stage == Stage.SUBMITTED:
        for key in STAGE_RULES[Stage.SUBMITTED]:
            _schedule(key=key, due_at=partial(add_business_days, moved_at), trigger=trigger, **targets)
    elif stage_change.to_stage == Stage.INTERVIEW:
        interview = _feedback_interview(submission)
        if interview is not None:
            _schedule_interview_feedback(interview=interview, targets=targets)
        else:
            # No interview recorded (yet): the move to "interview" marks it until one is scheduled.
            _schedule(
                key=RuleKey.INTERVIEW_FEEDBACK,
                trigger=trigger,
                **targets,
                due_at=partial(_at_morning, timezone.localdate(moved_at)),
            )
    elif stage_change.to_stage == Stage.OFFER:
        _schedule(
            key=RuleKey.OFFER_REMINDER,
            trigger=trigger,
            **targets,
            due_at=partial(_days_after, moved_at),
        )


def _feedback_interview(submission: Submission) -> Interview | None:
    """The interview a feedback request is about: the latest scheduled one that is not a recruiter screen."""
    return (
        Interview.objects.filter(submission=submission, status=InterviewStatus.SCHEDULED)
        .exclude(kind=InterviewKind.SCREEN)
        .order_by("-scheduled_at", "-id")
        .first()
    )


def _interview_trigger(interview: Interview) -> str:
    # The sequence is part of the trigger: a rescheduled interview gets a new request, the old one is cancelled.
    return f"interview-{interview.pk}-{interview.sequence}"


def _schedule_interview_feedback(*, interview: Interview, targets: dict[str, Any]) -> None:
    _schedule(
        key=RuleKey.INTERVIEW_FEEDBACK,
        trigger=_interview_trigger(interview),
        **targets,
        due_at=partial(_at_morning, timezone.localdate(interview.ends_at)),
    )


@transaction.atomic
def followups_on_interview(*, submission: Submission) -> None:
    """An interview was scheduled, moved or cancelled: the feedback request counts from the real interview date.

    Only while the submission is at "interview"; a pending request for an earlier time is cancelled."""
    submission = Submission.objects.select_related("candidate", "role__hiring_contact").get(pk=submission.pk)
    interview = _feedback_interview(submission) if submission.stage == Stage.INTERVIEW else None
    keep = f"{RuleKey.INTERVIEW_FEEDBACK}:{_interview_trigger(interview)}" if interview is not None else ""
    followups_cancel(
        followups=FollowUp.objects.filter(submission=submission, rule__key=RuleKey.INTERVIEW_FEEDBACK).exclude(
            dedupe_key=keep
        ),
        reason="The interview was moved or cancelled.",
    )
    if interview is not None:
        _schedule_interview_feedback(interview=interview, targets=_submission_targets(submission))


@transaction.atomic
def followups_on_placement(*, placement: Placement) -> None:
    """Check-ins 1, 4 and 12 weeks after the start, and the owner's reminder before the guarantee ends."""
    targets = {**_submission_targets(placement.submission), "placement": placement}
    trigger = f"placement-{placement.pk}"
    for key in CHECKIN_WEEKS:
        _schedule(key=key, trigger=trigger, **targets, due_at=partial(_at_morning, placement.start_date))
    if placement.guarantee_days:
        _schedule(
            key=RuleKey.GUARANTEE_REMINDER,
            trigger=trigger,
            **targets,
            due_at=partial(_morning_before, placement.guarantee_ends_on),
        )


@transaction.atomic
def followups_on_placement_ended(*, placement: Placement) -> None:
    followups_cancel(followups=FollowUp.objects.filter(placement=placement), reason="The placement ended.")


@transaction.atomic
def followups_on_role_closed(*, role: Role) -> None:
    followups_cancel(
        followups=FollowUp.objects.filter(role=role).exclude(rule__key__in=PLACEMENT_RULES),
        reason=f"The role is {role.get_status_display().lower()}.",
    )


@transaction.atomic
def followups_schedule_reengage(*, now: datetime.datetime | None = None) -> int:
    """Periodic: schedule a re-engage email for every candidate not contacted for the rule's delay.

    Only candidates who agreed to news and job alerts, and at most once per delay period.
    """
    now = now or timezone.now()
    rule = FollowUpRule.objects.filter(key=RuleKey.REENGAGE, is_active=True).first()
    if rule is None or not rule.delay_days:
        return 0
    cutoff = now - datetime.timedelta(days=rule.delay_days)
    candidates = (
        Candidate.objects.filter(status__in=[CandidateStatus.ACTIVE, CandidateStatus.PASSIVE], anonymised_at=None)
        .exclude(email="")
        .filter(Q(last_activity_at__lt=cutoff) | Q(last_activity_at=None, created_at__lt=cutoff))
        .filter(_live_consent(ConsentPurpose.MARKETING, "pk"))
        .exclude(Exists(FollowUp.objects.filter(rule=rule, candidate=OuterRef("pk"), created_at__gte=cutoff)))
        .values_list("pk", flat=True)
    )
    rows = [
        FollowUp(rule=rule, due_at=now, candidate_id=pk, dedupe_key=f"{rule.key}:candidate-{pk}-{now:%Y%m%d}")
        for pk in candidates.iterator(chunk_size=2000)
    ]
    FollowUp.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    return len(rows)


def followups_cancel(*, followups: QuerySet[FollowUp], reason: str) -> int:
    return followups.filter(status=FollowUpStatus.PENDING).update(
        status=FollowUpStatus.CANCELLED, note=reason[:255], resolved_at=timezone.now()
    )


# ---- dispatching: due follow-ups become Messages --------------------------------------------------------

# Follow-ups per transaction: the dozen queries of a batch are spread over many rows, and SQLite still takes the
# batch's statements (its limit is 32,766 parameters).
DISPATCH_BATCH_SIZE = 1000


def _live_consent(purpose: str, candidate_ref: str) -> Exists:
    return Exists(Consent.objects.filter(consent_in_force_q(), candidate=OuterRef(candidate_ref), purpose=purpose))


def _owner(followup: FollowUp):
    if followup.submission is not None:
        return followup.submission.owner or followup.submission.role.owner
    if followup.placement is not None:
        submission = followup.placement.submission
        return submission.owner or submission.role.owner or followup.placement.created_by
    if followup.intake is not None and followup.intake.client is not None:
        return followup.intake.client.account_owner
    return None


@dataclass
class _Recipient:
    email: str
    name: str


@dataclass
class _AckChecks:
    """For a batch's acknowledgement addresses (lower case): who is do not contact, who had one in the last day
    (this batch's own acknowledgements are added as they are written)."""

    do_not_contact: set[str]
    acknowledged: set[str]


def _recipient(followup: FollowUp, ack_checks: _AckChecks) -> tuple[_Recipient | None, str]:
    """Who receives this follow-up, or why nobody may: do-not-contact and consent are always honoured."""
    audience = AUDIENCE[followup.rule.key]
    contact = followup.contact
    if contact is not None and contact.do_not_contact and audience in (CONTACT, SENDER):
        return None, "The contact is marked do not contact."
    if followup.rule.key in ACK_RULES:
        return _ack_recipient(followup, ack_checks)
    if audience == SENDER:
        source = followup.enquiry or followup.intake
        if source is None:
            return None, "The enquiry or intake no longer exists."
        if isinstance(source, Enquiry):
            return _Recipient(source.email, source.name), ""
        return _Recipient(source.contact_email, source.contact_name), ""
    if audience == CONTACT:
        if contact is None or not contact.email:
            return None, "The role has no hiring contact with an email address."
        return _Recipient(contact.email, contact.name), ""
    if audience == OWNER:
        owner = _owner(followup)
        if owner is not None and owner.is_active and owner.email:
            return _Recipient(owner.email, owner.get_full_name() or owner.username), ""
        return _Recipient(settings.FOLLOWUP_TEAM_EMAIL, "Sonitec team"), ""
    candidate = followup.candidate
    if candidate is None or not candidate.email or candidate.anonymised_at:
        return None, "The candidate has no email address."
    if candidate.status == CandidateStatus.DO_NOT_CONTACT:
        return None, "The candidate is marked do not contact."
    if not followup.has_consent:  # type: ignore[attr-defined]  # annotated by the dispatcher's queryset
        purpose = CANDIDATE_CONSENT.get(followup.rule.key, ConsentPurpose.DATA_PROCESSING)
        return None, f"The candidate has no current consent to: {ConsentPurpose(purpose).label.lower()}."
    return _Recipient(candidate.email, candidate.name), ""


def _ack_address(followup: FollowUp) -> tuple[str, str]:
    """The address an acknowledgement goes to, as typed into the form, or why there is none."""
    if AUDIENCE[followup.rule.key] == SENDER:
        source = followup.enquiry or followup.intake
        if source is None:
            return "", "The enquiry or intake no longer exists."
        return (source.email if isinstance(source, Enquiry) else source.contact_email).strip(), ""
    candidate = followup.candidate or (followup.submission.candidate if followup.submission else None)
    if candidate is None or not candidate.email or candidate.anonymised_at:
        return "", "The candidate has no email address."
    if not followup.has_consent:  # type: ignore[attr-defined]  # annotated by the dispatcher's queryset
        return "", "The candidate has no current consent to: data processing."
    return candidate.email.strip(), ""


def _ack_checks(batch: list[FollowUp]) -> _AckChecks:
    """Three queries for a whole batch, rather than three per acknowledgement."""
    emails = {address.lower() for f in batch if f.rule.key in ACK_RULES and (address := _ack_address(f)[0])}
    if not emails:
        return _AckChecks(set(), set())

    def lowered(queryset: QuerySet, field: str, **filters: Any) -> set[str]:
        return set(
            queryset.annotate(lowered=Lower(field))
            .filter(lowered__in=emails, **filters)
            .order_by()
            .values_list("lowered", flat=True)
        )

    return _AckChecks(
        do_not_contact=lowered(Contact.objects.all(), "email", do_not_contact=True)
        # Blank addresses left out, as the candidates' unique index on the lower-case address leaves them out.
        | lowered(Candidate.objects.exclude(email=""), "email", status=CandidateStatus.DO_NOT_CONTACT),
        acknowledged=lowered(
            Message.objects.all(), "to_email", rule__key__in=ACK_RULES, created_at__gte=timezone.now() - ACK_INTERVAL
        ),
    )


def _ack_recipient(followup: FollowUp, checks: _AckChecks) -> tuple[_Recipient | None, str]:
    """The address typed into the form, unless anyone on file with that address is do not contact, or it had an
    acknowledgement in the last day. No name: an acknowledgement greets nobody by a name a visitor typed."""
    email, reason = _ack_address(followup)
    if not email:
        return None, reason
    if email.lower() in checks.do_not_contact:
        return None, "Someone on file with this address is marked do not contact."
    if email.lower() in checks.acknowledged:
        return None, "This address had an acknowledgement in the last day."
    checks.acknowledged.add(email.lower())
    return _Recipient(email, ""), ""


def _dispatchable(followups: QuerySet[FollowUp]) -> QuerySet[FollowUp]:
    """The follow-ups with the consent check the audience needs (their related records: _load_related)."""
    purpose = Case(
        *[When(rule__key=key, then=Value(purpose)) for key, purpose in CANDIDATE_CONSENT.items()],
        default=Value(ConsentPurpose.DATA_PROCESSING),
    )
    return followups.annotate(needed_purpose=purpose).annotate(
        has_consent=Exists(
            Consent.objects.filter(
                consent_in_force_q(), candidate=OuterRef("candidate_id"), purpose=OuterRef("needed_purpose")
            )
        ),
    )


def _related() -> dict[str, QuerySet]:
    """Everything the audience check and the templates read, by the follow-up's link that leads to it."""
    return {
        "rule": FollowUpRule.objects.select_related("template"),
        "candidate": Candidate.objects.all(),
        "contact": Contact.objects.all(),
        "role": Role.objects.select_related("client", "owner"),
        "enquiry": Enquiry.objects.all(),
        "intake": Intake.objects.select_related("client__account_owner"),
        "submission": Submission.objects.select_related("candidate", "owner", "role__client", "role__owner"),
        "placement": Placement.objects.select_related(
            "created_by",
            "submission__candidate",
            "submission__owner",
            "submission__role__client",
            "submission__role__owner",
        ),
    }


def _load_related(batch: list[FollowUp]) -> None:
    """One query per link for the whole batch, and none for a link no follow-up of the batch has (an empty link
    reads as None without a query). Not one join into the follow-ups' query: a join of all these tables cost
    PostgreSQL more to plan than to run, carried every column of every table on each row, and built the rule and
    its template again for every row."""
    prefetch_related_objects(
        batch,
        *[
            Prefetch(field, queryset=queryset)
            for field, queryset in _related().items()
            if any(getattr(f, f"{field}_id") is not None for f in batch)
        ],
    )


def _fire(followups: QuerySet[FollowUp], *, now: datetime.datetime) -> int:
    """Turn these pending follow-ups into Messages (or skip them, with the reason). Caller holds a transaction."""
    batch = list(_dispatchable(followups.filter(status=FollowUpStatus.PENDING)))
    if not batch:
        return 0
    _load_related(batch)
    messages = []
    sending = []
    rendered: dict[tuple[int, str], tuple[str, str]] = {}
    ack_checks = _ack_checks(batch)
    queued_at = timezone.now()  # `now` may be a due-time horizon; the message itself is queued now
    for followup in batch:
        followup.resolved_at = now
        if not followup.rule.is_active:
            followup.status, followup.note = FollowUpStatus.SKIPPED, "The rule was switched off."
            continue
        recipient, reason = _recipient(followup, ack_checks)
        if recipient is None:
            followup.status, followup.note = FollowUpStatus.SKIPPED, reason
            continue
        template, context = followup.rule.template, template_context(followup)
        # Rendering is a pure function of the wording and the values, and many follow-ups of a batch share both
        # (every enquiry's acknowledgement): each pair is rendered once per batch.
        key = (template.pk, repr(context))
        if key not in rendered:
            rendered[key] = template_render(subject=template.subject, body=template.body, context=context)
        subject, body = rendered[key]
        if AUDIENCE[followup.rule.key] == CANDIDATE and followup.candidate is not None:
            body += candidate_email_footer(candidate=followup.candidate)  # every candidate email: their link
        messages.append(
            Message(
                to_email=recipient.email,
                to_name=recipient.name,
                subject=subject,
                body=body,
                rule=followup.rule,
                candidate_id=followup.candidate_id
                or (followup.submission.candidate_id if followup.submission else None),
                # A message concerns the contact only when it is written to them.
                contact_id=followup.contact_id if AUDIENCE[followup.rule.key] in (CONTACT, SENDER) else None,
                submission_id=followup.submission_id,
                role_id=followup.role_id,
                placement_id=followup.placement_id,
                enquiry_id=followup.enquiry_id,
                intake_id=followup.intake_id,
                next_attempt_at=queued_at,
                created_at=queued_at,
            )
        )
        sending.append(followup)
    outbox.messages_queue_many(messages=messages)
    _mark_done(pairs=[(f.pk, m.pk) for f, m in zip(sending, messages, strict=True)], now=now)
    skipped: dict[str, list[int]] = {}
    for followup in batch:
        if followup.status == FollowUpStatus.SKIPPED:
            skipped.setdefault(followup.note, []).append(followup.pk)
    for note, pks in skipped.items():
        FollowUp.objects.filter(pk__in=pks).update(status=FollowUpStatus.SKIPPED, note=note, resolved_at=now)
    return len(batch)


# bulk_update() builds a CASE expression per row and field in Python, which cost more than everything else the
# dispatcher does; one UPDATE joined to a VALUES list (PostgreSQL, and SQLite since 3.33) links each follow-up
# to its message.
_MARK_DONE_SQL = """
    UPDATE pipelines_followup SET status = %s, note = '', resolved_at = %s, message_id = v.column2
    FROM (VALUES {values}) AS v WHERE pipelines_followup.id = v.column1
"""


def _mark_done(*, pairs: list[tuple[int, int]], now: datetime.datetime) -> None:
    """Mark these (follow-up id, message id) pairs done, each follow-up linked to its message."""
    if not pairs:
        return
    sql = _MARK_DONE_SQL.format(values=", ".join(["(%s, %s)"] * len(pairs)))
    params = [FollowUpStatus.DONE.value, connection.ops.adapt_datetimefield_value(now)]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *(pk for pair in pairs for pk in pair)])


def followups_dispatch_due(
    *, now: datetime.datetime | None = None, batch_size: int = DISPATCH_BATCH_SIZE, max_batches: int | None = None
) -> int:
    """Periodic: turn every due pending follow-up into a Message, batch by batch, each batch in its own
    transaction. Rows locked by a concurrent dispatcher are skipped, so two dispatchers never double-send."""
    now = now or timezone.now()
    done = 0
    batches = 0
    while max_batches is None or batches < max_batches:
        with transaction.atomic():
            ids = list(
                FollowUp.objects.filter(status=FollowUpStatus.PENDING, due_at__lte=now)
                .order_by("due_at", "id")
                .select_for_update(skip_locked=True)
                .values_list("pk", flat=True)[:batch_size]
            )
            if not ids:
                break
            done += _fire(FollowUp.objects.filter(pk__in=ids), now=now)
        batches += 1
    if done:
        logger.info("Dispatched %s due follow-ups.", done)
    return done
