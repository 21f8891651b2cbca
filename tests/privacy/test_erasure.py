"""Erasure by anonymisation: a person filled in through every path is gone from every table and from storage,
while submissions, stage history and placements stay, so fee and funnel figures do not change."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from candidates.models import Candidate, ConsentMethod
from candidates.selectors import CandidateSearch, candidate_search
from clients.models import Contact
from leads.services import enquiry_create
from messaging.followups import followups_dispatch_due
from messaging.models import Message
from pipelines.models import Activity, ActivityKind, Placement, Stage, StageChange, Submission
from pipelines.selectors import dashboard_build
from pipelines.services import activity_log, consent_record_representation, submission_move
from privacy.models import AccessAction, AccessLog
from privacy.services import candidate_anonymise
from tests.api.conftest import make_partner
from tests.documents import pdf_bytes
from tests.factories import CandidateFactory, ClientFactory, ContactFactory, RoleFactory, UserFactory

NAME = "Augusta Lovelace"
EMAIL = "augusta.lovelace@analytical.example"
OLD_PHONE = "+447700900111"
NEW_PHONE = "+447700900222"
CV_SECRET = "DIFFERENCE-ENGINE-NOTES-7731"
PDF = pdf_bytes(title=CV_SECRET)
TRACES = [
    NAME.lower(),
    "augusta",
    "lovelace",
    "lovelac",  # the search's stem of it (the misspelt-name vocabulary keeps name words as lexemes)
    EMAIL,
    OLD_PHONE,
    NEW_PHONE,
    "7700900111",
    "7700900222",
    CV_SECRET.lower(),
    "github.com/augusta",
]


def every_text_value() -> list[tuple[str, str]]:
    """(table, value) for every value of every column of every table, as text."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608  (table names from the schema itself)
            for row in cursor.fetchall():
                for value in row:
                    if value is not None:
                        text = bytes(value).decode("latin-1") if isinstance(value, bytes | memoryview) else str(value)
                        found.append((table, text.lower()))
    return found


def traces_left() -> list[tuple[str, str]]:
    return [(table, trace) for table, text in every_text_value() for trace in TRACES if trace in text]


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def fee_and_funnel():
    dashboard = dashboard_build()
    return (
        Placement.objects.aggregate(total=Sum("fee_amount"))["total"],
        [(p.pillar.slug, p.reached, p.current) for p in dashboard.pillars],
        [(m.month, m.placements, m.fees) for m in dashboard.months],
        Submission.objects.count(),
        StageChange.objects.count(),
    )


@pytest.fixture
def person(db, client, job, manager, settings, django_capture_on_commit_callbacks):
    """One person, arriving through every path the agency has."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    recruiter = UserFactory(username="rita")
    # 1. The public job board, with a CV.
    cv = SimpleUploadedFile("Augusta Lovelace CV.pdf", PDF, content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):  # the CV is promoted on commit
        response = client.post(
            reverse("public:job_apply", args=[job.slug]),
            {
                "name": NAME,
                "email": EMAIL.upper(),
                "phone": "+44 7700 900111",
                "consent": "on",
                "hp_sonitec_check": "",
                "github_url": "https://github.com/augusta",
                "cv": cv,
            },
        )
    assert response.status_code == 302
    candidate = Candidate.objects.get(email=EMAIL)
    # 2. A partner's API, for another role, with a second CV version.
    other_role = RoleFactory(title="Research Engineer", status="open", partner_visibility="all", client=job.client)
    partner = make_partner("Acme Jobs")
    with django_capture_on_commit_callbacks(execute=True):
        answer = partner.client.post(
            "/api/v1/candidates/",
            {
                "email": EMAIL,
                "name": NAME,
                "phone": "07700 900111",
                "consent_notice_version": "2026-01",
                "role_ids": [other_role.pk],
                "consent": "true",
                "cv": SimpleUploadedFile("cv.pdf", pdf_bytes(title=CV_SECRET + " v2")),
            },
            format="multipart",
            HTTP_IDEMPOTENCY_KEY="k-1",
        )
    assert answer.status_code == 201, answer.content
    # 3. Recruiters' edits (audit history keeps the old phone), notes, activities.
    candidate.refresh_from_db()
    candidate.phone = NEW_PHONE
    candidate.notes = f"{NAME} prefers remote; call on {NEW_PHONE}."
    candidate.current_company = "Analytical Engines Ltd"
    candidate.save()
    submission = Submission.objects.get(candidate=candidate, role=job)
    submission.notes = f"{NAME} is strong on inference."
    submission.save()
    activity_log(
        author=recruiter,
        kind=ActivityKind.CALL,
        subject=f"Call with {NAME}",
        body=f"Reach at {EMAIL}",
        candidate=candidate,
    )
    activity_log(author=recruiter, kind=ActivityKind.NOTE, body=f"{NAME} sent portfolio", submission=submission)
    # 4. The pipeline up to a placement, with representation consent and stage notes.
    consent_record_representation(
        submission=submission, method=ConsentMethod.PHONE, by=recruiter, note=f"{NAME} agreed by phone"
    )
    for stage in [Stage.SCREENED, Stage.SHORTLISTED, Stage.SUBMITTED, Stage.INTERVIEW, Stage.OFFER]:
        submission_move(submission=submission, to_stage=stage, by=recruiter, note=f"{NAME}: on to {stage}")
    submission_move(
        submission=submission,
        to_stage=Stage.PLACED,
        by=recruiter,
        start_date=timezone.localdate(),
        agreed_salary=Decimal("90000"),
    )
    # 5. A contact-form enquiry from the same address.
    enquiry_create(
        name=NAME,
        email=EMAIL,
        message=f"Hello, this is {NAME}.",
        consent=True,
        consent_notice_version="2026-01",
        topic="career",
    )
    # 6. Messages: every follow-up due within a year goes out (acknowledgements, nudges, check-ins).
    followups_dispatch_due(now=timezone.now() + datetime.timedelta(days=365))
    # 7. The admin: a manager views the page and downloads the CV.
    client.force_login(manager)
    assert client.get(reverse("admin:candidates_candidate_change", args=[candidate.pk])).status_code == 200
    assert client.get(reverse("admin:candidates_candidate_cv", args=[candidate.pk])).status_code == 200
    client.logout()
    assert Message.objects.filter(to_email=EMAIL).exists()
    assert traces_left() and stored_files()
    return candidate


@pytest.mark.django_db
def test_erasure_leaves_no_trace_of_the_person_but_keeps_fees_and_funnel(
    person, manager, django_capture_on_commit_callbacks
):
    before = fee_and_funnel()
    api = APIClient()
    api.force_login(manager)

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/api/v1/staff/candidates/{person.pk}/erase/")

    assert response.status_code == 200, response.content
    assert traces_left() == []
    assert stored_files() == []
    assert fee_and_funnel() == before
    person.refresh_from_db()
    assert person.anonymised_at is not None
    assert person.name == f"Anonymised candidate {person.pk}"
    assert Placement.objects.filter(submission__candidate=person).count() == 1
    assert AccessLog.objects.filter(candidate=person, action=AccessAction.ERASED, user=manager).exists()


@pytest.mark.django_db
def test_erasing_twice_changes_nothing_more(person, manager):
    api = APIClient()
    api.force_login(manager)
    first = api.post(f"/api/v1/staff/candidates/{person.pk}/erase/").json()
    second = api.post(f"/api/v1/staff/candidates/{person.pk}/erase/").json()
    assert first == second


@pytest.mark.django_db
def test_erasing_needs_its_own_permission(person, recruiter_only):
    api = APIClient()
    api.force_login(recruiter_only)
    assert api.post(f"/api/v1/staff/candidates/{person.pk}/erase/").status_code == 403
    assert Candidate.objects.get(pk=person.pk).anonymised_at is None
    assert APIClient().post(f"/api/v1/staff/candidates/{person.pk}/erase/").status_code in (401, 403)


@pytest.mark.django_db
def test_the_admin_action_asks_for_confirmation_then_erases(admin_client, django_capture_on_commit_callbacks):
    candidate = Candidate.objects.create(name=NAME, email=EMAIL, phone=OLD_PHONE)
    url = reverse("admin:candidates_candidate_changelist")
    data = {"action": "erase_personal_data", "_selected_action": [candidate.pk]}

    page = admin_client.post(url, data)

    assert page.status_code == 200 and "cannot be undone" in page.content.decode()
    assert Candidate.objects.get(pk=candidate.pk).anonymised_at is None
    admin_client.post(url, {**data, "confirm": "erase"})
    assert Candidate.objects.get(pk=candidate.pk).anonymised_at is not None
    assert traces_left() == []


@pytest.mark.django_db
def test_a_client_contact_is_erased_the_same_way(admin_client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    client_company = ClientFactory(name="Babbage Industries")
    contact = ContactFactory(client=client_company, name=NAME, email=EMAIL, phone=OLD_PHONE, job_title="CTO")
    contact.phone = NEW_PHONE
    contact.save()  # the history keeps the old phone
    role = RoleFactory(client=client_company, hiring_contact=contact)
    Activity.objects.create(kind=ActivityKind.CALL, subject=f"Call with {NAME}", body=EMAIL, contact=contact)
    Message.objects.create(to_email=EMAIL, to_name=NAME, subject=f"For {NAME}", body=f"Dear {NAME}", contact=contact)
    enquiry_create(name=NAME, email=EMAIL, message="We are hiring.", consent=True, consent_notice_version="2026-01")
    url = reverse("admin:clients_contact_changelist")

    admin_client.post(url, {"action": "erase_personal_data", "_selected_action": [contact.pk], "confirm": "erase"})

    contact.refresh_from_db()
    assert contact.anonymised_at is not None and contact.do_not_contact
    assert traces_left() == []
    role.refresh_from_db()
    assert role.hiring_contact == contact and Contact.objects.filter(client=client_company).count() == 1


@pytest.mark.postgres
def test_erasure_forgets_name_words_only_the_person_had(db):
    """The misspelt-name vocabulary loses the erased person's rare surname but keeps a first name others share,
    so "Zenobi Smith" still finds Zenobia Smith."""
    erased = CandidateFactory(name="Zenobia Quartermaine")
    CandidateFactory(name="Zenobia Smith")
    candidate_anonymise(candidate=erased)
    with connection.cursor() as cursor:
        cursor.execute("SELECT word FROM candidate_name_word WHERE word LIKE 'zenobia%%' OR word LIKE 'quarter%%'")
        assert [word for (word,) in cursor.fetchall()] == ["zenobia"]
    assert [c.name for c in candidate_search(params=CandidateSearch(q="Zenobi Smith"))] == ["Zenobia Smith"]
