import functools
import io
import zipfile

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.documents import PDF_BYTES  # noqa: E402,F401  (a well-formed one-page PDF)
from tests.factories import RoleFactory


def docx_bytes(extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document>Ada Lovelace, ML Engineer</w:document>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


@functools.cache
def zip_bomb_bytes() -> bytes:
    """A small file that claims to be a DOCX and unpacks to 60 MB."""
    return docx_bytes({"word/media/padding.bin": b"\0" * (60 * 1024 * 1024)})


def upload(name: str, data: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # Rate-limit counters live in the cache; each test starts with none, so tests do not throttle each other.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def published_role(db):
    return RoleFactory(published_on_job_board=True, title="Senior ML Engineer")
