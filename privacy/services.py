"""Rules for personal data across every app: erasure by anonymisation, subject-access export, the access log,
the requests people make through their self-service link, and retention.

This app sits above the domain apps because a person's data is spread over all of them (candidates, pipelines,
leads, messaging); each rule here is the one place that knows every table a person appears in.
"""

import datetime
import io
import json
import logging
import uuid
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Replace
from django.forms.models import model_to_dict
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import strip_tags

from candidates.models import Candidate, CandidateCvText, CandidateDocument, Consent, ConsentMethod, ConsentPurpose
from candidates.selectors import candidate_email_footer, consent_expires_at, consent_state
from candidates.services import candidate_name_words_forget, consent_record, consents_withdraw
from clients.models import Contact
from leads.models import Enquiry, Intake, TriageStatus
from matching.models import TalentPoolMember
from matching.selectors import candidate_matching_record
from messaging.models import FollowUp, FollowUpStatus, Message, MessageStatus
from messaging.outbox import message_queue
from pipelines.models import Activity, Placement, StageChange, Submission

from .models import (
    AccessAction,
    AccessLog,
    ExportJob,
    PrivacyRequest,
    PrivacyRequestKind,
    RenewalOutcome,
    RenewalRequest,
    RetentionRun,
)
from .selectors import candidates_without_lawful_basis

logger = logging.getLogger(__name__)

ERASED = "[erased]"


# ---- access log -------------------------------------------------------------------------------------------


def access_log_record(*, user, action: str, candidate: Candidate | None = None, contact: Contact | None = None) -> None:
    """One INSERT, nothing read: recording a page view costs the page a single query."""
    AccessLog.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        action=action,
        candidate=candidate,
        contact=contact,
    )


# ---- erasure by anonymisation -----------------------------------------------------------------------------


def _replace_all(field_name: str, identifiers: list[str], neutral: str):
    """A database expression replacing every identifier in a text column (case as written: templates copy names
    verbatim)."""
    expression: Any = F(field_name)
    for identifier in identifiers:
        expression = Replace(expression, Value(identifier), Value(neutral))
    return expression


def _identifiers(*values: str) -> list[str]:
    # Longest first, so "Ada Lovelace" is replaced before a shorter value inside it; very short values are left
    # alone, as replacing them would mangle unrelated words in the rows about the person.
    return sorted({value for value in values if value and len(value) >= 3}, key=len, reverse=True)


def _erase_messages(messages: QuerySet[Message]) -> int:
    """Messages written to the person: recipient and content go; the row stays as a record that we wrote."""
    messages.filter(status__in=[MessageStatus.QUEUED, MessageStatus.FAILED]).update(status=MessageStatus.CANCELLED)
    return messages.update(to_email="", to_name="", subject=ERASED, body=ERASED, last_error="")


def _scrub_texts(queryset: QuerySet, fields: Iterable[str], identifiers: list[str], neutral: str) -> None:
    if identifiers:
        queryset.update(**{name: _replace_all(name, identifiers, neutral) for name in fields})


def _scrub_admin_log(model, object_ids: Iterable[Any], identifiers: list[str], neutral: str) -> None:
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id__in=[str(pk) for pk in object_ids]
    )
    _scrub_texts(entries, ["object_repr", "change_message"], identifiers, neutral)


def _delete_files_after_commit(names: set[str]) -> None:
    names = {name for name in names if name}
    if not names:
        return

    def delete() -> None:
        for name in names:
            default_storage.delete(name)

    transaction.on_commit(delete, robust=True)


def _erase_leads_from(email: str, identifiers: list[str]) -> None:
    """Enquiries and intakes the person sent (matched by their email), and the messages answering them."""
    if not email:
        return
    enquiries = Enquiry.objects.filter(email__iexact=email)
    intakes = Intake.objects.filter(contact_email__iexact=email)
    _erase_messages(Message.objects.filter(Q(enquiry__in=enquiries) | Q(intake__in=intakes)))
    FollowUp.objects.filter(Q(enquiry__in=enquiries) | Q(intake__in=intakes), status=FollowUpStatus.PENDING).update(
        status=FollowUpStatus.CANCELLED, note="The sender's data was erased.", resolved_at=timezone.now()
    )
    intakes.update(contact_name=ERASED, contact_email="", contact_phone="", contact_job_title="", notes="", answers={})
    enquiries.update(name=ERASED, email="", phone="", company="", message=ERASED)


@transaction.atomic
def candidate_anonymise(*, candidate: Candidate, by=None) -> Candidate:
    """Erase a person by anonymisation. Irreversible.

    Replaces name, contact details, links, notes and free text with neutral values everywhere they appear (the
    record and its audit history, consents' notes, submission and stage notes, activities, messages, the
    enquiries and intakes they sent, the admin's change log) and deletes every CV file once the transaction
    commits. Submissions, stage changes, placements and fees stay attached to the anonymised record, so the
    funnel and fee reports do not change. Erasing an anonymised record again does nothing.
    """
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.anonymised_at is not None:
        return candidate
    now = timezone.now()
    neutral_name = f"Anonymised candidate {candidate.pk}"
    history = Candidate.history.filter(id=candidate.pk)  # type: ignore[attr-defined]
    # Every value the person ever had: the audit history keeps old emails and phones too.
    past = list(history.values_list("name", "email", "phone", "linkedin_url", "github_url", "cv"))
    identifiers = _identifiers(
        candidate.name,
        candidate.email,
        candidate.phone,
        candidate.linkedin_url,
        candidate.github_url,
        *[value for row in past for value in row[:5]],
    )
    emails = {address.lower() for address in [candidate.email, *[row[1] for row in past]] if address}
    documents = CandidateDocument.objects.filter(candidate=candidate)
    cv_files = {candidate.cv.name, *[row[5] for row in past], *documents.values_list("file", flat=True)}
    neutral = {
        "name": neutral_name,
        "email": "",
        "phone": "",
        "location": "",
        "linkedin_url": "",
        "github_url": "",
        "current_title": "",
        "current_company": "",
        "notes": "",
        "cv": "",
        "cv_original_name": "",
        "cv_uploaded_at": None,
    }
    # The duplicate rules' comparable copies of the contact details (not kept in the audit history) go too.
    match_keys = {"email_key": "", "phone_key": "", "linkedin_key": "", "github_key": ""}
    # update(), not save(): the anonymised state adds no history row that could be mistaken for an edit.
    Candidate.objects.filter(pk=candidate.pk).update(**neutral, **match_keys, anonymised_at=now, updated_at=now)
    history.update(**neutral, history_change_reason=None)
    candidate_name_words_forget(names=[candidate.name, *[row[0] for row in past]])
    candidate.off_limits_clients.clear()  # their clients list would point at their employer
    documents.delete()  # every CV version: the files go after commit, with the rest
    CandidateCvText.objects.filter(candidate=candidate).delete()  # the search's copy of their CV
    TalentPoolMember.objects.filter(candidate=candidate).delete()
    Consent.objects.filter(candidate=candidate).update(note="", withdrawn_at=Coalesce(F("withdrawn_at"), Value(now)))

    submissions = Submission.objects.filter(candidate=candidate)
    submission_ids = list(submissions.values_list("pk", flat=True))
    submissions.update(notes="", exit_reason="")
    Submission.history.filter(id__in=submission_ids).update(notes="", exit_reason="", history_change_reason=None)  # type: ignore[attr-defined]
    StageChange.objects.filter(submission_id__in=submission_ids).update(note="")
    placements = Placement.objects.filter(submission_id__in=submission_ids)
    placement_ids = list(placements.values_list("pk", flat=True))
    placements.update(termination_reason="")
    Placement.history.filter(id__in=placement_ids).update(termination_reason="", history_change_reason=None)  # type: ignore[attr-defined]
    Activity.objects.filter(Q(candidate=candidate) | Q(submission_id__in=submission_ids)).update(
        subject=ERASED, body=ERASED
    )

    to_them = Q(pk__in=[])
    for address in emails:
        to_them |= Q(to_email__iexact=address)
    _erase_messages(Message.objects.filter(to_them))
    about_them = Message.objects.filter(
        Q(candidate=candidate) | Q(submission_id__in=submission_ids) | Q(placement_id__in=placement_ids)
    )
    _scrub_texts(about_them, ["subject", "body", "to_name"], identifiers, neutral_name)
    FollowUp.objects.filter(
        Q(candidate=candidate) | Q(submission_id__in=submission_ids), status=FollowUpStatus.PENDING
    ).update(status=FollowUpStatus.CANCELLED, note="The candidate's data was erased.", resolved_at=now)
    for address in emails:
        _erase_leads_from(address, identifiers)
    _scrub_admin_log(Candidate, [candidate.pk], identifiers, neutral_name)
    _scrub_admin_log(Submission, submission_ids, identifiers, neutral_name)
    _scrub_admin_log(Placement, placement_ids, identifiers, neutral_name)
    RenewalRequest.objects.filter(candidate=candidate, outcome=RenewalOutcome.PENDING).update(
        outcome=RenewalOutcome.ANONYMISED, resolved_at=now
    )
    waiting = ExportJob.objects.filter(candidate=candidate, downloaded_at=None)
    cv_files.update(name for name in waiting.values_list("file", flat=True) if name)  # exports are their data too
    waiting.update(file="", finished_at=Coalesce(F("finished_at"), Value(now)), downloaded_at=now)
    access_log_record(user=by, action=AccessAction.ERASED, candidate=candidate)
    _delete_files_after_commit(cv_files)
    candidate.refresh_from_db()
    return candidate


@transaction.atomic
def contact_anonymise(*, contact: Contact, by=None) -> Contact:
    """Erase a client contact by anonymisation, as for a candidate: the client, roles and fees are untouched."""
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if contact.anonymised_at is not None:
        return contact
    now = timezone.now()
    neutral_name = f"Anonymised contact {contact.pk}"
    identifiers = _identifiers(contact.name, contact.email, contact.phone)
    email = contact.email
    neutral = {"name": neutral_name, "email": "", "phone": "", "job_title": ""}
    Contact.objects.filter(pk=contact.pk).update(
        **neutral, marketing_opt_in=False, marketing_opt_in_at=None, do_not_contact=True, anonymised_at=now
    )
    Contact.history.filter(id=contact.pk).update(**neutral, history_change_reason=None)  # type: ignore[attr-defined]
    Activity.objects.filter(contact=contact).update(subject=ERASED, body=ERASED)
    to_them = Q(contact=contact) | (Q(to_email__iexact=email) if email else Q(pk__in=[]))
    _erase_messages(Message.objects.filter(to_them))
    FollowUp.objects.filter(contact=contact, status=FollowUpStatus.PENDING).update(
        status=FollowUpStatus.CANCELLED, note="The contact's data was erased.", resolved_at=now
    )
    Enquiry.objects.filter(contact=contact).update(name=ERASED, email="", phone="", message=ERASED)
    Intake.objects.filter(contact=contact).update(
        contact_name=ERASED, contact_email="", contact_phone="", contact_job_title="", notes=""
    )
    _erase_leads_from(email, identifiers)
    _scrub_admin_log(Contact, [contact.pk], identifiers, neutral_name)
    access_log_record(user=by, action=AccessAction.ERASED, contact=contact)
    contact.refresh_from_db()
    return contact


# ---- subject-access export ----------------------------------------------------------------------------------


def _notice_text(version: str) -> str:
    """The privacy notice's wording for a version: the current one is rendered from the page itself."""
    if version and version != settings.PRIVACY_NOTICE_VERSION:
        return f"Notice version {version}; the agency keeps the wording of earlier versions on request."
    html = render_to_string("public/privacy_notice_body.html", privacy_notice_context())
    return " ".join(strip_tags(html).split())


def privacy_notice_context() -> dict[str, Any]:
    """Everything the privacy notice states, read from the settings the code uses."""
    return {
        "version": settings.PRIVACY_NOTICE_VERSION,
        "retention_months": settings.RETENTION_MONTHS,
        "renewal_answer_days": settings.RETENTION_RENEWAL_ANSWER_DAYS,
        "records_keep_months": settings.RECORDS_KEEP_MONTHS,
        "lead_retention_months": settings.LEAD_RETENTION_MONTHS,
        "spam_retention_days": settings.SPAM_RETENTION_DAYS,
        "consent_data_processing_months": settings.CONSENT_DATA_PROCESSING_MONTHS,
        "consent_marketing_months": settings.CONSENT_MARKETING_MONTHS,
        "consent_representation_days": settings.CONSENT_REPRESENTATION_DAYS_AFTER_CLOSE,
        "access_log_months": settings.ACCESS_LOG_MONTHS,
        "dpo_email": settings.DPO_EMAIL,
    }


def _row(instance, exclude: Iterable[str] = ()) -> dict[str, Any]:
    data = model_to_dict(instance, exclude=list(exclude))
    for name in ("created_at", "updated_at"):
        if hasattr(instance, name):
            data[name] = getattr(instance, name)
    return {
        key: (value.name if hasattr(value, "name") and hasattr(value, "url") else value) for key, value in data.items()
    }


def candidate_export_data(*, candidate: Candidate) -> dict[str, Any]:
    """Everything held about the person, as one JSON-ready dict (the data.json of the export)."""
    consents = Consent.objects.filter(candidate=candidate).select_related("candidate", "role")
    submissions = (
        Submission.objects.filter(candidate=candidate).select_related("role__client").prefetch_related("stage_changes")
    )
    placements = Placement.objects.filter(submission__candidate=candidate).select_related("submission__role")
    return {
        "exported_at": timezone.now(),
        "record": {
            **_row(candidate, exclude=["other_pillars", "skills", "off_limits_clients", "cv"]),
            "cv": candidate.cv_original_name or None,
            "primary_pillar": str(candidate.primary_pillar) if candidate.primary_pillar_id else None,
            "other_pillars": [str(pillar) for pillar in candidate.other_pillars.all()],
            "off_limits_clients": [str(client) for client in candidate.off_limits_clients.all()],
        },
        "skills": [
            {"skill": row.skill.name, "years": row.years, "level": row.get_level_display()}
            for row in candidate.candidate_skills.select_related("skill")
        ],
        "consents": [
            {
                "purpose": consent.get_purpose_display(),
                "role": consent.role.title if consent.role else None,
                "method": consent.get_method_display(),
                "given_at": consent.given_at,
                "withdrawn_at": consent.withdrawn_at,
                "expires_at": consent_expires_at(consent=consent),
                "state": consent_state(consent=consent),
                "notice_version": consent.notice_version,
                "notice_text": _notice_text(consent.notice_version),
                "note": consent.note,
            }
            for consent in consents
        ],
        "submissions": [
            {
                "role": submission.role.title,
                "client": submission.role.client.name,
                "stage": submission.get_stage_display(),
                "created_at": submission.created_at,
                "exit_reason": submission.exit_reason,
                "notes": submission.notes,
                "stage_history": [
                    {
                        "from": change.get_from_stage_display(),
                        "to": change.get_to_stage_display(),
                        "at": change.changed_at,
                        "note": change.note,
                    }
                    for change in submission.stage_changes.all()
                ],
            }
            for submission in submissions
        ],
        "placements": [
            {
                "role": placement.submission.role.title,
                "start_date": placement.start_date,
                "status": placement.get_status_display(),
                "agreed_salary": placement.agreed_salary,
                "agreed_day_rate": placement.agreed_day_rate,
                "currency": placement.currency,
                "guarantee_ends_on": placement.guarantee_ends_on,
                "ended_on": placement.ended_on,
            }
            for placement in placements
        ],
        "activities": [
            {"kind": a.get_kind_display(), "subject": a.subject, "body": a.body, "occurred_at": a.occurred_at}
            for a in Activity.objects.filter(Q(candidate=candidate) | Q(submission__candidate=candidate))
        ],
        "messages": [
            {"to": m.to_email, "subject": m.subject, "body": m.body, "status": m.status, "sent_at": m.sent_at}
            for m in Message.objects.filter(candidate=candidate)
        ],
        "history": [
            {key: value for key, value in row.items() if key not in ("history_user_id",)}
            for row in Candidate.history.filter(id=candidate.pk).values()  # type: ignore[attr-defined]
        ],
        "access_log": [
            {"action": entry.get_action_display(), "at": entry.at, "by": str(entry.user) if entry.user else None}
            for entry in AccessLog.objects.filter(candidate=candidate).select_related("user")
        ],
        "renewal_requests": [
            {"sent_at": r.sent_at, "outcome": r.get_outcome_display()}
            for r in RenewalRequest.objects.filter(candidate=candidate)
        ],
        "requests": [
            {"kind": r.get_kind_display(), "received_at": r.received_at, "due_on": r.due_on, "done_at": r.done_at}
            for r in PrivacyRequest.objects.filter(candidate=candidate)
        ],
        # Talent pools, and the automated ranking: every matches list they appeared in, with its score and reasons.
        **candidate_matching_record(candidate_id=candidate.pk),
    }


def candidate_export(*, candidate: Candidate, by=None) -> bytes:
    """The subject-access export: a ZIP with data.json and every CV file held (current and earlier versions).

    Every export is logged in the access log.
    """
    data = candidate_export_data(candidate=candidate)
    names = _cv_names(candidate)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False))
        for number, name in enumerate(names, start=1):
            if not default_storage.exists(name):
                continue
            with default_storage.open(name, "rb") as cv_file:
                archive.writestr(f"cv/{number}-{name.rsplit('/', 1)[-1]}", cv_file.read())
    access_log_record(user=by, action=AccessAction.EXPORTED, candidate=candidate)
    return buffer.getvalue()


def _cv_names(candidate: Candidate) -> list[str]:
    history = Candidate.history.filter(id=candidate.pk).values_list("cv", flat=True)  # type: ignore[attr-defined]
    versions = CandidateDocument.objects.filter(candidate=candidate).order_by("uploaded_at", "pk")
    names = [candidate.cv.name, *history, *versions.values_list("file", flat=True)]
    return [name for name in dict.fromkeys(names) if name]


def candidate_export_is_large(*, candidate: Candidate) -> bool:
    """Too big to build during a request: CV files over EXPORT_INLINE_MAX_BYTES, or more rows than
    EXPORT_INLINE_MAX_ROWS (history, activities, messages)."""
    rows = (
        Candidate.history.filter(id=candidate.pk).count()  # type: ignore[attr-defined]
        + Activity.objects.filter(Q(candidate=candidate) | Q(submission__candidate=candidate)).count()
        + Message.objects.filter(candidate=candidate).count()
    )
    if rows > settings.EXPORT_INLINE_MAX_ROWS:
        return True
    size = sum(default_storage.size(name) for name in _cv_names(candidate) if default_storage.exists(name))
    return size > settings.EXPORT_INLINE_MAX_BYTES


@transaction.atomic
def export_job_create(*, candidate: Candidate, by=None) -> ExportJob:
    """Record a large export to build; the caller hands `job.pk` to the build task after commit."""
    return ExportJob.objects.create(candidate=candidate, requested_by=by)


def export_job_build(*, job_id: int) -> bool:
    """The task's work: build the ZIP into private storage. Building a job twice stores one file."""
    job = ExportJob.objects.filter(pk=job_id, finished_at=None).select_related("candidate", "requested_by").first()
    if job is None or job.candidate is None:
        return False
    content = candidate_export(candidate=job.candidate, by=job.requested_by)
    name = default_storage.save(f"exports/{uuid.uuid4().hex}.zip", ContentFile(content))
    if not ExportJob.objects.filter(pk=job.pk, finished_at=None).update(file=name, finished_at=timezone.now()):
        default_storage.delete(name)
        return False
    return True


@transaction.atomic
def export_job_take(*, job: ExportJob) -> bytes | None:
    """The finished ZIP, exactly once (a conditional UPDATE claims it); its file is deleted after commit.
    None when it is still building or was already downloaded."""
    claimed = (
        ExportJob.objects.filter(pk=job.pk, downloaded_at=None)
        .exclude(finished_at=None)
        .update(downloaded_at=timezone.now())
    )
    if not claimed:
        return None
    job.refresh_from_db()
    with default_storage.open(job.file, "rb") as archive:
        content = archive.read()
    _delete_files_after_commit({job.file})
    return content


# ---- what people ask for through their self-service link -------------------------------------------------------


@transaction.atomic
def privacy_request_create(*, candidate: Candidate, kind: str) -> PrivacyRequest:
    """A copy or erasure request: a task for the data-protection owner, due in one month (the statutory
    deadline), announced to DPO_EMAIL through the outbox. Asking again while one is open returns that one."""
    if kind not in PrivacyRequestKind.values:
        raise ValidationError({"kind": "Ask for a copy or for erasure."})
    existing = PrivacyRequest.objects.filter(candidate=candidate, kind=kind, done_at=None).first()
    if existing is not None:
        return existing
    today = timezone.localdate()
    request = PrivacyRequest.objects.create(candidate=candidate, kind=kind, due_on=today + relativedelta(months=1))
    message_queue(
        to_email=settings.DPO_EMAIL,
        to_name="Data protection",
        subject=f"Data request: {request.get_kind_display().lower()} (candidate {candidate.pk}), due {request.due_on}",
        body=(
            f"A candidate asked through their self-service link for {request.get_kind_display().lower()}.\n"
            f"Candidate record: {settings.PUBLIC_BASE_URL}/admin/candidates/candidate/{candidate.pk}/change/\n"
            f"Statutory deadline: {request.due_on:%d %B %Y}.\n"
            f"Mark it done under Personal data > Privacy requests once answered."
        ),
    )
    return request


@transaction.atomic
def privacy_request_done(*, request: PrivacyRequest, by=None) -> None:
    PrivacyRequest.objects.filter(pk=request.pk, done_at=None).update(done_at=timezone.now(), done_by=by)


@transaction.atomic
def consent_renew(*, candidate: Candidate) -> Consent:
    """The person answered a renewal request (or chose to on their own): data-processing consent, given now."""
    consent = consent_record(
        candidate=candidate,
        purpose=ConsentPurpose.DATA_PROCESSING,
        method=ConsentMethod.EMAIL,
        notice_version=settings.PRIVACY_NOTICE_VERSION,
        note="Renewed through the self-service link.",
    )
    RenewalRequest.objects.filter(candidate=candidate, outcome=RenewalOutcome.PENDING).update(
        outcome=RenewalOutcome.RENEWED, resolved_at=timezone.now()
    )
    return consent


@transaction.atomic
def self_service_withdraw(*, candidate: Candidate, purposes: list[str]) -> int:
    withdrawn = consents_withdraw(
        candidate=candidate, purposes=purposes, note="Withdrawn through the self-service link."
    )
    if ConsentPurpose.DATA_PROCESSING in purposes:
        RenewalRequest.objects.filter(candidate=candidate, outcome=RenewalOutcome.PENDING).update(
            outcome=RenewalOutcome.DECLINED, resolved_at=timezone.now()
        )
    if ConsentPurpose.MARKETING in purposes:
        # Marketing stops at once: nothing already scheduled goes out.
        FollowUp.objects.filter(candidate=candidate, status=FollowUpStatus.PENDING, rule__key="reengage").update(
            status=FollowUpStatus.CANCELLED, note="Marketing consent withdrawn.", resolved_at=timezone.now()
        )
    return withdrawn


# ---- retention --------------------------------------------------------------------------------------------------


@dataclass
class RetentionPlan:
    """Who a run would ask to renew, and who it would anonymise (ids and names, for --dry-run)."""

    to_ask: list[tuple[int, str]] = field(default_factory=list)
    to_anonymise: list[tuple[int, str]] = field(default_factory=list)
    enquiries: int = 0
    intakes: int = 0
    access_log: int = 0


def _without_basis_soon(now: datetime.datetime) -> QuerySet[Candidate]:
    """No lawful basis left by the end of the answer period from now."""
    horizon = now + datetime.timedelta(days=settings.RETENTION_RENEWAL_ANSWER_DAYS)
    return candidates_without_lawful_basis(at=horizon, today=timezone.localdate(now))


def _ask_queryset(now: datetime.datetime) -> QuerySet[Candidate]:
    """Losing their lawful basis within the answer period, and not asked yet (nor declined)."""
    return _without_basis_soon(now).exclude(
        renewal_requests__outcome__in=[RenewalOutcome.PENDING, RenewalOutcome.DECLINED]
    )


def _anonymise_queryset(now: datetime.datetime) -> QuerySet[Candidate]:
    """No lawful basis now, and the renewal request went unanswered for the answer period (or they have no email,
    so there is nobody to ask)."""
    asked_before = now - datetime.timedelta(days=settings.RETENTION_RENEWAL_ANSWER_DAYS)
    unanswered = Q(renewal_requests__outcome=RenewalOutcome.PENDING, renewal_requests__sent_at__lte=asked_before)
    declined = Q(renewal_requests__outcome=RenewalOutcome.DECLINED)
    return candidates_without_lawful_basis(at=now, today=timezone.localdate(now)).filter(
        unanswered | declined | Q(email="")
    )


def _lead_querysets(now: datetime.datetime) -> tuple[QuerySet[Enquiry], QuerySet[Intake]]:
    lead_cutoff = now - relativedelta(months=settings.LEAD_RETENTION_MONTHS)
    spam_cutoff = now - datetime.timedelta(days=settings.SPAM_RETENTION_DAYS)
    expired = (Q(created_at__lt=lead_cutoff) & ~Q(status=TriageStatus.CONVERTED)) | Q(
        status=TriageStatus.SPAM, created_at__lt=spam_cutoff
    )
    return Enquiry.objects.filter(expired, client=None), Intake.objects.filter(expired, client=None)


def retention_plan(*, now: datetime.datetime | None = None) -> RetentionPlan:
    now = now or timezone.now()
    enquiries, intakes = _lead_querysets(now)
    anonymise = list(_anonymise_queryset(now).distinct().order_by("pk").values_list("pk", "name"))
    anonymise_ids = {pk for pk, _ in anonymise}
    ask = [
        row
        for row in _ask_queryset(now).exclude(email="").distinct().order_by("pk").values_list("pk", "name")
        if row[0] not in anonymise_ids
    ]
    access_cutoff = now - relativedelta(months=settings.ACCESS_LOG_MONTHS)
    return RetentionPlan(
        to_ask=ask,
        to_anonymise=anonymise,
        enquiries=enquiries.count(),
        intakes=intakes.count(),
        access_log=AccessLog.objects.filter(at__lt=access_cutoff).count(),
    )


RENEWAL_SUBJECT = "Shall we keep your details on file?"


def _renewal_send(candidate: Candidate) -> None:
    body = (
        f"Hello {candidate.name},\n\n"
        "We have not been in touch for a while, and the consent you gave us to hold your details will lapse soon. "
        "If you would like us to keep you in mind for roles, please confirm through the link below. If we do not "
        f"hear from you within {settings.RETENTION_RENEWAL_ANSWER_DAYS} days, we will anonymise your record.\n\n"
        "Sonitec"
    )
    message = message_queue(
        to_email=candidate.email,
        to_name=candidate.name,
        subject=RENEWAL_SUBJECT,
        body=body + candidate_email_footer(candidate=candidate),
        candidate=candidate,
    )
    RenewalRequest.objects.create(candidate=candidate, message=message)


def _in_batches(
    queryset_for: Callable[[], QuerySet[Candidate]], action: Callable[[Candidate], object], batch_size: int
) -> int:
    """Apply `action` to every row of the queryset, a batch per transaction. Rows another run holds are skipped
    (SKIP LOCKED), and each row is re-checked under its lock, so two runs at once never act twice on a person."""
    done = 0
    last = 0
    while True:
        with transaction.atomic():
            ids = list(
                queryset_for().filter(pk__gt=last).order_by("pk").values_list("pk", flat=True).distinct()[:batch_size]
            )
            if not ids:
                return done
            last = ids[-1]
            locked = (
                Candidate.objects.filter(pk__in=ids).select_for_update(skip_locked=True).values_list("pk", flat=True)
            )
            still_due = set(queryset_for().filter(pk__in=list(locked)).values_list("pk", flat=True))
            for candidate in Candidate.objects.filter(pk__in=still_due).order_by("pk"):
                action(candidate)
                done += 1


def retention_run(*, now: datetime.datetime | None = None, batch_size: int | None = None) -> RetentionRun:
    """The daily retention run (also `manage.py retention`): idempotent, batched, safe to run twice at once.

    1. Anonymise people with no lawful basis whose renewal request went unanswered for the answer period.
    2. Send a renewal request (once) to people about to lose their lawful basis.
    3. Purge enquiries and intakes that never became clients after their period, and spam sooner.
    4. Drop access-log entries older than ACCESS_LOG_MONTHS.
    The counts are recorded on a RetentionRun row.
    """
    now = now or timezone.now()
    batch_size = batch_size or settings.RETENTION_BATCH_SIZE
    run = RetentionRun.objects.create(started_at=now)
    run.candidates_anonymised = _in_batches(
        lambda: _anonymise_queryset(now), lambda candidate: candidate_anonymise(candidate=candidate), batch_size
    )
    run.renewal_requests_sent = _in_batches(lambda: _ask_queryset(now).exclude(email=""), _renewal_send, batch_size)
    with transaction.atomic():
        enquiries, intakes = _lead_querysets(now)
        for queryset, kind in ((enquiries, "enquiry"), (intakes, "intake")):
            ids = list(queryset.select_for_update(skip_locked=True).values_list("pk", flat=True))
            _erase_messages(Message.objects.filter(**{f"{kind}_id__in": ids}))
            deleted = queryset.model.objects.filter(pk__in=ids).delete()[1].get(queryset.model._meta.label, 0)
            setattr(run, "enquiries_purged" if kind == "enquiry" else "intakes_purged", deleted)
        run.access_log_purged = AccessLog.objects.filter(
            at__lt=now - relativedelta(months=settings.ACCESS_LOG_MONTHS)
        ).delete()[0]
    # People asked earlier who regained a lawful basis (new contact, new consent): their request is answered.
    RenewalRequest.objects.filter(outcome=RenewalOutcome.PENDING).exclude(
        candidate__in=_without_basis_soon(now)
    ).update(outcome=RenewalOutcome.CONTACTED, resolved_at=now)
    run.finished_at = timezone.now()
    run.save()
    logger.info(
        "Retention run: %s renewal requests, %s anonymised, %s enquiries and %s intakes purged.",
        run.renewal_requests_sent,
        run.candidates_anonymised,
        run.enquiries_purged,
        run.intakes_purged,
    )
    return run
