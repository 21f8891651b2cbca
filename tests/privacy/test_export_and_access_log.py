"""Subject-access export (ZIP with data.json and every CV version) and the access log shown to managers."""

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from candidates.models import ConsentPurpose
from candidates.services import candidate_cv_receive
from matching.models import MatchRankingLog
from matching.services import talent_pool_add, talent_pool_create
from pipelines.models import ActivityKind
from pipelines.services import activity_log
from privacy.models import AccessAction, AccessLog, ExportJob
from privacy.services import candidate_export_data
from sonitec.celery import app as celery_app
from tests.documents import pdf_bytes
from tests.factories import (
    CandidateFactory,
    CandidateSkillFactory,
    ConsentFactory,
    MessageFactory,
    RoleFactory,
    StageChangeFactory,
    SubmissionFactory,
)

PDF_V1 = pdf_bytes(title="version one")
PDF_V2 = pdf_bytes(title="version two")


@pytest.fixture
def candidate(db, django_capture_on_commit_callbacks):
    candidate = CandidateFactory(name="Grace Hopper", email="grace@navy.example")
    with django_capture_on_commit_callbacks(execute=True):  # the CVs are promoted on commit
        candidate_cv_receive(candidate=candidate, upload=SimpleUploadedFile("cv1.pdf", PDF_V1), source="sourced")
        candidate.refresh_from_db()
        candidate_cv_receive(candidate=candidate, upload=SimpleUploadedFile("cv2.pdf", PDF_V2), source="sourced")
    CandidateSkillFactory(candidate=candidate)
    ConsentFactory(candidate=candidate, purpose=ConsentPurpose.DATA_PROCESSING, notice_version="2026-01")
    submission = SubmissionFactory(candidate=candidate)
    StageChangeFactory(submission=submission, from_stage="sourced", to_stage="screened", note="Good call")
    activity_log(author=None, kind=ActivityKind.NOTE, body="Met at a conference", candidate=candidate)
    MessageFactory(candidate=candidate, to_email=candidate.email, subject="Thanks for applying")
    return candidate


def read_zip(content: bytes) -> tuple[dict, dict[str, bytes]]:
    archive = zipfile.ZipFile(io.BytesIO(content))
    files = {name: archive.read(name) for name in archive.namelist()}
    return json.loads(files.pop("data.json")), files


@pytest.mark.django_db
def test_the_export_holds_everything_about_the_person_and_every_cv_version(candidate, manager):
    api = APIClient()
    api.force_login(manager)

    response = api.get(f"/api/v1/staff/candidates/{candidate.pk}/export/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    data, files = read_zip(response.content)
    assert data["record"]["name"] == "Grace Hopper"
    assert data["record"]["email"] == "grace@navy.example"
    assert len(data["skills"]) == 1
    consent = data["consents"][0]
    assert consent["notice_version"] == "2026-01"
    assert "How long we keep it" in consent["notice_text"]
    assert data["submissions"][0]["stage_history"][0]["note"] == "Good call"
    assert data["activities"][0]["body"] == "Met at a conference"
    assert data["messages"][0]["subject"] == "Thanks for applying"
    assert len(data["history"]) >= 2
    assert sorted(files.values()) == sorted([PDF_V1, PDF_V2])
    assert AccessLog.objects.filter(candidate=candidate, action=AccessAction.EXPORTED, user=manager).count() == 1


@pytest.mark.django_db
def test_the_export_needs_its_own_permission(candidate, recruiter_only):
    api = APIClient()
    api.force_login(recruiter_only)
    assert api.get(f"/api/v1/staff/candidates/{candidate.pk}/export/").status_code == 403
    assert not AccessLog.objects.filter(action=AccessAction.EXPORTED).exists()


@pytest.mark.django_db
def test_the_admin_action_downloads_the_zip_and_logs_it(candidate, client, manager):
    client.force_login(manager)
    response = client.post(
        reverse("admin:candidates_candidate_changelist"),
        {"action": "export_personal_data", "_selected_action": [candidate.pk]},
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    data, _ = read_zip(response.content)
    assert data["record"]["id"] == candidate.pk
    assert AccessLog.objects.filter(candidate=candidate, action=AccessAction.EXPORTED).count() == 1


def access_log_queries(client, candidate) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("admin:candidates_candidate_change", args=[candidate.pk]))
    assert response.status_code == 200
    return response, [q["sql"] for q in queries.captured_queries if "privacy_accesslog" in q["sql"]]


@pytest.mark.django_db
def test_a_page_view_is_logged_with_one_query_and_managers_see_the_log(candidate, client, manager, recruiter_only):
    client.force_login(recruiter_only)
    response, queries = access_log_queries(client, candidate)
    # One INSERT records the view; a recruiter is not shown the log.
    assert len(queries) == 1 and queries[0].startswith("INSERT")
    assert "Who accessed this record" not in response.content.decode()

    client.force_login(manager)
    for _ in range(30):
        AccessLog.objects.create(candidate=candidate, user=recruiter_only, action=AccessAction.VIEWED)
    response, queries = access_log_queries(client, candidate)
    # Manager: the INSERT and one SELECT for the log, however long the log is.
    assert len(queries) == 2
    page = response.content.decode()
    assert "Who accessed this record" in page and "plainrecruiter" in page and "Viewed the page" in page


@pytest.mark.django_db
def test_a_cv_download_is_logged(candidate, client, manager):
    client.force_login(manager)
    assert client.get(reverse("admin:candidates_candidate_cv", args=[candidate.pk])).status_code == 200
    assert AccessLog.objects.filter(candidate=candidate, action=AccessAction.CV_DOWNLOADED, user=manager).exists()


@pytest.mark.django_db
def test_the_candidate_page_shows_each_consents_state_and_when_it_lapses(candidate, admin_client):
    page = admin_client.get(reverse("admin:candidates_candidate_change", args=[candidate.pk])).content.decode()
    assert "Lapses" in page and "in force" in page


@pytest.mark.django_db
def test_an_anonymised_record_cannot_be_filled_in_again(candidate, admin_client):
    candidate.anonymised_at = candidate.updated_at
    candidate.save()
    url = reverse("admin:candidates_candidate_change", args=[candidate.pk])
    admin_client.post(url, {"name": "Someone Else", "email": "else@example.org"})
    candidate.refresh_from_db()
    assert candidate.name == "Grace Hopper"


@pytest.fixture
def eager_celery():
    was = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = was


@pytest.mark.django_db
def test_a_large_export_is_built_by_a_task_and_downloaded_once(
    candidate, manager, settings, eager_celery, django_capture_on_commit_callbacks
):
    settings.EXPORT_INLINE_MAX_ROWS = 1
    api = APIClient()
    api.force_login(manager)

    with django_capture_on_commit_callbacks(execute=True):
        response = api.get(f"/api/v1/staff/candidates/{candidate.pk}/export/")

    assert response.status_code == 202
    download = response.json()["download"]
    with django_capture_on_commit_callbacks(execute=True):
        first = api.get(download)
    assert first.status_code == 200 and first["Content-Type"] == "application/zip"
    data, files = read_zip(first.content)
    assert data["record"]["name"] == "Grace Hopper" and len(files) == 2
    assert api.get(download).status_code == 410
    assert ExportJob.objects.get().downloaded_at is not None
    assert not list(Path(settings.MEDIA_ROOT).rglob("exports/*.zip"))
    assert AccessLog.objects.filter(candidate=candidate, action=AccessAction.EXPORTED).count() == 1


@pytest.mark.django_db
def test_the_export_holds_the_persons_talent_pools_and_every_ranking_they_were_shown_in(candidate, manager):
    """Automated ranking is about the person: the export lists each matches list they appeared in, with the
    score, reasons and gaps shown, and the pools they are in; other people's rows of the same list are not."""
    role = RoleFactory(title="Data Engineer")
    other = CandidateFactory()
    pool = talent_pool_create(name="Compilers, London", owner=manager)
    talent_pool_add(pool=pool, candidate_ids=[candidate.pk], by=manager)
    row = {"position": 2, "score": 71, "reasons": ["Python: 1 of 1 required skills"], "gaps": ["no Spark"]}
    MatchRankingLog.objects.create(
        role=role,
        channel="admin",
        results=[{"candidate_id": other.pk, "position": 1, "score": 80}, {"candidate_id": candidate.pk, **row}],
    )
    MatchRankingLog.objects.create(role=role, channel="api", results=[{"candidate_id": other.pk, "score": 80}])

    data = candidate_export_data(candidate=candidate)

    assert [entry["pool"] for entry in data["talent_pools"]] == ["Compilers, London"]
    assert [
        {key: entry[key] for key in ("role", "position", "score", "reasons", "gaps")}
        for entry in data["match_rankings"]
    ] == [{"role": "Data Engineer", **row}]
