"""Applying on the job board: one candidate per person, a consent with its notice version, a submission at
"sourced" from the job board, a private CV; hostile or bad input refused with nothing stored."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from candidates.models import Candidate, Consent, ConsentPurpose, Source
from pipelines.models import Stage, Submission
from roles.models import RoleStatus
from tests.factories import CandidateFactory, RoleFactory

from .conftest import PDF_BYTES, docx_bytes, upload, zip_bomb_bytes


def apply_url(role) -> str:
    return reverse("public:job_apply", args=[role.slug])


def valid(**overrides) -> dict:
    data = {
        "name": "Alan Turing",
        "email": "Alan.Turing@Mail.example",
        "phone": "+44 7700 900456",
        "linkedin_url": "https://www.linkedin.com/in/alan",
        "github_url": "https://github.com/alan",
        "consent": "on",
        "hp_sonitec_check": "",
        "cv": upload("Alan Turing CV.pdf", PDF_BYTES),
    }
    return {**data, **overrides}


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def assert_nothing_stored():
    assert Candidate.objects.count() == 0
    assert Consent.objects.count() == 0
    assert Submission.objects.count() == 0
    assert stored_files() == []


@pytest.mark.django_db
def test_an_application_creates_the_candidate_consent_cv_and_a_job_board_submission(
    client, published_role, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(apply_url(published_role), valid())

    assert response.status_code == 302
    assert "Thank you" in client.get(response["Location"]).content.decode()
    candidate = Candidate.objects.get()
    assert (candidate.email, candidate.phone, candidate.source) == (
        "alan.turing@mail.example",
        "+447700900456",
        Source.JOB_BOARD,
    )
    consent = candidate.consents.get()
    assert consent.purpose == ConsentPurpose.DATA_PROCESSING
    assert consent.notice_version == settings.PRIVACY_NOTICE_VERSION
    submission = Submission.objects.get()
    assert (submission.role, submission.stage, submission.source) == (published_role, Stage.SOURCED, Source.JOB_BOARD)
    assert submission.stage_changes.count() == 1
    # The CV is stored under a name the server chose, inside private media, and remembers the visitor's name.
    assert candidate.cv_original_name == "Alan Turing CV.pdf"
    assert candidate.cv.name.startswith("cvs/") and "Alan" not in candidate.cv.name
    assert candidate.cv.name.endswith(".pdf")
    assert Path(settings.MEDIA_ROOT, candidate.cv.name).read_bytes() == PDF_BYTES


@pytest.mark.django_db
def test_a_docx_cv_is_accepted(client, published_role):
    response = client.post(apply_url(published_role), valid(cv=upload("cv.docx", docx_bytes(), "application/zip")))
    assert response.status_code == 302
    assert Candidate.objects.get().cv.name.endswith(".docx")


@pytest.mark.django_db
def test_the_same_email_in_any_letter_case_is_the_same_candidate_and_recruiters_data_is_not_overwritten(
    client, published_role
):
    existing = CandidateFactory(email="alan.turing@mail.example", name="Alan M. Turing", phone="+447700900999")
    other_role = RoleFactory(published_on_job_board=True, title="MLOps Engineer")

    client.post(apply_url(published_role), valid(email="ALAN.TURING@mail.EXAMPLE", cv=upload("a.pdf", PDF_BYTES)))
    client.post(apply_url(other_role), valid(cv=upload("b.pdf", PDF_BYTES)))

    assert Candidate.objects.count() == 1
    existing.refresh_from_db()
    assert (existing.name, existing.phone) == ("Alan M. Turing", "+447700900999")  # what recruiters hold stays
    assert existing.linkedin_url == "https://www.linkedin.com/in/alan"  # empty fields are filled in
    assert set(Submission.objects.values_list("role", flat=True)) == {published_role.pk, other_role.pk}


@pytest.mark.django_db
def test_applying_twice_to_a_role_looks_the_same_and_adds_only_the_new_consent(client, published_role):
    first = client.post(apply_url(published_role), valid(cv=upload("a.pdf", PDF_BYTES)))
    second = client.post(apply_url(published_role), valid(cv=upload("b.pdf", PDF_BYTES)))

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Submission.objects.count() == 1
    assert Consent.objects.count() == 2


@pytest.mark.django_db
def test_an_existing_candidate_learns_nothing_from_the_response(client, published_role):
    fresh = client.post(apply_url(published_role), valid(email="new@mail.example"))
    CandidateFactory(email="known@mail.example")
    known = client.post(apply_url(published_role), valid(email="known@mail.example"))

    assert (fresh.status_code, fresh["Location"]) == (known.status_code, known["Location"])
    assert client.get(fresh["Location"]).content == client.get(known["Location"]).content


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "status", "message"),
    [
        ({"email": "alan@@mail"}, 400, "Enter a valid email address."),
        ({"consent": ""}, 400, "Please agree to the processing of your data to apply."),
        ({"name": "n" * 201}, 400, "at most 200 characters"),
        ({"linkedin_url": "https://evil.example/in/alan"}, 400, "Enter a linkedin.com address."),
        ({"cv": ""}, 400, "This field is required."),
        ({"cv": "fake"}, 400, "The CV must be a PDF or a Word (.docx) document."),
        ({"cv": "exe"}, 400, "The CV must be a PDF or a Word (.docx) document."),
        ({"cv": "zip"}, 400, "The CV must be a PDF or a Word (.docx) document."),
        ({"cv": "6mb"}, 400, "The CV must be 5 MB or smaller."),
        ({"cv": "bomb"}, 400, "The CV file is malformed (it unpacks to too much data)."),
        ({"cv": "11mb"}, 413, "Upload too large"),
    ],
    ids=[
        "bad-email",
        "no-consent",
        "oversized-name",
        "not-linkedin",
        "no-cv",
        "pdf-that-is-not-a-pdf",
        "exe-named-pdf",
        "plain-zip-named-docx",
        "6mb-pdf",
        "zip-bomb-named-docx",
        "11mb-request",
    ],
)
def test_bad_applications_are_refused_with_a_clear_message_and_store_nothing(
    client, published_role, overrides, status, message
):
    cvs = {
        "": None,
        "fake": upload("cv.pdf", b"This is plain text pretending to be a PDF."),
        "exe": upload("cv.pdf", b"MZ\x90\x00" + b"\0" * 100),
        "zip": upload("cv.docx", _plain_zip()),
        "6mb": upload("cv.pdf", PDF_BYTES + b"0" * (6 * 1024 * 1024)),
        "bomb": upload("cv.docx", zip_bomb_bytes()),
        "11mb": upload("cv.pdf", PDF_BYTES + b"0" * (11 * 1024 * 1024)),
    }
    if "cv" in overrides:
        overrides = {**overrides, "cv": cvs[overrides["cv"]]}
    data = valid(**overrides)
    if data["cv"] is None:
        del data["cv"]

    response = client.post(apply_url(published_role), data)

    assert response.status_code == status
    assert message in response.content.decode()
    if status == 400:
        assert 'value="Alan Turing"' in response.content.decode() or overrides.get("name")
    assert_nothing_stored()


def _plain_zip() -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "not a word document")
    return buffer.getvalue()


@pytest.mark.django_db
def test_applications_are_rate_limited_per_address(client, published_role):
    for _ in range(5):
        client.post(apply_url(published_role), valid(consent=""))
    response = client.post(apply_url(published_role), valid())
    assert response.status_code == 429
    assert_nothing_stored()


@pytest.mark.django_db
def test_the_apply_form_is_csrf_protected(published_role):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(apply_url(published_role), valid())
    assert response.status_code == 403
    assert_nothing_stored()


@pytest.mark.django_db
@pytest.mark.parametrize("change", [{"status": RoleStatus.DRAFT}, {"published_on_job_board": False}])
def test_roles_that_are_not_open_and_published_cannot_be_seen_or_applied_to(client, change):
    role = RoleFactory(**{"status": RoleStatus.OPEN, "published_on_job_board": True, **change})
    assert client.get(reverse("public:job_detail", args=[role.slug])).status_code == 404
    assert client.post(apply_url(role), valid()).status_code == 404
    assert_nothing_stored()


@pytest.mark.django_db
def test_a_cv_stored_in_a_transaction_that_rolls_back_is_removed(published_role, monkeypatch):
    from pipelines import services

    def fail(submission):
        raise RuntimeError("a reaction failed after the CV was stored")

    monkeypatch.setattr("sonitec.events.application_received", fail)
    with pytest.raises(RuntimeError):
        services.candidate_apply(
            role=published_role,
            name="Alan",
            email="alan@mail.example",
            consent=True,
            notice_version="v1",
            cv=upload("cv.pdf", PDF_BYTES),
        )
    assert_nothing_stored()
