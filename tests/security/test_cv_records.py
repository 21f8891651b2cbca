"""An application never replaces what recruiters hold: every CV is a kept version, a recruiter picks the current one.
Active content in CVs is refused by parsing the file; files that lost their transaction are swept."""

import os
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import TestCase
from django.urls import reverse
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from candidates.models import Candidate, CandidateDocument
from candidates.services import candidate_cv_receive, cv_orphans_sweep, cv_validate
from pipelines.models import Activity
from tests.documents import PDF_BYTES, docx_bytes, embedded_file_names, javascript_action, pdf_bytes
from tests.factories import CandidateFactory, RoleFactory

pytestmark = pytest.mark.django_db

BODY = {"name": "Ada", "consent": True, "consent_notice_version": "2026-01"}


def apply(client, role, email, cv_bytes, name="cv.pdf", **fields):
    data = {
        "name": fields.get("name", "Alan Turing"),
        "email": email,
        "phone": "",
        "consent": "on",
        "cv": SimpleUploadedFile(name, cv_bytes, content_type="application/pdf"),
    }
    with TestCase.captureOnCommitCallbacks(execute=True):  # a committed upload is promoted to its final name
        return client.post(reverse("public:job_apply", args=[role.slug]), data)


@pytest.fixture
def role():
    return RoleFactory(published_on_job_board=True, title="Senior ML Engineer")


@pytest.fixture
def known(recruiter):
    candidate = CandidateFactory(name="Recorded Name", email="known@example.org", notes="recruiter notes")
    original = pdf_bytes(catalog_extra={"/Lang": TextStringObject("en-GB")})  # differs from PDF_BYTES
    with TestCase.captureOnCommitCallbacks(execute=True):
        upload = SimpleUploadedFile("recruiter.pdf", original)
        candidate_cv_receive(candidate=candidate, upload=upload, source="sourced")
    candidate.refresh_from_db()
    return candidate


def test_an_application_with_a_known_email_keeps_the_current_cv_and_adds_a_version(client, role, known):
    current = known.cv.name
    response = apply(client, role, "KNOWN@example.org", PDF_BYTES, name="hacked.pdf")
    assert response.status_code == 302
    known.refresh_from_db()
    assert known.cv.name == current and known.cv_original_name == "recruiter.pdf"
    assert known.name == "Recorded Name" and known.notes == "recruiter notes"
    versions = list(known.documents.order_by("uploaded_at", "id"))
    assert [v.original_name for v in versions] == ["recruiter.pdf", "hacked.pdf"]
    new = versions[1]
    assert (new.content_type, new.size, new.source) == ("application/pdf", len(PDF_BYTES), "job_board")
    assert len(new.sha256) == 64 and new.uploaded_at
    assert Activity.objects.filter(candidate=known, subject__startswith="New CV received").count() == 1


def test_the_same_file_sent_again_is_not_stored_twice(client, role, known):
    apply(client, role, known.email, PDF_BYTES)
    files_before = sorted(Path(settings.MEDIA_ROOT, "cvs").iterdir())
    apply(client, role, known.email, PDF_BYTES, name="again.pdf")
    assert known.documents.count() == 2
    assert sorted(Path(settings.MEDIA_ROOT, "cvs").iterdir()) == files_before


def test_a_partner_application_adds_a_version_and_never_replaces_the_current_cv(acme, known):
    current = known.cv.name
    cv = SimpleUploadedFile("partner.pdf", PDF_BYTES)
    response = acme.client.post("/api/v1/candidates/", {**BODY, "email": known.email, "cv": cv}, format="multipart")
    assert response.status_code == 201
    known.refresh_from_db()
    assert known.cv.name == current
    assert known.documents.filter(original_name="partner.pdf", source="partner").exists()
    assert Activity.objects.filter(candidate=known, subject__contains="partner Acme Jobs").exists()


def test_a_partner_application_fills_only_empty_fields_of_a_known_person(acme, known):
    body = {**BODY, "email": known.email, "name": "Hijacked", "phone": "+44 7700 900999", "current_title": "CEO"}
    before = Candidate.objects.get(pk=known.pk)
    assert acme.client.post("/api/v1/candidates/", body, format="json").status_code == 201
    known.refresh_from_db()
    assert (known.name, known.phone, known.notes) == ("Recorded Name", before.phone, "recruiter notes")


def test_a_first_cv_becomes_current(client, role):
    apply(client, role, "new@example.org", PDF_BYTES, name="mine.pdf")
    candidate = Candidate.objects.get(email="new@example.org")
    assert candidate.cv.name == candidate.documents.get().file.name
    assert not Activity.objects.filter(candidate=candidate, subject__startswith="New CV").exists()


def test_the_candidate_page_lists_versions_and_a_recruiter_makes_one_current(admin_client, client, role, known):
    apply(client, role, known.email, PDF_BYTES, name="newer.pdf")
    page = admin_client.get(reverse("admin:candidates_candidate_change", args=[known.pk])).content.decode()
    assert "CV versions" in page and "recruiter.pdf" in page and "newer.pdf" in page and "Make current" in page
    newer = known.documents.get(original_name="newer.pdf")
    url = reverse("admin:candidates_candidate_document_current", args=[known.pk, newer.pk])
    assert admin_client.get(url).status_code == 403  # a change happens only by POST
    assert admin_client.post(url).status_code == 302
    known.refresh_from_db()
    assert known.cv.name == newer.file.name and known.cv_original_name == "newer.pdf"


def _age(name: str, hours: float) -> None:
    path = default_storage.path(name)
    past = time.time() - hours * 3600
    os.utime(path, (past, past))


def test_orphan_sweep_removes_only_old_files_no_row_points_at(known):
    orphan = default_storage.save("cvs/orphan.pdf", ContentFile(b"%PDF-1.4 left behind"))
    young = default_storage.save("cvs/young.pdf", ContentFile(b"%PDF-1.4 being written"))
    _age(orphan, 2)
    _age(known.cv.name, 2)
    assert cv_orphans_sweep() == 1
    assert not default_storage.exists(orphan)
    assert default_storage.exists(young) and default_storage.exists(known.cv.name)


@pytest.mark.parametrize(
    "data",
    [
        pdf_bytes(catalog_extra={"/OpenAction": javascript_action()}),
        pdf_bytes(catalog_extra={"/Names": DictionaryObject({NameObject("/JavaScript"): DictionaryObject()})}),
        pdf_bytes(catalog_extra={"/Names": embedded_file_names()}),
        pdf_bytes(annotation_action={"/S": NameObject("/Launch"), "/F": TextStringObject("cmd.exe")}),
        pdf_bytes(annotation_action={"/S": NameObject("/JavaScript"), "/JS": TextStringObject("app.alert(1)")}),
    ],
    ids=["open-action-js", "names-javascript", "embedded-file", "launch-action", "annotation-js"],
)
def test_pdfs_with_active_content_are_refused(data):
    with pytest.raises(ValidationError) as refused:
        cv_validate(SimpleUploadedFile("cv.pdf", data))
    assert refused.value.code == "cv_active_content"


MACRO_TYPES = '<Types><Override ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>'
TEMPLATE_REL = (
    '<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/attachedTemplate" Target="http://evil.example/t.dotm" TargetMode="External"/></Relationships>'
)
HYPERLINK_REL = (
    '<Relationships><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/hyperlink" Target="https://www.linkedin.com/in/ada" TargetMode="External"/></Relationships>'
)


@pytest.mark.parametrize(
    "data",
    [
        docx_bytes({"word/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"}),
        docx_bytes(content_types=MACRO_TYPES),
        docx_bytes({"word/_rels/settings.xml.rels": TEMPLATE_REL}),
    ],
    ids=["vba-project", "macro-enabled-type", "external-template"],
)
def test_docx_with_macros_or_external_templates_is_refused(data):
    with pytest.raises(ValidationError) as refused:
        cv_validate(SimpleUploadedFile("cv.docx", data))
    assert refused.value.code == "cv_active_content"


def test_plain_pdf_and_docx_with_hyperlinks_are_accepted():
    assert cv_validate(SimpleUploadedFile("cv.pdf", PDF_BYTES)) == "pdf"
    assert cv_validate(SimpleUploadedFile("cv.docx", docx_bytes({"word/_rels/document.xml.rels": HYPERLINK_REL}))) == (
        "docx"
    )


def test_a_public_application_with_active_content_says_so_and_stores_nothing(client, role):
    response = apply(client, role, "eve@example.org", pdf_bytes(catalog_extra={"/OpenAction": javascript_action()}))
    assert response.status_code == 400
    assert "active content" in response.content.decode()
    assert not Candidate.objects.exists() and not CandidateDocument.objects.exists()


def test_the_orphan_sweep_runs_every_hour_and_expires_before_the_next_run():
    from sonitec.celery import app

    entry = app.conf.beat_schedule["sweep-cv-orphans"]
    assert entry["task"] == "candidates.sweep_cv_orphans" and entry["options"]["expire_seconds"] < entry["schedule"]


def media_files() -> list[str]:
    return sorted(str(p.relative_to(settings.MEDIA_ROOT)) for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file())


def test_a_cv_written_in_a_transaction_that_rolls_back_never_reaches_the_cv_area_and_is_swept():
    candidate = CandidateFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        candidate_cv_receive(candidate=candidate, upload=SimpleUploadedFile("cv.pdf", PDF_BYTES), source="sourced")
        raise RuntimeError("the worker died after writing the file")
    [pending] = media_files()
    assert pending.startswith("pending/")  # nothing in cvs/: no row could ever point at it
    _age(pending, 0.5)
    assert cv_orphans_sweep() == 0  # younger than an hour: its transaction may still be running
    _age(pending, 2)
    assert cv_orphans_sweep() == 1
    assert media_files() == []


def test_an_exception_after_writing_an_application_leaves_no_file(client, role, monkeypatch):
    def fails(**kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr("pipelines.services.submission_create", fails)
    with pytest.raises(RuntimeError):
        apply(client, role, "new@example.org", PDF_BYTES)
    assert media_files() == [] and not Candidate.objects.exists()


def test_a_committed_upload_is_moved_from_the_pending_area_to_its_final_name():
    candidate = CandidateFactory()
    with TestCase.captureOnCommitCallbacks(execute=False) as on_commit:
        document, _ = candidate_cv_receive(
            candidate=candidate, upload=SimpleUploadedFile("cv.pdf", PDF_BYTES), source="sourced"
        )
        assert media_files() == [f"pending/{document.file.name}"]  # not final before the row commits
    for callback in on_commit:
        callback()
    assert media_files() == [document.file.name] and document.file.name.startswith("cvs/")
    assert Path(settings.MEDIA_ROOT, document.file.name).read_bytes() == PDF_BYTES


def test_the_sweep_promotes_a_committed_cv_whose_move_was_lost():
    candidate = CandidateFactory()
    with TestCase.captureOnCommitCallbacks(execute=False):  # committed, then the process died before the move
        document, _ = candidate_cv_receive(
            candidate=candidate, upload=SimpleUploadedFile("cv.pdf", PDF_BYTES), source="sourced"
        )
    _age(f"pending/{document.file.name}", 2)
    assert cv_orphans_sweep() == 0
    assert media_files() == [document.file.name]
