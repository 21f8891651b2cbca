"""The recruiter's side in the admin: import with a preview, duplicate warnings, merging, exports."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from candidates.models import Candidate, CandidateDuplicate
from clients.models import Contact, ContactDuplicate
from imports import admin as imports_admin
from imports.models import ExportRecord, ImportJob
from pipelines.models import Activity
from sonitec.celery import app as celery_app
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def eager_celery():
    was = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = was


def upload(admin_client, content: bytes, source="Careers fair list, consent by email"):
    with_file = SimpleUploadedFile("people.csv", content, content_type="text/csv")
    return admin_client.post(
        reverse("admin:imports_importjob_add"), {"kind": "candidates", "file": with_file, "source": source}
    )


def test_upload_preview_shows_errors_by_line_and_refuses_to_confirm_until_fixed(
    admin_client, eager_celery, django_capture_on_commit_callbacks
):
    factories.CandidateFactory(email="known@example.org")
    bad = b"Name,Email,Phone\nAda,ada@example.org,\nBob,bob@,\nKnown,KNOWN@example.org,\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(admin_client, bad)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{job.pk}/change/")
    page = admin_client.get(response["Location"]).content.decode()
    assert "created 1, updated 1, duplicates 0, errors 1" in page
    assert "<td>3</td><td>email: “bob@” is not a valid email address</td>" in page
    assert "Import these" not in page
    response = admin_client.post(reverse("admin:imports_importjob_confirm", args=[job.pk]))
    assert Candidate.objects.count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = upload(admin_client, bad.replace(b"bob@,", b"bob@example.org,"))
    job = ImportJob.objects.latest("id")
    assert "Import these 3 rows" in admin_client.get(response["Location"]).content.decode()
    assert Candidate.objects.count() == 1  # still nothing stored before confirming
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("admin:imports_importjob_confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "done" and job.counts == {"created": 2, "updated": 1, "duplicates": 0, "errors": 0}
    assert Candidate.objects.count() == 3


def test_the_preview_lists_every_row_a_page_at_a_time(
    admin_client, eager_celery, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(imports_admin, "PREVIEW_PAGE_ROWS", 2)
    factories.CandidateFactory(email="known@example.org")
    content = b"Name,Email\nAda,ada@example.org\nBob,bob@example.org\nKnown,KNOWN@example.org\nAda L,ADA@example.org\n"
    with django_capture_on_commit_callbacks(execute=True):
        url = upload(admin_client, content)["Location"]

    first = admin_client.get(url).content.decode()
    assert "Rows 1–2 of 4" in first and "<td>2</td><td>new</td>" in first and "<td>4</td>" not in first
    second = admin_client.get(f"{url}?page=2").content.decode()
    assert "<td>4</td><td>update</td>" in second
    assert "<td>5</td><td>duplicate</td><td>same as line 2</td>" in second
    duplicates = admin_client.get(f"{url}?outcome=duplicate").content.decode()
    assert "<td>5</td>" in duplicates and "<td>2</td>" not in duplicates


def test_candidates_cannot_be_uploaded_without_a_source(admin_client):
    response = upload(admin_client, b"name,email\nAda,ada@example.org\n", source="")
    assert response.status_code == 200
    assert "lawful basis" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_add_page_warns_with_links_before_saving_a_likely_duplicate(admin_client):
    known = factories.CandidateFactory(name="Jane Doe", phone="+447700900123")
    data = {
        "name": "Jane D.",
        "email": "jane@elsewhere.example",
        "phone": "07700 900123",
        "currency": "GBP",
        "right_to_work": "unknown",
        "security_clearance": "none",
        "source": "sourced",
        "status": "active",
        "candidate_skills-TOTAL_FORMS": "0",
        "candidate_skills-INITIAL_FORMS": "0",
        "consents-TOTAL_FORMS": "0",
        "consents-INITIAL_FORMS": "0",
        "documents-TOTAL_FORMS": "0",
        "documents-INITIAL_FORMS": "0",
    }
    response = admin_client.post(reverse("admin:candidates_candidate_add"), data)
    page = response.content.decode()
    assert response.status_code == 200 and "This looks like a record already on file" in page
    assert reverse("admin:candidates_candidate_change", args=[known.pk]) in page
    assert Candidate.objects.count() == 1

    response = admin_client.post(reverse("admin:candidates_candidate_add"), {**data, "save_anyway": "on"})
    assert response.status_code == 302
    assert Candidate.objects.count() == 2
    # Saved anyway: the pair is on the "Possible duplicates" list to decide later.
    pair = CandidateDuplicate.objects.get()
    page = admin_client.get(reverse("admin:candidates_candidateduplicate_changelist")).content.decode()
    assert reverse("admin:candidates_candidate_merge", args=[pair.first_id, pair.second_id]) in page

    admin_client.post(
        reverse("admin:candidates_candidateduplicate_changelist"),
        {"action": "dismiss", "_selected_action": [pair.pk]},
    )
    assert CandidateDuplicate.objects.get().status == "not_duplicate"
    assert "Jane D." not in admin_client.get(reverse("admin:candidates_candidateduplicate_changelist")).content.decode()


def test_a_contact_saved_anyway_goes_on_the_possible_duplicates_list(admin_client):
    known = factories.ContactFactory(name="Wile E. Coyote", email="wile@acme.example")
    data = {"client": known.client_id, "name": "W. Coyote", "email": "WILE@acme.example"}
    page = admin_client.post(reverse("admin:clients_contact_add"), data).content.decode()
    assert "This looks like a record already on file" in page and Contact.objects.count() == 1

    response = admin_client.post(reverse("admin:clients_contact_add"), {**data, "save_anyway": "on"})
    assert response.status_code == 302
    pair = ContactDuplicate.objects.get()
    assert pair.reasons == ["same email address"]
    page = admin_client.get(reverse("admin:clients_contactduplicate_changelist")).content.decode()
    assert reverse("admin:clients_contact_merge", args=[pair.first_id, pair.second_id]) in page


def test_a_change_page_lists_its_possible_duplicates_and_a_client_add_page_warns(admin_client):
    kept = factories.CandidateFactory(name="Jane Doe", phone="+447700900123")
    other = factories.CandidateFactory(name="J. Doe", phone="07700 900123")
    page = admin_client.get(reverse("admin:candidates_candidate_change", args=[kept.pk])).content.decode()
    assert "same phone number" in page
    assert reverse("admin:candidates_candidate_merge", args=[kept.pk, other.pk]) in page

    factories.ClientFactory(name="Acme Robotics Ltd", website="https://www.acme.example")
    data = {"name": "Acme Robotics", "website": "https://acme.example", "industry": "robotics", "status": "active"}
    page = admin_client.post(reverse("admin:clients_client_add"), data).content.decode()
    assert "This looks like a record already on file" in page


def test_merge_page_shows_both_records_and_merges_with_the_chosen_values(admin_client):
    kept = factories.CandidateFactory(name="Ada Lovelace", location="")
    duplicate = factories.CandidateFactory(name="Augusta Ada King", location="London")
    factories.ActivityFactory(candidate=duplicate)
    url = reverse("admin:candidates_candidate_merge", args=[kept.pk, duplicate.pk])
    page = admin_client.get(url).content.decode()
    assert "Ada Lovelace" in page and "Augusta Ada King" in page
    assert 'name="choice_location" value="duplicate" checked' in page  # empty on the kept record

    response = admin_client.post(url, {"choice_name": "duplicate", "choice_location": "duplicate"})
    assert response.status_code == 302
    merged = Candidate.objects.get()
    assert (merged.pk, merged.name, merged.location) == (kept.pk, "Augusta Ada King", "London")
    assert Activity.objects.get().candidate_id == kept.pk


def test_export_keeps_the_filters_needs_the_permission_and_is_recorded(client):
    factories.CandidateFactory(name="Active One", status="active")
    factories.CandidateFactory(name="Placed One", status="placed")
    user = factories.UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_candidate"))
    client.force_login(user)
    url = reverse("admin:candidates_candidate_export") + "?status__exact=active"
    assert client.post(url, {"format": "0", "resource": "0"}).status_code == 403
    assert "export_link" not in client.get(reverse("admin:candidates_candidate_changelist")).content.decode()

    user.user_permissions.add(Permission.objects.get(codename="export_data"))
    client.force_login(user)
    response = client.post(url, {"format": "0", "resource": "0"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Active One" in body and "Placed One" not in body
    assert body.splitlines()[0].startswith("id,name,email,phone")
    record = ExportRecord.objects.get()
    assert (record.user, record.model, record.rows, record.filters) == (
        user,
        "candidates.Candidate",
        1,
        "status__exact=active",
    )
    response = client.post(url, {"format": "1", "resource": "0"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
