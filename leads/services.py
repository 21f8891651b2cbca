"""Rules about the public site's enquiries and intakes: storing them, recommending, converting, triage."""

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from assessments.selectors import budget_guide, budget_guide_text
from clients.models import Client, ClientStatus
from clients.services import client_match, contact_find_or_create
from roles.models import Pillar, Role, RoleStatus, Seniority
from sonitec import events
from sonitec.normalise import clean_display_name, domain_from_url, normalise_phone

from .models import Enquiry, Intake, IntakePillarNeed, TriageStatus
from .recommendation import QUESTIONS, Signals, recommend_pillars

# --- Public site: enquiries and intakes, and their triage ---------------------------------------------------------

MESSAGE_MAX_CHARS = 5000
NOTES_MAX_CHARS = 2000
HEADCOUNT_MAX = 50


def _consent_required(consent: bool) -> None:
    if not consent:
        raise ValidationError({"consent": "Please agree to be contacted as described in the privacy notice."})


def _normalised_phone(phone: str, field: str) -> str:
    try:
        return normalise_phone(phone)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from error


@transaction.atomic
def enquiry_create(
    *,
    name: str,
    email: str,
    message: str,
    consent: bool,
    consent_notice_version: str,
    company: str = "",
    phone: str = "",
    topic: str = Enquiry.Topic.HIRING,
    spam: bool = False,
) -> Enquiry:
    """Store a contact-form message. Invalid input raises ValidationError and stores nothing.

    `spam` (the form's honeypot was filled): stored marked as spam for an administrator to look at, and nothing
    follows from it: no acknowledgement, no follow-up, no match to contacts."""
    _consent_required(consent)
    if len(message) > MESSAGE_MAX_CHARS:
        raise ValidationError({"message": f"Please keep the message under {MESSAGE_MAX_CHARS} characters."})
    enquiry = Enquiry(
        name=clean_display_name(name),
        email=email.strip().lower(),
        company=company.strip(),
        phone=_normalised_phone(phone, "phone"),
        topic=topic,
        message=message.strip(),
        consent_at=timezone.now(),
        consent_notice_version=consent_notice_version,
        status=TriageStatus.SPAM if spam else TriageStatus.NEW,
    )
    enquiry.full_clean(exclude=["client", "contact"])
    enquiry.save()
    if not spam:
        events.enquiry_received(enquiry)
    return enquiry


def intake_recommend(
    *, answers: Mapping[str, str], needs_on_device: bool = False, regulated_sector: bool = False
) -> list[dict[str, str]]:
    """The pillars an intake most likely needs, each with its reason (the rules are in clients/recommendation.py)."""
    signals = Signals(answers=answers, needs_on_device=needs_on_device, regulated_sector=regulated_sector)
    return recommend_pillars(signals=signals, pillars=Pillar.objects.all())


def _clean_answers(answers: Mapping[str, str]) -> dict[str, str]:
    cleaned = {}
    for question, value in answers.items():
        if question not in QUESTIONS:
            raise ValidationError({question: "Unknown question."})
        if value and value not in dict(QUESTIONS[question]["choices"]):
            raise ValidationError({question: "Select one of the offered answers."})
        if value:
            cleaned[question] = value
    return cleaned


@transaction.atomic
def intake_create(
    *,
    company_name: str,
    contact_name: str,
    contact_email: str,
    consent: bool,
    consent_notice_version: str,
    answers: Mapping[str, str],
    pillar_needs: Iterable[Mapping[str, Any]] = (),
    website: str = "",
    industry: str = "other",
    size: str = "",
    location: str = "",
    contact_phone: str = "",
    contact_job_title: str = "",
    timeline: str = "",
    budget: str = "",
    needs_on_device: bool = False,
    regulated_sector: bool = False,
    security_clearance_needed: bool = False,
    notes: str = "",
    spam: bool = False,
) -> Intake:
    """Store a hiring-need intake with the pillars it asks for and the recommendation shown to the visitor.
    `spam`: as for enquiry_create, stored marked as spam and nothing follows.

    pillar_needs: [{"pillar": Pillar, "headcount": int, "seniority": str}], one per pillar.
    """
    _consent_required(consent)
    if len(notes) > NOTES_MAX_CHARS:
        raise ValidationError({"notes": f"Please keep this under {NOTES_MAX_CHARS} characters."})
    answers = _clean_answers(answers)
    intake = Intake(
        company_name=clean_display_name(company_name),
        website=website.strip(),
        industry=industry,
        size=size,
        location=location.strip(),
        contact_name=clean_display_name(contact_name),
        contact_email=contact_email.strip().lower(),
        contact_phone=_normalised_phone(contact_phone, "contact_phone"),
        contact_job_title=contact_job_title.strip(),
        timeline=timeline,
        budget=budget,
        needs_on_device=needs_on_device,
        regulated_sector=regulated_sector,
        security_clearance_needed=security_clearance_needed,
        answers=answers,
        notes=notes.strip(),
        recommendation=intake_recommend(
            answers=answers, needs_on_device=needs_on_device, regulated_sector=regulated_sector
        ),
        consent_at=timezone.now(),
        consent_notice_version=consent_notice_version,
        status=TriageStatus.SPAM if spam else TriageStatus.NEW,
    )
    intake.full_clean(exclude=["client", "contact"])
    needs = []
    seen = set()
    for need in pillar_needs:
        pillar = need["pillar"]
        if pillar.pk in seen:
            raise ValidationError({"pillar_needs": f"{pillar} is listed twice."})
        seen.add(pillar.pk)
        if not 1 <= int(need["headcount"]) <= HEADCOUNT_MAX:
            raise ValidationError({"pillar_needs": f"Headcount for {pillar} must be between 1 and {HEADCOUNT_MAX}."})
        needs.append(IntakePillarNeed(pillar=pillar, headcount=int(need["headcount"]), seniority=need["seniority"]))
    intake.save()
    for pillar_need in needs:
        pillar_need.intake = intake
        pillar_need.full_clean()
    IntakePillarNeed.objects.bulk_create(needs)
    if not spam:
        events.intake_received(intake)
    return intake


def _add_suggested_needs(intake: Intake) -> None:
    """The recommended pillars the client did not ask for become suggested needs (one person, at the seniority
    the client asked for most, else senior), so conversion drafts a role for each, marked as suggested."""
    asked = {need.pillar_id: need.seniority for need in intake.pillar_needs.all()}
    seniorities = [s for s in asked.values() if s]
    seniority = max(set(seniorities), key=seniorities.count) if seniorities else Seniority.SENIOR
    slugs = [item.get("pillar") for item in intake.recommendation or []]
    for pillar in Pillar.objects.filter(slug__in=slugs).exclude(pk__in=asked):
        IntakePillarNeed.objects.create(intake=intake, pillar=pillar, headcount=1, seniority=seniority, suggested=True)


@transaction.atomic
def intake_convert(*, intake: Intake, by=None) -> Intake:
    """Turn an intake into a Client (an existing one when the website domain or name matches), a Contact and a
    draft Role per requested pillar, plus one marked "Suggested" per recommended pillar the client did not ask
    for, each with the agency's pay-band guide in its internal notes; in one transaction. Idempotent: converting
    again creates nothing new."""
    intake = Intake.objects.select_for_update().get(pk=intake.pk)
    if intake.status == TriageStatus.SPAM:
        raise ValidationError("This intake is marked as spam; it cannot be converted.")
    client = intake.client or client_match(domain=domain_from_url(intake.website), name=intake.company_name)
    if client is None:
        client = Client.objects.create(
            name=intake.company_name,
            website=intake.website,
            industry=intake.industry,
            size=intake.size,
            location=intake.location,
            status=ClientStatus.LEAD,
            account_owner=by,
        )
    contact = intake.contact or contact_find_or_create(
        client=client,
        name=intake.contact_name,
        email=intake.contact_email,
        phone=intake.contact_phone,
        job_title=intake.contact_job_title,
    )
    _add_suggested_needs(intake)
    needs = list(intake.pillar_needs.select_related("pillar").filter(role__isnull=True))
    guides = {
        (guide.pillar.pk, guide.seniority): guide
        for guide in budget_guide(pillar_seniorities=[(need.pillar, need.seniority) for need in needs])
    }
    reasons = {item.get("pillar"): item.get("reason", "") for item in intake.recommendation or []}
    for need in needs:
        guide = guides[(need.pillar.pk, need.seniority)]
        notes = [budget_guide_text(guide)]
        if need.suggested:
            notes.insert(0, f"Suggested: the client did not ask for this pillar. {reasons.get(need.pillar.slug, '')}")
        need.role = Role.objects.create(
            client=client,
            hiring_contact=contact,
            pillar=need.pillar,
            title=f"{'Suggested: ' if need.suggested else ''}{Seniority(need.seniority).label} {need.pillar.name}",
            seniority=need.seniority,
            headcount=need.headcount,
            status=RoleStatus.DRAFT,
            owner=by,
            location=intake.location,
            security_clearance="sc" if intake.security_clearance_needed else "none",
            description=f"From the website intake of {intake.created_at:%d %b %Y}. Timeline: "
            f"{intake.timeline or 'not given'}; budget: {intake.budget or 'not given'}.",
            internal_notes="\n\n".join(note.strip() for note in notes),
        )
        need.save(update_fields=["role"])
    intake.client, intake.contact, intake.status = client, contact, TriageStatus.CONVERTED
    intake.save(update_fields=["client", "contact", "status"])
    return intake


@transaction.atomic
def enquiry_convert(*, enquiry: Enquiry, by=None) -> Enquiry:
    """Turn an enquiry into a Client (matched by the email's domain or the company name) and a Contact.
    Idempotent: converting again creates nothing new."""
    enquiry = Enquiry.objects.select_for_update().get(pk=enquiry.pk)
    if enquiry.status == TriageStatus.SPAM:
        raise ValidationError("This enquiry is marked as spam; it cannot be converted.")
    client = enquiry.client or client_match(domain=enquiry.email.rpartition("@")[2], name=enquiry.company)
    if client is None:
        if not enquiry.company.strip():
            raise ValidationError("This enquiry names no company: add the company name before converting.")
        client = Client.objects.create(name=enquiry.company.strip(), status=ClientStatus.LEAD, account_owner=by)
    contact = enquiry.contact or contact_find_or_create(
        client=client, name=enquiry.name, email=enquiry.email, phone=enquiry.phone
    )
    enquiry.client, enquiry.contact, enquiry.status = client, contact, TriageStatus.CONVERTED
    enquiry.save(update_fields=["client", "contact", "status"])
    return enquiry


def _triage_set_status(model, *, obj, status: str):
    obj = model.objects.select_for_update().get(pk=obj.pk)
    if obj.status == TriageStatus.CONVERTED and status != TriageStatus.CONVERTED:
        raise ValidationError(f"“{obj}” is already converted; its status cannot change.")
    obj.status = status
    obj.save(update_fields=["status"])
    return obj


@transaction.atomic
def enquiry_mark_spam(*, enquiry: Enquiry) -> Enquiry:
    return _triage_set_status(Enquiry, obj=enquiry, status=TriageStatus.SPAM)


@transaction.atomic
def enquiry_mark_in_progress(*, enquiry: Enquiry) -> Enquiry:
    return _triage_set_status(Enquiry, obj=enquiry, status=TriageStatus.IN_PROGRESS)


@transaction.atomic
def intake_mark_spam(*, intake: Intake) -> Intake:
    return _triage_set_status(Intake, obj=intake, status=TriageStatus.SPAM)


SPAM_KEPT_FOR = datetime.timedelta(days=30)


@transaction.atomic
def spam_purge(*, older_than: datetime.timedelta = SPAM_KEPT_FOR) -> int:
    """Periodic: delete enquiries and intakes marked spam (by the honeypot or by a recruiter) longer ago than
    `older_than`. Returns how many."""
    cutoff = timezone.now() - older_than
    enquiries, _ = Enquiry.objects.filter(status=TriageStatus.SPAM, created_at__lt=cutoff).delete()
    intakes, _ = Intake.objects.filter(status=TriageStatus.SPAM, created_at__lt=cutoff).delete()
    return enquiries + intakes


def application_caught_as_spam(
    *, role_title: str, name: str, email: str, consent: bool, consent_notice_version: str, details: Mapping[str, str]
) -> Enquiry:
    """An application whose honeypot was filled: kept as a spam enquiry (so a real applicant caught by a browser's
    autofill is not lost), without its CV: a file from a likely bot is not stored."""
    lines = [f"Application for {role_title}, caught by the spam trap; the CV was not kept."]
    lines += [f"{label}: {value}" for label, value in details.items() if value]
    return enquiry_create(
        name=name,
        email=email,
        message="\n".join(lines),
        consent=consent,
        consent_notice_version=consent_notice_version,
        topic=Enquiry.Topic.CAREER,
        spam=True,
    )


@transaction.atomic
def intake_mark_in_progress(*, intake: Intake) -> Intake:
    return _triage_set_status(Intake, obj=intake, status=TriageStatus.IN_PROGRESS)
