"""Nobody is put in front of a client without the right to: off-limits clients, do-not-contact, consent."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from candidates.models import CandidateStatus, ConsentMethod, ConsentPurpose
from pipelines.models import StageChange, Submission
from pipelines.services import consent_record_representation, submission_move
from tests import factories

pytestmark = pytest.mark.django_db


def _refusal(submission, to_stage="submitted", **kwargs) -> str:
    with pytest.raises(ValidationError) as error:
        submission_move(submission=submission, to_stage=to_stage, **kwargs)
    assert Submission.objects.get(pk=submission.pk).stage == submission.stage
    assert not StageChange.objects.filter(submission=submission).exists()
    return " ".join(error.value.messages)


def test_no_consent_is_refused_with_how_to_fix_it():
    submission = factories.SubmissionFactory(stage="shortlisted")
    message = _refusal(submission)
    assert "no recorded consent" in message
    assert "Record consent to represent" in message


@pytest.mark.parametrize("to_stage", ["interview", "offer"])
def test_skipping_past_submitted_needs_the_same_right(to_stage):
    submission = factories.SubmissionFactory(stage="screened")
    assert "no recorded consent" in _refusal(submission, to_stage)


def test_consent_for_another_role_or_withdrawn_does_not_count(consented):
    submission = factories.SubmissionFactory(stage="shortlisted")
    factories.ConsentFactory(
        candidate=submission.candidate, purpose=ConsentPurpose.REPRESENTATION, role=factories.RoleFactory()
    )
    factories.ConsentFactory(
        candidate=submission.candidate,
        purpose=ConsentPurpose.REPRESENTATION,
        role=submission.role,
        withdrawn_at=timezone.now(),
    )
    assert "no recorded consent" in _refusal(submission)


def test_recorded_consent_lets_it_through(recruiter):
    submission = factories.SubmissionFactory(stage="shortlisted")
    consent = consent_record_representation(
        submission=submission, method=ConsentMethod.PHONE, by=recruiter, note="Agreed on a call"
    )
    assert (consent.role, consent.recorded_by, consent.method) == (submission.role, recruiter, "phone")
    submission_move(submission=submission, to_stage="submitted", by=recruiter)
    assert Submission.objects.get(pk=submission.pk).stage == "submitted"


def test_off_limits_client_is_refused(consented):
    submission = consented(stage="shortlisted")
    submission.candidate.off_limits_clients.add(submission.role.client)
    message = _refusal(submission)
    assert "off-limits" in message and str(submission.role.client) in message
    assert "no recorded consent" not in message


def test_do_not_contact_is_refused(consented):
    submission = consented(stage="shortlisted", candidate__status=CandidateStatus.DO_NOT_CONTACT)
    assert "do not contact" in _refusal(submission)


def test_every_problem_is_listed_at_once():
    submission = factories.SubmissionFactory(stage="shortlisted", candidate__status=CandidateStatus.DO_NOT_CONTACT)
    submission.candidate.off_limits_clients.add(submission.role.client)
    message = _refusal(submission)
    assert "do not contact" in message and "off-limits" in message and "no recorded consent" in message


def test_reopening_into_the_client_stages_is_checked_again(consented):
    submission = consented(stage="rejected")
    submission.candidate.off_limits_clients.add(submission.role.client)
    assert "off-limits" in _refusal(submission, "interview", note="Client asked again")


def test_moves_before_submitted_need_no_consent(recruiter):
    submission = factories.SubmissionFactory(stage="sourced")
    submission_move(submission=submission, to_stage="shortlisted", by=recruiter)
    assert Submission.objects.get(pk=submission.pk).stage == "shortlisted"


def test_a_bad_consent_method_is_refused():
    submission = factories.SubmissionFactory()
    with pytest.raises(ValidationError):
        consent_record_representation(submission=submission, method="telepathy")
