"""CV text: read from PDF and DOCX after the upload commits, bounded, searchable, back-filled, never for partners."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from docx import Document
from rest_framework.test import APIClient

from candidates import cv_text
from candidates.api.serializers import PartnerCandidateReceiptSerializer
from candidates.models import CandidateCvText
from candidates.selectors import CandidateSearch, candidate_search
from candidates.services import _cv_promote, candidate_cv_receive
from candidates.tasks import cv_text_extract_task
from pipelines.api.serializers import PartnerSubmissionSerializer
from tests.factories import CandidateFactory


@pytest.fixture(autouse=True)
def _tasks_run_in_process():
    # With REDIS_URL set the task would go to a broker no worker reads in tests: run it in-process instead.
    conf = cv_text_extract_task.app.conf
    before = conf.task_always_eager
    conf.task_always_eager = True
    yield
    conf.task_always_eager = before


def pdf_with_text(text: str) -> bytes:
    """A small, valid one-page PDF showing `text`."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def docx_with_text(*paragraphs: str) -> bytes:
    document = Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def found(q: str) -> list[str]:
    return [c.name for c in candidate_search(params=CandidateSearch(q=q))]


@pytest.mark.parametrize(
    "data,name",
    [
        (pdf_with_text("Quadcopter autopilot firmware"), "cv.pdf"),
        (docx_with_text("Quadcopter autopilot firmware"), "cv.docx"),
    ],
)
def test_an_uploaded_cv_becomes_searchable_after_commit(db, django_capture_on_commit_callbacks, data, name):
    person = CandidateFactory(name="Ada Quill")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        candidate_cv_receive(candidate=person, upload=SimpleUploadedFile(name, data), source="sourced")
    assert not CandidateCvText.objects.exists()  # nothing is read before the upload commits
    for callback in callbacks:
        callback()
    stored = CandidateCvText.objects.get(candidate=person)
    assert "Quadcopter autopilot firmware" in stored.text and not stored.error
    assert found("quadcopter") == ["Ada Quill"]


def test_reading_is_bounded(db, monkeypatch):
    monkeypatch.setattr(cv_text, "CV_TEXT_MAX_CHARS", 50)
    text, truncated = cv_text.cv_text_read(docx_with_text("word " * 100))
    assert truncated and len(text) <= 50


def test_an_unreadable_file_is_recorded_not_raised(db):
    # Uploads are parsed before they are stored, so a file that cannot be read is one damaged on disk later.
    person = CandidateFactory()
    person.cv.save("cv.pdf", ContentFile(b"%PDF-1.4 broken"))
    cv_text.cv_text_extract(candidate_id=person.pk)
    stored = CandidateCvText.objects.get(candidate=person)
    assert stored.text == "" and stored.error


def test_backfill_reads_cvs_without_text(db, django_capture_on_commit_callbacks):
    person = CandidateFactory(name="Bo Backfill")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        candidate_cv_receive(
            candidate=person, upload=SimpleUploadedFile("cv.docx", docx_with_text("Lidar fusion")), source="sourced"
        )
    for callback in callbacks:  # the file is promoted as on commit; its text is left for the backfill
        if getattr(callback, "func", None) is _cv_promote:
            callback()
    out = io.StringIO()
    call_command("cv_text_backfill", stdout=out, stderr=io.StringIO())
    assert "1 CV(s) read: 1 extracted" in out.getvalue()
    assert found("lidar") == ["Bo Backfill"]
    again = io.StringIO()
    call_command("cv_text_backfill", stdout=again, stderr=io.StringIO())
    assert "0 CV(s) read" in again.getvalue()


def test_cv_text_is_not_in_any_api_record(db, django_capture_on_commit_callbacks, recruiter):
    person = CandidateFactory(name="Cy Secret")
    with django_capture_on_commit_callbacks(execute=True):
        candidate_cv_receive(
            candidate=person, upload=SimpleUploadedFile("cv.docx", docx_with_text("Zanzibar sonar")), source="sourced"
        )
    api = APIClient()
    api.force_login(recruiter)
    row = api.get("/api/v1/staff/candidates/", {"q": "zanzibar"}).json()["results"][0]
    assert row["name"] == "Cy Secret"  # staff find the person by their CV...
    assert "sonar" not in str({key: value for key, value in row.items() if key != "highlight"})  # ...not its text
    for serializer in (PartnerSubmissionSerializer(), PartnerCandidateReceiptSerializer()):
        assert "sonar" not in str(serializer.fields) and "cv_text" not in str(serializer.fields)
