"""Importing spreadsheets: read the file, plan every row (nothing stored), then, once confirmed, write it all or
nothing. The admin, the `import_csv` command and the background task all call these functions.
"""

import csv
import datetime
import io
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from import_export.formats.base_formats import XLSX
from tablib import InvalidDimensions

from .importers import IMPORTERS, Plan
from .models import ExportRecord, ImportJob, ImportKind, ImportStatus

Progress = Callable[[int, int], None]
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_ROWS = 200_000


def _no_progress(done: int, total: int) -> None:
    return None


class ImportFileError(ValidationError):
    """The file as a whole cannot be read (not a spreadsheet, no header, too big)."""


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value).strip()


DIMENSIONS = "A line has more or fewer cells than the header; check the separators."


def _csv_records(text: str) -> tuple[list[str], list[Sequence[Any]]]:
    """The header and the lines of a CSV text, read as the spreadsheet library reads them (empty lines dropped,
    short lines padded, long lines refused) but without building its table, which costs seconds at 100,000 lines.
    """
    reader = csv.reader(io.StringIO(text))
    header = next(reader, [])
    records: list[Sequence[Any]] = []
    if not any(header):
        return header, records  # refused for its header
    for record in reader:
        if not record:
            continue
        if len(record) > len(header):
            raise ImportFileError(DIMENSIONS)
        records.append(record + [""] * (len(header) - len(record)))
    return header, records


def read_table(*, content: bytes, filename: str) -> list[tuple[int, dict[str, str]]]:
    """The rows of a CSV or XLSX file as (line number, {column: text}); line 1 is the header.

    Column names are matched in any letter case, with spaces read as underscores ("Current title").
    Blank lines are skipped but keep their numbers, so every message points at the line a person sees.
    """
    if len(content) > MAX_FILE_BYTES:
        raise ImportFileError(f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; split it.")
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    records: list[Sequence[Any]]
    try:
        if extension == "xlsx" or content[:4] == b"PK\x03\x04":
            dataset = XLSX().create_dataset(content)
            header, records = list(dataset.headers or []), list(dataset)
        elif extension in ("csv", "txt", ""):
            try:
                text = content.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = content.decode("cp1252", errors="replace")
            if not text.strip():
                raise ImportFileError("The file is empty.")
            header, records = _csv_records(text)
        else:
            raise ImportFileError("Upload a CSV (.csv) or Excel (.xlsx) file.")
    except InvalidDimensions as error:
        raise ImportFileError(DIMENSIONS) from error
    except ImportFileError:
        raise
    except Exception as error:  # a corrupt workbook raises whatever its parser raises
        raise ImportFileError(f"The file could not be read as CSV or Excel ({type(error).__name__}).") from error
    headers = [_cell(name).lower().replace(" ", "_") for name in header]
    if not any(headers):
        raise ImportFileError("The first line must name the columns (e.g. name, email, phone).")
    repeated = sorted({header for header in headers if header and headers.count(header) > 1})
    if repeated:
        raise ImportFileError(f"Columns named more than once: {', '.join(repeated)}.")
    if len(records) > MAX_ROWS:
        raise ImportFileError(f"The file has {len(records)} rows; at most {MAX_ROWS} can be imported at once.")
    rows = []
    for index, values in enumerate(records, start=2):
        cells = {header: _cell(value) for header, value in zip(headers, values, strict=False) if header}
        if any(cells.values()):
            rows.append((index, cells))
    return rows


def import_columns(kind: str) -> list[str]:
    return list(IMPORTERS[kind]().columns)


def import_plan(*, kind: str, content: bytes, filename: str, progress: Progress = _no_progress) -> Plan:
    """What importing the file would do, row by row. Stores nothing."""
    if kind not in IMPORTERS:
        raise ValidationError(f"Unknown kind “{kind}”: choose one of {', '.join(IMPORTERS)}.")
    importer = IMPORTERS[kind]()
    try:
        rows = read_table(content=content, filename=filename)
    except ImportFileError as error:
        return Plan(kind=kind, rows=[], file_errors=error.messages)
    known = set(importer.columns)
    unknown = sorted({name for _, cells in rows for name in cells} - known)
    missing = [name for name in importer.required if rows and name not in rows[0][1]]
    problems = []
    if unknown:
        problems.append(f"Unknown columns: {', '.join(unknown)}. The columns are: {', '.join(importer.columns)}.")
    if missing:
        problems.append(f"Required columns missing: {', '.join(missing)}.")
    if not rows:
        problems.append("The file has no rows to import.")
    if problems:
        return Plan(kind=kind, rows=[], file_errors=problems)
    return importer.plan(rows, progress)


def _check_source(kind: str, source: str) -> str:
    source = source.strip()
    if IMPORTERS[kind].needs_source and not source:
        raise ValidationError(
            {"source": "State where these people came from and the lawful basis for holding their data."}
        )
    return source


def import_run(
    *,
    kind: str,
    content: bytes,
    filename: str,
    source: str = "",
    dry_run: bool = False,
    by=None,
    progress: Progress = _no_progress,
) -> Plan:
    """Plan the file and, unless it is a dry run or any row has an error, write it in one transaction.

    Planning again inside the transaction means what is written matches the data on file at that moment.
    """
    if kind not in IMPORTERS:
        raise ValidationError(f"Unknown kind “{kind}”: choose one of {', '.join(IMPORTERS)}.")
    source = _check_source(kind, source)
    with transaction.atomic():
        plan = import_plan(kind=kind, content=content, filename=filename, progress=progress)
        if plan.ok and not dry_run:
            IMPORTERS[kind]().apply(plan, source=source, by=by, progress=progress)
    return plan


# --- jobs: the admin's upload, preview and confirm, run by a task ---------------------------------------------------


def progress_key(job_id: int) -> str:
    return f"imports:job:{job_id}:progress"


def import_job_progress(*, job: ImportJob) -> tuple[int, int]:
    """(rows done, rows in the file) of the step running now; read from the cache, as the job's own transaction
    is not visible to other connections until it ends.
    """
    done, total = cache.get(progress_key(job.pk), (0, job.total_rows))
    return done, total


def _reporter(job_id: int) -> Progress:
    def report(done: int, total: int) -> None:
        cache.set(progress_key(job_id), (done, total), timeout=6 * 60 * 60)

    return report


def _report(plan: Plan) -> list[dict[str, Any]]:
    """Every row's outcome for the preview, errors first; empty details are left out to keep it small."""
    errors = [{"line": line, "action": "error", "message": message} for line, message in plan.errors()]
    others = [
        {name: value for name, value in row.report().items() if value not in (None, "")}
        for row in plan.rows
        if row.action != "error"
    ]
    return errors + others


@transaction.atomic
def import_job_create(*, kind: str, upload: UploadedFile, source: str = "", by=None) -> ImportJob:
    """Store an uploaded file and have it checked in the background; returns the job to follow."""
    from .tasks import import_preview_task  # tasks call these services; the task is only named here

    if kind not in ImportKind.values:
        raise ValidationError({"kind": f"Choose one of {', '.join(ImportKind.values)}."})
    source = _check_source(kind, source)
    if upload.size is not None and upload.size > MAX_FILE_BYTES:
        raise ValidationError({"file": f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB; split it."})
    job = ImportJob(kind=kind, source=source, created_by=by, original_name=(upload.name or "")[-255:])
    job.file.save(upload.name or "import.csv", upload, save=False)
    job.save()
    transaction.on_commit(lambda: import_preview_task.delay(job.pk))
    return job


def import_job_preview(*, job_id: int) -> ImportJob:
    """Check every row and keep the outcome for the preview page. Stores no records."""
    job = ImportJob.objects.get(pk=job_id)
    with job.file.open("rb") as handle:
        content = handle.read()
    plan = import_plan(kind=job.kind, content=content, filename=job.original_name, progress=_reporter(job.pk))
    job.total_rows = len(plan.rows)
    job.counts = plan.counts
    job.report = _report(plan)
    job.status = ImportStatus.PREVIEWED
    job.save(update_fields=["total_rows", "counts", "report", "status"])
    return job


@transaction.atomic
def import_job_confirm(*, job: ImportJob, by=None) -> ImportJob:
    """The recruiter saw the preview and confirms: import in the background, all or nothing."""
    from .tasks import import_apply_task

    locked = ImportJob.objects.select_for_update().get(pk=job.pk)
    if locked.status != ImportStatus.PREVIEWED:
        raise ValidationError("This import is not waiting for confirmation.")
    if locked.counts.get("errors"):
        raise ValidationError("Fix the errors listed and upload the file again: nothing is imported while any remain.")
    locked.status = ImportStatus.IMPORTING
    locked.save(update_fields=["status"])
    transaction.on_commit(lambda: import_apply_task.delay(locked.pk))
    return locked


def import_job_apply(*, job_id: int) -> ImportJob:
    job = ImportJob.objects.get(pk=job_id)
    if job.status != ImportStatus.IMPORTING:
        return job  # already done by an earlier delivery of the task
    with job.file.open("rb") as handle:
        content = handle.read()
    try:
        plan = import_run(
            kind=job.kind,
            content=content,
            filename=job.original_name,
            source=job.source,
            by=job.created_by,
            progress=_reporter(job.pk),
        )
    except Exception as error:
        job.status, job.error = ImportStatus.FAILED, f"Nothing was imported: {error}"
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "finished_at"])
        raise
    job.counts, job.report, job.finished_at = plan.counts, _report(plan), timezone.now()
    if plan.ok:
        job.status = ImportStatus.DONE
    else:
        # The data on file changed since the preview and a row no longer passes: nothing was written.
        job.status, job.error = ImportStatus.FAILED, "Nothing was imported: rows fail now that did not at preview."
    job.save(update_fields=["counts", "report", "finished_at", "status", "error"])
    return job


# --- exports ----------------------------------------------------------------------------------------------------------


def export_record(*, user, model: str, file_format: str, filters: str, rows: int) -> ExportRecord:
    """Personal data leaving the system is recorded: who, which list, which filters, how many rows."""
    return ExportRecord.objects.create(
        user=user, model=model, format=file_format[:10], filters=filters[:2000], rows=rows
    )
