"""scripts/backup.sh and scripts/restore.sh: a backup restores into an empty database with every row and CV."""

import os
import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection

from candidates.models import Candidate
from tests.factories import CandidateFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]


def url_for(name: str) -> str:
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def run(script: str, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own scripts
        ["bash", str(ROOT / "scripts" / script), *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def empty_database():
    name = f"sonitec_restore_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(url_for("postgres"), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect(url_for("postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restores_into_an_empty_database_with_its_files(tmp_path, empty_database):
    candidate = CandidateFactory(name="Restored Person")
    candidate.cv.save("cv.pdf", ContentFile(b"%PDF-1.4 the CV"), save=True)
    CandidateFactory.create_batch(4)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM django_migrations")
        migrations = cursor.fetchone()[0]

    backup = run(
        "backup.sh",
        DATABASE_URL=url_for(connection.settings_dict["NAME"]),
        PRIVATE_MEDIA_ROOT=str(settings.MEDIA_ROOT),
        BACKUP_DIR=str(tmp_path / "backups"),
    )
    assert backup.returncode == 0, backup.stderr
    [dump] = (tmp_path / "backups").glob("db-*.dump")
    [media] = (tmp_path / "backups").glob("media-*.tar.gz")

    restored_media = tmp_path / "restored-media"
    restore = run(
        "restore.sh",
        str(dump),
        str(media),
        TARGET_DATABASE_URL=url_for(empty_database),
        PRIVATE_MEDIA_ROOT=str(restored_media),
    )
    assert restore.returncode == 0, restore.stderr

    with psycopg.connect(url_for(empty_database)) as restored:
        assert restored.execute(f"SELECT count(*) FROM {Candidate._meta.db_table}").fetchone()[0] == 5  # noqa: S608
        assert restored.execute("SELECT count(*) FROM django_migrations").fetchone()[0] == migrations
        cv_name = restored.execute(
            f"SELECT cv FROM {Candidate._meta.db_table} WHERE name = %s",
            ["Restored Person"],  # noqa: S608
        ).fetchone()[0]
    assert (restored_media / cv_name).read_bytes() == b"%PDF-1.4 the CV"

    # Restoring over a database that has data is refused, and changes nothing.
    again = run("restore.sh", str(dump), TARGET_DATABASE_URL=url_for(empty_database))
    assert again.returncode == 1
    assert "refusing to restore" in again.stderr
