"""CVs are private: only staff allowed to view candidates can download them, always as an attachment."""

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.urls import reverse

from tests.factories import CandidateFactory, UserFactory

from .conftest import PDF_BYTES


@pytest.fixture
def candidate_with_cv(db):
    candidate = CandidateFactory(name="Alan Turing", cv_original_name="my cv.pdf")
    candidate.cv.save("cv.pdf", ContentFile(PDF_BYTES))
    return candidate


def url(candidate) -> str:
    return reverse("admin:candidates_candidate_cv", args=[candidate.pk])


@pytest.mark.django_db
def test_a_recruiter_downloads_the_cv_as_an_attachment(admin_client, candidate_with_cv):
    response = admin_client.get(url(candidate_with_cv))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Alan Turing" in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == PDF_BYTES


@pytest.mark.django_db
def test_staff_with_only_the_view_permission_may_download(client, candidate_with_cv):
    viewer = UserFactory(is_staff=True, username="viewer")
    viewer.user_permissions.add(Permission.objects.get(codename="view_candidate"))
    client.force_login(viewer)
    assert client.get(url(candidate_with_cv)).status_code == 200


@pytest.mark.django_db
def test_staff_without_permission_on_candidates_are_refused(client, candidate_with_cv):
    client.force_login(UserFactory(is_staff=True, username="intern"))
    assert client.get(url(candidate_with_cv)).status_code == 403


@pytest.mark.django_db
def test_anonymous_visitors_and_non_staff_are_sent_to_the_login_page(client, candidate_with_cv):
    assert client.get(url(candidate_with_cv)).status_code == 302
    client.force_login(UserFactory(is_staff=False, username="member"))
    response = client.get(url(candidate_with_cv))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


@pytest.mark.django_db
def test_the_cv_file_has_no_public_address(client, candidate_with_cv):
    assert client.get(f"/media/{candidate_with_cv.cv.name}").status_code == 404
    assert client.get(f"/{candidate_with_cv.cv.name}").status_code == 404


@pytest.mark.django_db
def test_a_missing_cv_or_missing_file_is_a_404(admin_client, candidate_with_cv):
    assert admin_client.get(url(CandidateFactory())).status_code == 404
    candidate_with_cv.cv.storage.delete(candidate_with_cv.cv.name)
    assert admin_client.get(url(candidate_with_cv)).status_code == 404
