"""Rules about candidates as people: one record per person, normalised contact details, CV files."""

import datetime
import hashlib
import io
import os
import threading
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from clients.services import client_duplicates_scan, contact_duplicates_scan
from sonitec.bulk import rows_copy, rows_insert, staging_table
from sonitec.merging import combined, ordered_pair, pairs_record, pairs_sharing
from sonitec.normalise import clean_display_name, normalise_email, normalise_phone

from . import selectors
from .cv_text import cv_text_enqueue_on_commit
from .models import (
    Candidate,
    CandidateDocument,
    CandidateDuplicate,
    CandidateSkill,
    Consent,
    ConsentMethod,
    ConsentPurpose,
    cv_upload_to,
)
from .selectors import CONFIDENCE, candidate_duplicates

NewSkill = tuple[int, str, Decimal]  # skill id, level, years

CV_MAX_BYTES = 5 * 1024 * 1024
# A DOCX is a zip; these bound what unpacking it may cost, so a zip bomb is refused before anyone opens it.
DOCX_MAX_ENTRIES = 500
DOCX_MAX_UNPACKED_BYTES = 50 * 1024 * 1024


# The search document of staged new people with their skills and pillars, as the row trigger computes it
# (candidate_search_document, migrations 0008 and 0015): the same weighting function, skills in the order of their
# rows, pillars (primary and other, each once) in the order of their ids. New people have no CV text yet. Every
# look-up is a join over all the rows, none a sub-query per row: the skills and pillars tables have just grown
# inside this transaction, and their statistics do not know it.
INSERT_STAGED = """
INSERT INTO candidates_candidate ({columns}, search_document, skill_ids)
SELECT {staged_columns},
       candidate_search_document_of(t.name, t.current_title, skills.names, pillars.names, t.current_company,
                                    t.location, t.notes, NULL),
       coalesce(skills.ids, '{{}}')
  FROM {staged} t
  LEFT JOIN (SELECT cs.candidate_id, string_agg(s.name, ' ' ORDER BY cs.id) AS names,
                    array_agg(cs.skill_id ORDER BY cs.skill_id) AS ids
               FROM candidates_candidateskill cs JOIN roles_skill s ON s.id = cs.skill_id
              WHERE cs.candidate_id IN (SELECT id FROM {staged})
              GROUP BY cs.candidate_id) skills ON skills.candidate_id = t.id
  LEFT JOIN (SELECT held.candidate_id, string_agg(p.name, ' ' ORDER BY p.id) AS names
               FROM (SELECT id AS candidate_id, primary_pillar_id AS pillar_id FROM {staged}
                     UNION
                     SELECT op.candidate_id, op.pillar_id FROM candidates_candidate_other_pillars op
                      WHERE op.candidate_id IN (SELECT id FROM {staged})) held
               JOIN roles_pillar p ON p.id = held.pillar_id
              GROUP BY held.candidate_id) pillars ON pillars.candidate_id = t.id
"""
NAME_WORDS = """
INSERT INTO candidate_name_word (word)
SELECT DISTINCT candidate_name_words(name) FROM (SELECT DISTINCT name FROM {staged}) names
ON CONFLICT DO NOTHING
"""


def candidates_insert_many(
    people: Sequence[Candidate], *, skills: Sequence[Sequence[NewSkill]], other_pillars: Sequence[Sequence[int]]
) -> None:
    """Store many new people at once with their skills and other pillars (lists parallel to people); each person
    gets their id. Their match keys must be set; model signals and history are the caller's, as for any bulk write.

    PostgreSQL: the people are copied into a staging table, their skills and pillars written, and then one INSERT
    computes every search document, skill id array and name word set-based. The search triggers, which would do
    it row by row (twice for people with skills), are skipped for these statements only.
    """
    if not people:
        return
    through = Candidate.other_pillars.through
    if connection.vendor != "postgresql":
        Candidate.objects.bulk_create(people, batch_size=1000)
        CandidateSkill.objects.bulk_create(
            [
                CandidateSkill(candidate_id=person.pk, skill_id=skill_id, level=level, years=years)
                for person, held in zip(people, skills, strict=True)
                for skill_id, level, years in held
            ],
            batch_size=1000,
        )
        through.objects.bulk_create(
            [
                through(candidate_id=person.pk, pillar_id=pillar_id)
                for person, held in zip(people, other_pillars, strict=True)
                for pillar_id in held
            ],
            batch_size=1000,
        )
        return
    quote = connection.ops.quote_name
    written = [quote(field.column) for field in Candidate._meta.concrete_fields if field.column != "search_document"]
    # One transaction (a savepoint inside the caller's): the staging table lives until its end, and the setting
    # below is transaction-local and undone with the savepoint if anything here fails.
    with transaction.atomic(), connection.cursor() as cursor:
        staged = staging_table(Candidate)
        rows_insert(people, table=staged)  # reserves their ids from the table's sequence
        cursor.execute(f"ANALYZE {staged}")  # temporary tables are never analysed by autovacuum
        cursor.execute("SELECT set_config('sonitec.search_set_based', 'on', true)")
        rows_copy(
            CandidateSkill._meta.db_table,
            ["candidate_id", "skill_id", "level", "years"],
            (
                (person.pk, skill_id, level, years)
                for person, held in zip(people, skills, strict=True)
                for skill_id, level, years in held
            ),
        )
        rows_copy(
            through._meta.db_table,
            ["candidate_id", "pillar_id"],
            ((person.pk, pillar_id) for person, held in zip(people, other_pillars, strict=True) for pillar_id in held),
        )
        cursor.execute(
            INSERT_STAGED.format(  # nosec B608: column and table names from the model, not from input
                columns=", ".join(written),
                staged_columns=", ".join(f"t.{column}" for column in written),
                staged=staged,
            )
        )
        cursor.execute(NAME_WORDS.format(staged=staged))  # nosec B608
        cursor.execute("SELECT set_config('sonitec.search_set_based', 'off', true)")
        cursor.execute(f"DROP TABLE {staged}")


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
    if defaults.get("name"):  # no bidi override or zero-width character can disguise a name in lists and emails
        defaults = {**defaults, "name": clean_display_name(defaults["name"])}
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
    """Given, not withdrawn and not expired (see candidates.selectors)."""
    return selectors.consent_is_current(candidate=candidate, purpose=purpose, role=role)


@transaction.atomic
def consents_withdraw(*, candidate: Candidate, purposes: list[str], note: str = "") -> int:
    """Withdraw every in-force consent of these purposes at once (all roles for representation).

    Withdrawal takes effect immediately: marketing stops and the representation gate closes, because every
    check reads only consents in force. Returns how many consents were withdrawn.
    """
    unknown = [purpose for purpose in purposes if purpose not in ConsentPurpose.values]
    if unknown:
        raise ValidationError({"purposes": f"Unknown consent purpose: {', '.join(unknown)}."})
    consents = Consent.objects.filter(candidate=candidate, purpose__in=purposes, withdrawn_at=None)
    return consents.update(withdrawn_at=timezone.now(), **({"note": note[:255]} if note else {}))


def cv_validate(upload: UploadedFile) -> str:
    """Check a CV by its content, not its name; return 'pdf' or 'docx', or raise ValidationError."""
    if upload.size is not None and upload.size > CV_MAX_BYTES:
        raise ValidationError("The CV must be 5 MB or smaller.", code="cv_too_large")
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        _pdf_check(upload)
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        data = upload.read(CV_MAX_BYTES + 1)
        upload.seek(0)
        _docx_check(data)
        return "docx"
    raise ValidationError("The CV must be a PDF or a Word (.docx) document.", code="cv_bad_type")


ACTIVE_CONTENT = ValidationError(
    "The CV contains active content (scripts, macros, embedded files or links to outside templates), which we do "
    "not accept. Please save it again as a plain PDF or .docx and send that.",
    code="cv_active_content",
)
# PDF names that run something or carry another file: JavaScript, launch actions, embedded files, rich media.
_PDF_ACTIVE_KEYS = {"/JS", "/JavaScript", "/EmbeddedFiles", "/EmbeddedFile", "/RichMedia", "/Launch", "/XFA"}
_PDF_ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/RichMediaExecute", "/GoToE"}
PDF_MAX_OBJECTS = 100_000


def _pdf_check(upload: UploadedFile) -> None:
    """Parse the PDF (pypdf) and refuse it if any object reachable from its trailer is active content."""
    upload.seek(0)
    try:
        reader = PdfReader(io.BytesIO(upload.read(CV_MAX_BYTES + 1)), strict=False)
        stack: list[Any] = [reader.trailer]
        seen: set[tuple[int, int]] = set()
        visited = 0
        while stack:
            value = stack.pop()
            if isinstance(value, IndirectObject):
                if (value.idnum, value.generation) in seen:
                    continue
                seen.add((value.idnum, value.generation))
                value = value.get_object()
            visited += 1
            if visited > PDF_MAX_OBJECTS:
                raise ValidationError("The CV file is malformed (too many objects).", code="cv_bomb")
            if isinstance(value, DictionaryObject):
                if _PDF_ACTIVE_KEYS & set(value.keys()) or value.get("/S") in _PDF_ACTIVE_ACTIONS:
                    raise ACTIVE_CONTENT
                stack.extend(value.values())
            elif isinstance(value, ArrayObject):
                stack.extend(value)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as error:
        raise ValidationError("The CV is not a PDF we can read.", code="cv_bad_type") from error
    finally:
        upload.seek(0)


_EXTERNAL_TARGET = b'TargetMode="External"'


def _docx_active_content(archive: zipfile.ZipFile, names: set[str]) -> bool:
    """Macros (vbaProject), or relationships to outside files other than plain hyperlinks (attached templates,
    linked objects, frames), which Word fetches on opening."""
    if any(name.lower().rsplit("/", 1)[-1].startswith("vbaproject") for name in names):
        return True
    content_types = archive.read("[Content_Types].xml")
    if b"macroEnabled" in content_types or b"vbaProject" in content_types:
        return True
    for name in names:
        if not name.endswith(".rels"):
            continue
        for relationship in archive.read(name).split(b"<Relationship ")[1:]:
            if _EXTERNAL_TARGET in relationship.replace(b"'", b'"') and b"/hyperlink" not in relationship:
                return True
    return False


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
    if _docx_active_content(archive, names):
        raise ACTIVE_CONTENT


# Files stored while a transaction is open must not outlive its rollback: a CV on disk with no row pointing at
# it is personal data nobody can find or erase. So a CV is written under PENDING_PREFIX and moved to the name its
# row records only when the transaction commits (transaction.on_commit). A rollback leaves at most a pending
# file: removed at once when a tracker (below) sees the exception, else by `cv_orphans_sweep` within the hour.
PENDING_PREFIX = "pending/"
_file_trackers = threading.local()


@contextmanager
def stored_files_removed_on_rollback() -> Iterator[None]:
    """Delete pending files stored (by candidate_cv_receive) inside this block if the block raises.

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


def _cv_store_pending(upload: UploadedFile, final_name: str) -> str:
    """Write the upload under the pending prefix; it is promoted to `final_name` when the transaction commits."""
    pending_name = default_storage.save(PENDING_PREFIX + final_name, upload)
    _track_stored_file(pending_name)
    transaction.on_commit(partial(_cv_promote, pending_name, final_name))
    return pending_name


def _cv_promote(pending_name: str, final_name: str) -> None:
    """Move a committed CV from the pending area to the name its row records."""
    source, target = Path(default_storage.path(pending_name)), Path(default_storage.path(final_name))
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(source, target)  # atomic on one file system: readers see no file or the whole file


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def candidate_cv_receive(*, candidate: Candidate, upload: UploadedFile, source: str) -> tuple[CandidateDocument, bool]:
    """Keep a CV someone sent as a new document version; returns (document, whether it is new).

    Nothing a recruiter holds changes: the candidate's current CV stays what it was (a first CV becomes current),
    and a file identical to one already kept (same SHA-256) is not stored again. The new file is removed again
    rolls back: it is written to the pending area and moved to its final name on commit (see PENDING_PREFIX).
    """
    extension = cv_validate(upload)
    original_name = (upload.name or f"cv.{extension}").replace("\\", "/").rsplit("/", 1)[-1][-255:]
    digest, size = hashlib.sha256(), 0
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
        size += len(chunk)
    upload.seek(0)
    sha256 = digest.hexdigest()
    with stored_files_removed_on_rollback(), transaction.atomic():
        Candidate.objects.select_for_update().filter(pk=candidate.pk).first()  # one version per content at a time
        existing = CandidateDocument.objects.filter(candidate=candidate, sha256=sha256).first()
        if existing is not None:
            return existing, False
        document = CandidateDocument(
            candidate=candidate,
            original_name=original_name,
            content_type=CONTENT_TYPES[extension],
            size=size,
            sha256=sha256,
            source=source,
        )
        document.file.name = cv_upload_to(candidate, f"cv.{extension}")
        _cv_store_pending(upload, document.file.name)
        document.save()
        candidate.refresh_from_db(fields=["cv"])
        if not candidate.cv:
            candidate_document_make_current(document=document)
        return document, True


@transaction.atomic
def candidate_document_make_current(*, document: CandidateDocument) -> Candidate:
    """Make this version the candidate's current CV (a recruiter's choice; a first CV becomes current itself)."""
    candidate = document.candidate
    candidate.cv.name = document.file.name
    candidate.cv_original_name = document.original_name
    candidate.cv_uploaded_at = document.uploaded_at
    candidate.save(update_fields=["cv", "cv_original_name", "cv_uploaded_at", "updated_at"])
    cv_text_enqueue_on_commit(candidate.pk)  # search reads the current CV's text
    return candidate


CV_ORPHAN_AGE = datetime.timedelta(hours=1)


def _old_files(directory: str, cutoff: datetime.datetime) -> Iterator[str]:
    try:
        _, files = default_storage.listdir(directory)
    except FileNotFoundError:
        return
    for filename in files:
        name = f"{directory}/{filename}"
        try:
            if default_storage.get_modified_time(name) <= cutoff:
                yield name
        except FileNotFoundError:
            continue


def _cv_referenced(name: str) -> bool:
    return CandidateDocument.objects.filter(file=name).exists() or Candidate.objects.filter(cv=name).exists()


def cv_orphans_sweep(*, older_than: datetime.timedelta = CV_ORPHAN_AGE) -> int:
    """Periodic: remove CV files older than `older_than` that no committed row points at. A pending file whose
    row did commit (the process died between commit and promotion) is promoted instead. Returns how many files
    were removed."""
    directory = cv_upload_to(Candidate(), "x.pdf").rsplit("/", 1)[0]
    cutoff = timezone.now() - older_than
    removed = 0
    for pending_name in _old_files(PENDING_PREFIX + directory, cutoff):
        final_name = pending_name.removeprefix(PENDING_PREFIX)
        if _cv_referenced(final_name) and not default_storage.exists(final_name):
            _cv_promote(pending_name, final_name)
        else:
            default_storage.delete(pending_name)
            removed += 1
    for name in _old_files(directory, cutoff):
        if not _cv_referenced(name):
            default_storage.delete(name)
            removed += 1
    return removed


def cv_documents_backfill() -> tuple[int, list[int]]:
    """Give every current CV kept before versions existed (the candidate's `cv`, with no CandidateDocument for
    that file) its document row, hashed from the stored file. Idempotent: a CV that has its row is skipped.
    Returns (rows created, ids of candidates whose CV file is missing)."""
    has_row = CandidateDocument.objects.filter(candidate_id=OuterRef("pk"), file=OuterRef("cv"))
    created, missing = 0, []
    for candidate in Candidate.objects.exclude(cv="").filter(~Exists(has_row)).order_by("pk").iterator():
        digest, size = hashlib.sha256(), 0
        try:
            with default_storage.open(candidate.cv.name) as stored:
                for chunk in stored.chunks():
                    digest.update(chunk)
                    size += len(chunk)
        except FileNotFoundError:
            missing.append(candidate.pk)
            continue
        extension = candidate.cv.name.rsplit(".", 1)[-1].lower()
        _, new = CandidateDocument.objects.get_or_create(
            candidate=candidate,
            sha256=digest.hexdigest(),  # the same content kept under another name is already a version
            defaults={
                "file": candidate.cv.name,
                "original_name": candidate.cv_original_name or f"cv.{extension}",
                "content_type": CONTENT_TYPES.get(extension, "application/octet-stream"),
                "size": size,
                "uploaded_at": candidate.cv_uploaded_at or candidate.created_at,
                "source": candidate.source,
            },
        )
        created += new
    return created, missing


# --- Duplicates: suggestions and dismissals (the rules are in selectors.candidate_duplicates) --------------------

SCAN_REASONS = {
    "email_key": ("same mailbox (email ignoring case, dots and +tags)", CONFIDENCE["mailbox"]),
    "phone_key": ("same phone number", CONFIDENCE["phone"]),
    "linkedin_key": ("same LinkedIn profile", CONFIDENCE["linkedin"]),
    "github_key": ("same GitHub profile", CONFIDENCE["github"]),
}


def candidate_duplicates_refresh(*, candidate: Candidate) -> int:
    """Store the likely duplicates of one candidate in the "Possible duplicates" list; returns how many are new."""
    found = {
        ordered_pair(candidate.pk, suggestion.candidate.pk): (suggestion.reasons, suggestion.confidence)
        for suggestion in candidate_duplicates(data=candidate)
    }
    return pairs_record(CandidateDuplicate, found)


def candidate_duplicates_scan(*, candidate_ids: Iterable[int] | None = None) -> int:
    """Find every pair of candidates sharing a mailbox, phone or profile, in a few grouped queries, and store them.

    With `candidate_ids` only groups containing one of them are looked at (after an import). Similar names are
    compared one record at a time (candidate_duplicates_refresh), when a record is saved in the admin.
    """
    found: dict[tuple[int, int], list] = {}
    for key_field, evidence in SCAN_REASONS.items():
        queryset = Candidate.objects.all()
        if candidate_ids is not None:
            keys = Candidate.objects.filter(pk__in=list(candidate_ids)).values(key_field)
            queryset = queryset.filter(**{f"{key_field}__in": keys})
        pairs_sharing(queryset, key_field, evidence, found)
    return pairs_record(CandidateDuplicate, {pair: combined(evidence) for pair, evidence in found.items()})


def duplicates_scan_all() -> dict[str, int]:
    """Fill the three "Possible duplicates" lists from the whole database; returns the new pairs per list."""
    return {
        "candidates": candidate_duplicates_scan(),
        "clients": client_duplicates_scan(),
        "contacts": contact_duplicates_scan(),
    }


def candidate_name_words_forget(*, names: Iterable[str]) -> None:
    """PostgreSQL: drop from the misspelt-name vocabulary (candidate_name_word) the words of these names that no
    candidate's name holds any more. Erasure calls it once the record carries its neutral name, so a rare surname
    does not outlive the person."""
    names = [name for name in names if name]
    if connection.vendor != "postgresql" or not names:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            """DELETE FROM candidate_name_word known
                WHERE known.word IN (SELECT candidate_name_words(name) FROM unnest(%s::text[]) AS name)
                  AND NOT EXISTS (SELECT 1 FROM candidates_candidate other
                                   WHERE other.search_document @@ (quote_literal(known.word) || ':A')::tsquery)""",
            [names],
        )
