"""CV text for search: extracted from the stored PDF or DOCX in a background task after the upload commits.

Bounded so a hostile or huge file costs little: at most CV_TEXT_MAX_PAGES pages, CV_TEXT_MAX_CHARS characters and
CV_TEXT_MAX_SECONDS seconds of parsing (the task also has Celery time limits). The text is stored in
CandidateCvText, searched by staff only, and never shown to partners or the public.
"""

import io
import logging
import time

from django.db import transaction
from django.utils import timezone
from docx import Document
from pypdf import PdfReader

from .models import Candidate, CandidateCvText

logger = logging.getLogger(__name__)

CV_TEXT_MAX_PAGES = 30
CV_TEXT_MAX_CHARS = 100_000
CV_TEXT_MAX_SECONDS = 10.0


class _Budget:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.deadline = time.monotonic() + CV_TEXT_MAX_SECONDS
        self.truncated = False

    def add(self, text: str) -> bool:
        """Keep `text`; False once a limit is reached (stop reading)."""
        if time.monotonic() > self.deadline:
            self.truncated = True
            return False
        room = CV_TEXT_MAX_CHARS - self.size
        if len(text) >= room:
            self.parts.append(text[:room])
            self.size = CV_TEXT_MAX_CHARS
            self.truncated = True
            return False
        self.parts.append(text)
        self.size += len(text) + 1
        return True

    @property
    def text(self) -> str:
        return "\n".join(part for part in self.parts if part).replace("\x00", "")


def _pdf_text(data: bytes, budget: _Budget) -> None:
    reader = PdfReader(io.BytesIO(data))
    for number, page in enumerate(reader.pages):
        if number >= CV_TEXT_MAX_PAGES:
            budget.truncated = True
            return
        if not budget.add(page.extract_text() or ""):
            return


def _docx_text(data: bytes, budget: _Budget) -> None:
    document = Document(io.BytesIO(data))
    for paragraph in document.paragraphs:
        if not budget.add(paragraph.text):
            return
    for table in document.tables:
        for row in table.rows:
            if not budget.add(" ".join(cell.text for cell in row.cells)):
                return


def cv_text_read(data: bytes) -> tuple[str, bool]:
    """(text, truncated) from a PDF or DOCX file's bytes; ValueError if it is neither or cannot be read."""
    budget = _Budget()
    try:
        if data.startswith(b"%PDF-"):
            _pdf_text(data, budget)
        elif data.startswith(b"PK\x03\x04"):
            _docx_text(data, budget)
        else:
            raise ValueError("not a PDF or DOCX file")
    except ValueError:
        raise
    except Exception as error:  # the parsers raise many kinds of error on a malformed file
        raise ValueError(f"unreadable: {type(error).__name__}") from error
    return budget.text, budget.truncated


def cv_text_extract(*, candidate_id: int) -> str:
    """Extract and store the text of the candidate's current CV. Safe to run twice or late: it does nothing if
    the CV changed meanwhile (the newer upload queued its own run). Returns what happened."""
    candidate = Candidate.objects.filter(pk=candidate_id).only("cv").first()
    if candidate is None:
        return "no candidate"
    if not candidate.cv:
        CandidateCvText.objects.filter(candidate_id=candidate_id).delete()
        return "no CV"
    cv_name = candidate.cv.name
    if CandidateCvText.objects.filter(candidate_id=candidate_id, cv_name=cv_name, error="").exists():
        return "already extracted"
    error, text, truncated = "", "", False
    try:
        with candidate.cv.open("rb") as handle:
            data = handle.read(16 * 1024 * 1024)
        text, truncated = cv_text_read(data)
    except FileNotFoundError:
        error = "the CV file is missing"
    except ValueError as problem:
        error = str(problem)[:255]
    with transaction.atomic():
        current = Candidate.objects.select_for_update().filter(pk=candidate_id).values_list("cv", flat=True).first()
        if current != cv_name:
            return "CV changed meanwhile"
        CandidateCvText.objects.update_or_create(
            candidate_id=candidate_id,
            defaults={
                "cv_name": cv_name,
                "text": text,
                "truncated": truncated,
                "error": error,
                "extracted_at": timezone.now(),
            },
        )
    if error:
        logger.info("CV text of candidate %s not read: %s", candidate_id, error)
    return error or ("extracted (truncated)" if truncated else "extracted")


def cv_text_enqueue_on_commit(candidate_id: int) -> None:
    """Queue the extraction once the caller's transaction commits (the file and its row are then final)."""
    from .tasks import cv_text_extract_task

    transaction.on_commit(lambda: cv_text_extract_task.delay(candidate_id), robust=True)
