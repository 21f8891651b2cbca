"""Partners submit people: consent required, CVs checked as on the public site, nothing learnt about others."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from candidates.models import Candidate, Consent, ConsentMethod, ConsentPurpose
from pipelines.models import Activity, Stage, Submission
from tests.factories import CandidateFactory, SubmissionFactory

from .conftest import PDF_BYTES

BODY = {
    "name": "Ada Lovelace",
    "email": "Ada@Example.org",
    "phone": "+44 7700 900123",
    "consent": True,
    "consent_notice_version": "2026-01",
}


def test_submit_json_creates_candidate_consents_and_sourced_submissions(acme, public_role):
    response = acme.client.post("/api/v1/candidates/", {**BODY, "role_ids": [public_role.pk]}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json() == {"received": True, "role_ids": [public_role.pk]}
    [row] = acme.client.get("/api/v1/submissions/", {"role": public_role.pk}).json()["results"]
    assert row["role"] == public_role.pk and row["stage"] == "sourced"
    assert [change["to_stage"] for change in row["stage_history"]] == ["sourced"]

    candidate = Candidate.objects.get()
    assert (candidate.email, candidate.phone, candidate.source, candidate.source_partner) == (
        "ada@example.org",
        "+447700900123",
        "partner",
        acme.partner,
    )
    submission = Submission.objects.get()
    assert (submission.source, submission.source_partner, submission.stage) == ("partner", acme.partner, Stage.SOURCED)
    consents = {(c.purpose, c.role_id, c.method, c.partner_id) for c in Consent.objects.all()}
    assert consents == {
        (ConsentPurpose.DATA_PROCESSING, None, ConsentMethod.PARTNER, acme.partner.pk),
        (ConsentPurpose.REPRESENTATION, public_role.pk, ConsentMethod.PARTNER, acme.partner.pk),
    }


def test_submit_multipart_with_cv(acme, public_role, django_capture_on_commit_callbacks):
    cv = SimpleUploadedFile("ada.pdf", PDF_BYTES, content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):  # the CV is promoted on commit
        response = acme.client.post(
            "/api/v1/candidates/", {**BODY, "role_ids": [public_role.pk], "cv": cv}, format="multipart"
        )
    assert response.status_code == 201, response.json()
    candidate = Candidate.objects.get()
    assert candidate.cv_original_name == "ada.pdf"
    assert candidate.cv.read() == PDF_BYTES


@pytest.mark.parametrize(
    "change,field",
    [
        ({"consent": False}, "consent"),
        ({"consent_notice_version": ""}, "consent_notice_version"),
        ({"email": "not-an-email"}, "email"),
        ({"phone": "12"}, "phone"),
        ({"name": ""}, "name"),
        ({"role_ids": ["x"]}, "role_ids.0"),
    ],
)
def test_bad_input_gets_field_errors_and_stores_nothing(acme, change, field):
    response = acme.client.post("/api/v1/candidates/", {**BODY, **change}, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and field in error["fields"], error
    assert not Candidate.objects.exists() and not Consent.objects.exists()


@pytest.mark.parametrize(
    "content,name",
    [(b"MZ\x90\x00 an executable", "cv.pdf"), (b"PK\x03\x04 not really a zip", "cv.docx"), (b"hello", "cv.txt")],
)
def test_disguised_cv_is_refused_and_nothing_stored(acme, public_role, content, name):
    cv = SimpleUploadedFile(name, content)
    response = acme.client.post(
        "/api/v1/candidates/", {**BODY, "role_ids": [public_role.pk], "cv": cv}, format="multipart"
    )
    assert response.status_code == 400
    assert "PDF or a Word" in response.json()["error"]["message"]
    assert not Candidate.objects.exists() and not Submission.objects.exists() and not Consent.objects.exists()


def test_same_response_whether_or_not_the_person_existed(acme, rival, public_role):
    fresh = acme.client.post("/api/v1/candidates/", {**BODY, "email": "new@example.org"}, format="json")
    known = CandidateFactory(name="Recorded Name", email="known@example.org", notes="private")
    again = acme.client.post("/api/v1/candidates/", {**BODY, "email": "KNOWN@example.org"}, format="json")
    assert fresh.status_code == again.status_code == 201
    assert fresh.json() == again.json() == {"received": True, "role_ids": []}

    known.refresh_from_db()
    assert known.name == "Recorded Name"  # filled in where empty, never overwritten
    assert known.source_partner is None


def test_existing_cv_is_not_replaced_by_a_partner(acme):
    known = CandidateFactory(email="known@example.org")
    known.cv.save("cv.pdf", SimpleUploadedFile("cv.pdf", PDF_BYTES + b"original"), save=True)
    cv = SimpleUploadedFile("other.pdf", PDF_BYTES)
    response = acme.client.post("/api/v1/candidates/", {**BODY, "email": known.email, "cv": cv}, format="multipart")
    assert response.status_code == 201
    known.refresh_from_db()
    assert known.cv.read().endswith(b"original")


def test_person_already_in_the_pipeline_through_someone_else(acme, rival, public_role):
    known = CandidateFactory(email="known@example.org")
    theirs = SubmissionFactory(candidate=known, role=public_role, source="partner", source_partner=rival.partner)
    response = acme.client.post(
        "/api/v1/candidates/", {**BODY, "email": known.email, "role_ids": [public_role.pk]}, format="json"
    )
    assert response.status_code == 201
    assert response.json() == {"received": True, "role_ids": [public_role.pk]}  # as for anyone new
    assert Submission.objects.get() == theirs
    assert Activity.objects.get(submission=theirs).subject == "Also submitted by partner Acme Jobs"


def test_resubmitting_returns_the_partners_existing_submission(acme, public_role):
    first = acme.client.post("/api/v1/candidates/", {**BODY, "role_ids": [public_role.pk]}, format="json").json()
    second = acme.client.post("/api/v1/candidates/", {**BODY, "role_ids": [public_role.pk]}, format="json").json()
    assert first == second == {"received": True, "role_ids": [public_role.pk]}
    assert Submission.objects.count() == 1
