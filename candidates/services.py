"""Rules about candidates as people: one record per person, normalised contact details, CV files."""

import io
import threading
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from sonitec.normalise import normalise_email, normalise_phone

from .models import Candidate, Consent, ConsentMethod, ConsentPurpose

CV_MAX_BYTES = 5 * 1024 * 1024
# A DOCX is a zip; these bound what unpacking it may cost, so a zip bomb is refused before anyone opens it.
DOCX_MAX_ENTRIES = 500
DOCX_MAX_UNPACKED_BYTES = 50 * 1024 * 1024


def candidate_upsert(*, email: str, defaults: dict[str, Any]) -> tuple[Candidate, bool]:
    """Find the candidate with this email (case-insensitively) or create one: one record per person.

    For an existing person only empty fields are filled in, so a stranger who knows someone's email cannot
    overwrite what recruiters hold. Safe under concurrency: a racing insert falls back to the winner's row.
    Returns (candidate, created).
    """
    email = normalise_email(email)
    if not email:
        raise ValidationError({"email": "An email address is required."})
    if defaults.get("phone"):
        defaults = {**defaults, "phone": normalise_phone(defaults["phone"])}
    existing = Candidate.objects.select_for_update().filter(email__iexact=email).first()
    if existing is None:
        try:
            with transaction.atomic():
                return Candidate.objects.create(email=email, **defaults), True
        except IntegrityError:
            existing = Candidate.objects.select_for_update().get(email__iexact=email)
    changed = [field for field, value in defaults.items() if value and not getattr(existing, field)]
    for field in changed:
        setattr(existing, field, defaults[field])
    if changed:
        existing.save(update_fields=[*changed, "updated_at"])
    return existing, False


def consent_record(
    *,
    candidate: Candidate,
    purpose: str,
    method: str = ConsentMethod.WEB_FORM,
    notice_version: str = "",
    role=None,
    recorded_by=None,
    partner=None,
    note: str = "",
) -> Consent:
    return Consent.objects.create(
        candidate=candidate,
        purpose=purpose,
        method=method,
        notice_version=notice_version,
        role=role,
        recorded_by=recorded_by,
        partner=partner,
        note=note,
    )


def consent_is_current(*, candidate: Candidate, purpose: str = ConsentPurpose.DATA_PROCESSING, role=None) -> bool:
    return Consent.objects.filter(candidate=candidate, purpose=purpose, role=role, withdrawn_at=None).exists()


def cv_validate(upload: UploadedFile) -> str:
    """Check a CV by its content, not its name; return 'pdf' or 'docx', or raise ValidationError."""
    if upload.size is not None and upload.size > CV_MAX_BYTES:
        raise ValidationError("The CV must be 5 MB or smaller.", code="cv_too_large")
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        data = upload.read(CV_MAX_BYTES + 1)
        upload.seek(0)
        _docx_check(data)
        return "docx"
    raise ValidationError("The CV must be a PDF or a Word (.docx) document.", code="cv_bad_type")


def _docx_check(data: bytes) -> None:
    not_docx = ValidationError("The CV must be a PDF or a Word (.docx) document.", code="cv_bad_type")
    bomb = ValidationError("The CV file is malformed (it unpacks to too much data).", code="cv_bomb")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as error:
        raise not_docx from error
    if len(entries) > DOCX_MAX_ENTRIES or sum(entry.file_size for entry in entries) > DOCX_MAX_UNPACKED_BYTES:
        raise bomb
    names = {entry.filename for entry in entries}
    if "[Content_Types].xml" not in names or not any(name.startswith("word/") for name in names):
        raise not_docx
    # The sizes above are what the archive declares, and a crafted archive can lie: unpack in chunks and stop
    # as soon as the real total passes the limit, so a bomb never costs more than the limit.
    unpacked = 0
    try:
        for entry in entries:
            with archive.open(entry) as member:
                while chunk := member.read(64 * 1024):
                    unpacked += len(chunk)
                    if unpacked > DOCX_MAX_UNPACKED_BYTES:
                        raise bomb
    except (zipfile.BadZipFile, ValueError, NotImplementedError, OSError, EOFError) as error:
        raise not_docx from error


# Files stored while a transaction is open must not outlive its rollback: a CV on disk with no row pointing at
# it is personal data nobody can find or erase. Each active tracker collects the names stored inside it.
_file_trackers = threading.local()


@contextmanager
def stored_files_removed_on_rollback() -> Iterator[None]:
    """Delete files stored (by candidate_attach_cv) inside this block if the block raises.

    Wrap a transaction with it, outside the atomic block: `with stored_files_removed_on_rollback(),
    transaction.atomic(): ...`; the atomic block rolls back first, then the files it stored are removed.
    """
    stack = _file_trackers.__dict__.setdefault("stack", [])
    names: list[str] = []
    stack.append(names)
    try:
        yield
    except BaseException:
        for name in names:
            default_storage.delete(name)
        raise
    finally:
        stack.pop()


def _track_stored_file(name: str) -> None:
    for names in getattr(_file_trackers, "stack", []):
        names.append(name)


def candidate_attach_cv(*, candidate: Candidate, upload: UploadedFile) -> None:
    """Validate and store a CV under a server-generated name, replacing any earlier one.

    The earlier file is kept on disk: the candidate's history still points at it, so nothing a recruiter held
    is lost. The new file is removed again if this (or an enclosing, tracked) transaction rolls back.
    """
    extension = cv_validate(upload)
    original_name = (upload.name or f"cv.{extension}").replace("\\", "/").rsplit("/", 1)[-1][-255:]
    with stored_files_removed_on_rollback(), transaction.atomic():
        candidate.cv.save(f"cv.{extension}", upload, save=False)
        _track_stored_file(candidate.cv.name)
        candidate.cv_original_name = original_name
        candidate.cv_uploaded_at = timezone.now()
        candidate.save(update_fields=["cv", "cv_original_name", "cv_uploaded_at", "updated_at"])
