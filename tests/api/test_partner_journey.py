"""The issue's "done when": a new partner lists roles, submits a person with a CV, sees the stage change a recruiter
makes and receives a signed webhook for it; another partner sees none of it. Plus the staff endpoints it uses."""

import io
import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from rest_framework.test import APIClient

from pipelines.models import Stage, Submission
from tests.factories import CandidateFactory, ClientFactory

from .conftest import PDF_BYTES, make_partner
from .test_webhooks import verify


def test_new_partner_journey(db, public_role, receiver, recruiter, django_capture_on_commit_callbacks):
    out = io.StringIO()
    call_command("create_partner", "Board Co", "--email", "dev@board.example", stdout=out)
    partner = APIClient()
    partner.credentials(HTTP_AUTHORIZATION=f"Bearer {out.getvalue().strip().splitlines()[-1]}")
    rival = make_partner("Rival Sourcing")

    roles = partner.get("/api/v1/roles/?pillar=ml-engineer").json()["results"]
    assert [role["id"] for role in roles] == [public_role.pk]
    hook = partner.post(
        "/api/v1/webhooks/", {"url": receiver.url, "events": ["submission.stage_changed"]}, format="json"
    ).json()
    submitted = partner.post(
        "/api/v1/candidates/",
        {
            "name": "Grace Hopper",
            "email": "grace@example.org",
            "consent": "true",
            "consent_notice_version": "2026-01",
            "role_ids": [public_role.pk],
            "cv": SimpleUploadedFile("grace.pdf", PDF_BYTES),
        },
        format="multipart",
        HTTP_IDEMPOTENCY_KEY="grace-1",
    )
    assert submitted.status_code == 201, submitted.json()
    assert submitted.json() == {"received": True, "role_ids": [public_role.pk]}
    listed = partner.get("/api/v1/submissions/", {"role": public_role.pk}).json()["results"]
    submission_id = listed[0]["id"]

    staff = APIClient()
    staff.force_login(recruiter)
    with django_capture_on_commit_callbacks(execute=True):
        moved = staff.post(f"/api/v1/staff/submissions/{submission_id}/move/", {"to_stage": "screened"}, format="json")
    assert moved.status_code == 200, moved.json()

    seen = partner.get(f"/api/v1/submissions/{submission_id}/").json()
    assert seen["stage"] == "screened" and "notes" not in seen
    [request] = receiver.requests
    assert verify(request, hook["secret"])["data"]["submission"]["id"] == submission_id

    assert rival.client.get("/api/v1/submissions/").json()["results"] == []
    assert rival.client.get(f"/api/v1/submissions/{submission_id}/").status_code == 404
    assert rival.client.get("/api/v1/webhooks/").json()["results"] == []


def test_staff_moves_follow_the_pipeline_rules_and_stage_is_not_editable(recruiter, public_role):
    staff = APIClient()
    staff.force_login(recruiter)
    candidate = CandidateFactory()
    created = staff.post(
        "/api/v1/staff/submissions/", {"candidate": candidate.pk, "role": public_role.pk}, format="json"
    )
    assert created.status_code == 201, created.json()
    submission_id = created.json()["id"]
    assert created.json()["stage"] == "sourced" and len(created.json()["stage_history"]) == 1

    edited = staff.patch(
        f"/api/v1/staff/submissions/{submission_id}/", {"stage": "placed", "notes": "Strong"}, format="json"
    )
    assert edited.status_code == 200
    assert Submission.objects.get().stage == Stage.SOURCED and Submission.objects.get().notes == "Strong"

    # No recorded consent to represent: the pipeline refuses, and says why, field-free.
    refused = staff.post(f"/api/v1/staff/submissions/{submission_id}/move/", {"to_stage": "submitted"}, format="json")
    assert refused.status_code == 400
    assert "consent" in refused.json()["error"]["message"]
    assert Submission.objects.get().stage == Stage.SOURCED


def test_staff_delete_of_a_referenced_record_is_a_conflict(recruiter, public_role):
    staff = APIClient()
    staff.force_login(recruiter)
    response = staff.delete(f"/api/v1/staff/clients/{public_role.client_id}/")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "conflict"
    unused = ClientFactory()
    assert staff.delete(f"/api/v1/staff/clients/{unused.pk}/").status_code == 204


def test_error_shape_is_the_same_everywhere(acme):
    for response in (
        acme.client.get("/api/v1/roles/999999/"),
        acme.client.get("/api/v1/no-such-endpoint/"),
        acme.client.post("/api/v1/candidates/", {"email": "x"}, format="json"),
        APIClient().get("/api/v1/roles/"),
        acme.client.post("/api/v1/candidates/", "{not json", content_type="application/json"),
    ):
        error = json.loads(response.content)["error"]
        assert error["status"] == response.status_code and error["code"] and error["message"]


def test_staff_open_a_role_through_the_status_endpoint_and_partners_hear_of_it(
    recruiter, acme, receiver, django_capture_on_commit_callbacks
):
    from roles.models import PartnerVisibility, RoleStatus
    from tests.factories import RoleFactory

    role = RoleFactory(status=RoleStatus.DRAFT, partner_visibility=PartnerVisibility.ALL, opened_on=None)
    acme.client.post("/api/v1/webhooks/", {"url": receiver.url, "events": ["role.published"]}, format="json")
    staff = APIClient()
    staff.force_login(recruiter)
    assert staff.patch(f"/api/v1/staff/roles/{role.pk}/", {"status": "open"}, format="json").json()["status"] == "draft"
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(f"/api/v1/staff/roles/{role.pk}/status/", {"status": "open"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "open" and response.json()["opened_on"]
    assert [json.loads(r["body"])["type"] for r in receiver.requests] == ["role.published"]
    assert acme.client.get(f"/api/v1/roles/{role.pk}/").status_code == 200
