"""CVs stored before versions existed get their CandidateDocument row from `manage.py cv_documents_backfill`."""

import hashlib
import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from candidates.models import CandidateDocument
from tests.documents import PDF_BYTES
from tests.factories import CandidateDocumentFactory, CandidateFactory

pytestmark = pytest.mark.django_db


def old_style_cv(name: str, data: bytes = PDF_BYTES, **fields):
    """A candidate whose CV was saved on the `cv` field alone, as before versions existed."""
    return CandidateFactory(cv=default_storage.save(f"cvs/{name}", ContentFile(data)), **fields)


def backfill() -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("cv_documents_backfill", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_each_current_cv_without_a_version_gets_one_once():
    old = old_style_cv("old.pdf", cv_original_name="Ada CV.pdf")
    missing = CandidateFactory(cv="cvs/gone.pdf")
    version = CandidateDocumentFactory()
    versioned = version.candidate
    versioned.cv = version.file.name  # a CV that already is a version
    versioned.save()

    out, err = backfill()

    assert "1 created" in out and f"candidate(s) {missing.pk}" in err
    document = CandidateDocument.objects.get(candidate=old)
    assert (document.file.name, document.original_name, document.content_type) == (
        old.cv.name,
        "Ada CV.pdf",
        "application/pdf",
    )
    assert (document.size, document.sha256) == (len(PDF_BYTES), hashlib.sha256(PDF_BYTES).hexdigest())
    assert document.source == old.source
    assert versioned.documents.count() == 1

    assert "0 created" in backfill()[0]  # idempotent
    assert CandidateDocument.objects.filter(candidate=old).count() == 1
