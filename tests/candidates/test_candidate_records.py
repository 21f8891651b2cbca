import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from candidates import services
from candidates.models import Candidate, Consent
from tests.factories import CandidateFactory, SubmissionFactory

pytestmark = pytest.mark.django_db


def test_two_candidates_cannot_share_an_email_in_any_case():
    CandidateFactory(email="ada@lovelace.example")
    with pytest.raises(IntegrityError):
        CandidateFactory(email="ADA@Lovelace.example")


def test_candidates_without_email_are_allowed_side_by_side():
    CandidateFactory(email="")
    CandidateFactory(email="")
    assert Candidate.objects.filter(email="").count() == 2


def test_upsert_finds_the_same_person_case_insensitively_and_keeps_recruiter_data():
    existing = CandidateFactory(email="grace@hopper.example", name="Grace Hopper", current_title="Rear Admiral")
    candidate, created = services.candidate_upsert(
        email=" Grace@Hopper.EXAMPLE ", defaults={"name": "Someone Else", "current_title": "", "location": "NYC"}
    )
    assert not created
    assert candidate.pk == existing.pk
    candidate.refresh_from_db()
    assert candidate.name == "Grace Hopper"  # not overwritten by whoever knows the email
    assert candidate.location == "NYC"  # empty fields are filled in


def test_upsert_creates_with_a_normalised_email_and_phone():
    candidate, created = services.candidate_upsert(
        email="New.Person@Mail.Example", defaults={"name": "New Person", "phone": "07700 900123"}
    )
    assert created
    assert candidate.email == "new.person@mail.example"
    assert candidate.phone == "+447700900123"


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("+44 7700 900123", "+447700900123"),
        ("07700-900-123", "+447700900123"),
        ("+1 (415) 555-0100", "+14155550100"),
        ("", ""),
    ],
)
def test_phone_numbers_are_normalised(raw, expected):
    assert services.normalise_phone(raw) == expected


@pytest.mark.parametrize("raw", ["not a phone", "12", "+44 12"])
def test_bad_phone_numbers_get_a_clear_error(raw):
    with pytest.raises(ValidationError, match="valid phone number"):
        services.normalise_phone(raw)


def test_consent_for_representation_must_name_the_role():
    candidate = CandidateFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Consent.objects.create(candidate=candidate, purpose="representation", method="phone")


def test_a_candidate_with_submissions_cannot_be_deleted_silently():
    submission = SubmissionFactory()
    with pytest.raises(ProtectedError):
        submission.candidate.delete()
