"""The wording and codes of stage-move refusals, and when the right to represent is checked.

test_transitions.py walks every from/to pair; these tests pin what the recruiter reads for each refusal and the
codes and fields a caller gets, so a change of wording or of the rule shows up here.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from candidates.models import CandidateStatus, Consent, ConsentPurpose
from pipelines.models import Placement, StageChange, Submission
from pipelines.services import stage_label, submission_move, transition_error
from tests import factories


@pytest.mark.parametrize(
    ("from_stage", "to_stage", "note", "message"),
    [
        ("sourced", "archived", "", "“archived” is not a stage."),
        ("screened", "screened", "a note", "It is already at “Screened”."),
        ("submitted", "submitted", "", "It is already at “Submitted to client”."),
        (
            "placed",
            "offer",
            "a note",
            "Placed is final. If the placement fell through, end it on the placement's page; "
            "that closes this submission.",
        ),
        (
            "placed",
            "withdrawn",
            "Left",
            "Placed is final. If the placement fell through, end it on the placement's "
            "page; that closes this submission.",
        ),
        ("rejected", "withdrawn", "a note", "It is already closed as “Rejected”; re-open it to an open stage first."),
        ("withdrawn", "rejected", "a note", "It is already closed as “Withdrawn”; re-open it to an open stage first."),
        (
            "withdrawn",
            "placed",
            "a note",
            "A “Withdrawn” submission cannot be placed directly: re-open it to an open stage first.",
        ),
        ("rejected", "screened", "", "Re-opening a “Rejected” submission needs a note saying why."),
        ("rejected", "screened", "   ", "Re-opening a “Rejected” submission needs a note saying why."),
        ("interview", "rejected", "", "Moving to “Rejected” needs a reason."),
        ("sourced", "withdrawn", " \n", "Moving to “Withdrawn” needs a reason."),
        (
            "offer",
            "submitted",
            "a note",
            "It cannot move back from “Offer” to “Submitted to client”: submissions only move forward. "
            "Reject or withdraw it instead.",
        ),
        (
            "screened",
            "sourced",
            "",
            "It cannot move back from “Screened” to “Sourced”: submissions only move forward. "
            "Reject or withdraw it instead.",
        ),
    ],
)
def test_each_refusal_says_why(from_stage, to_stage, note, message):
    assert transition_error(from_stage=from_stage, to_stage=to_stage, note=note) == message


@pytest.mark.parametrize(
    ("from_stage", "to_stage", "note"),
    [
        ("sourced", "placed", ""),  # forward any number of stages
        ("sourced", "screened", ""),
        ("offer", "placed", ""),
        ("offer", "rejected", "Took another offer"),
        ("rejected", "sourced", "Back on the market"),
        ("withdrawn", "offer", "Changed their mind"),
    ],
)
def test_allowed_moves_have_no_error(from_stage, to_stage, note):
    assert transition_error(from_stage=from_stage, to_stage=to_stage, note=note) is None


def test_the_note_defaults_to_none_given():
    assert transition_error(from_stage="offer", to_stage="rejected") == "Moving to “Rejected” needs a reason."


def test_stage_labels_and_unknown_values():
    assert stage_label("submitted") == "Submitted to client"
    assert stage_label("sourced") == "Sourced"
    assert stage_label("") == ""  # a submission's first history row comes from no stage
    assert stage_label("archived") == "archived"


def _refusal(submission, to_stage, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as error:
        submission_move(submission=submission, to_stage=to_stage, **kwargs)
    assert Submission.objects.get(pk=submission.pk).stage == submission.stage
    assert not StageChange.objects.filter(submission=submission).exists()
    return error.value


@pytest.mark.django_db
def test_a_refused_move_carries_the_transition_code(consented):
    error = _refusal(consented(stage="offer"), "screened")
    assert [(e.code, e.message) for e in error.error_list] == [
        (
            "transition_refused",
            "It cannot move back from “Offer” to “Screened”: submissions only move forward. "
            "Reject or withdraw it instead.",
        )
    ]


@pytest.mark.django_db
def test_the_representation_gate_lists_every_problem_with_its_code_and_fix():
    submission = factories.SubmissionFactory(
        stage="shortlisted",
        candidate__name="Ada Byron",
        candidate__status=CandidateStatus.DO_NOT_CONTACT,
        role__title="Vision Lead",
        role__client__name="Acme Robotics",
    )
    submission.candidate.off_limits_clients.add(submission.role.client)
    error = _refusal(submission, "submitted")
    prefix = "It cannot go to “Submitted to client”: "
    assert [(e.code, e.message) for e in error.error_list] == [
        (
            "cannot_represent",
            prefix + "Ada Byron is marked do not contact, so they cannot be submitted to a client. If they have "
            "asked to hear from us again, change their status on the candidate's page first.",
        ),
        (
            "cannot_represent",
            prefix + "Acme Robotics is on Ada Byron's off-limits list (for example their current employer). "
            "Remove it from the candidate's off-limits clients only if that no longer applies.",
        ),
        (
            "cannot_represent",
            prefix + "There is no recorded consent from Ada Byron to be represented for “Vision Lead”. Ask them, "
            "then record it with “Record consent to represent” on the submission's move page.",
        ),
    ]


@pytest.mark.django_db
def test_another_clients_off_limits_entry_does_not_block(consented):
    submission = consented(stage="shortlisted")
    submission.candidate.off_limits_clients.add(factories.ClientFactory())
    submission_move(submission=submission, to_stage="submitted")
    assert Submission.objects.get(pk=submission.pk).stage == "submitted"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("from_stage", "to_stage", "note"),
    [
        ("submitted", "interview", ""),  # the client has already seen the candidate
        ("interview", "offer", ""),
        ("sourced", "screened", ""),  # not yet in front of the client
        ("screened", "shortlisted", ""),
        ("shortlisted", "rejected", "Not a fit"),  # closing is never blocked
        ("rejected", "shortlisted", "Back in the running"),  # re-opening short of the client
    ],
)
def test_moves_that_do_not_newly_reach_the_client_skip_the_representation_check(from_stage, to_stage, note):
    """Only reaching "submitted to client" (or beyond) from before it, or from a closed state, is checked."""
    submission = factories.SubmissionFactory(stage=from_stage, candidate__status=CandidateStatus.DO_NOT_CONTACT)
    submission.candidate.off_limits_clients.add(submission.role.client)
    submission_move(submission=submission, to_stage=to_stage, note=note)
    assert Submission.objects.get(pk=submission.pk).stage == to_stage


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("from_stage", "to_stage", "note"),
    [
        ("shortlisted", "submitted", ""),
        ("sourced", "offer", ""),  # skipping past submitted
        ("screened", "placed", ""),
        ("rejected", "submitted", "Client asked again"),  # re-opening into the client's stages
        ("withdrawn", "interview", "Available again"),
    ],
)
def test_moves_that_newly_reach_the_client_are_checked(from_stage, to_stage, note):
    submission = factories.SubmissionFactory(stage=from_stage)
    error = _refusal(submission, to_stage, note=note)
    assert {e.code for e in error.error_list} == {"cannot_represent"}


@pytest.mark.django_db
def test_a_move_trims_its_note_and_returns_the_moved_submission(consented, recruiter):
    submission = consented(stage="interview")
    moved = submission_move(submission=submission, to_stage="rejected", by=recruiter, note="  Chose another  \n")
    assert moved is submission
    assert (moved.stage, moved.exit_reason) == ("rejected", "Chose another")
    change = StageChange.objects.get(submission=submission)
    assert (change.note, change.changed_by) == ("Chose another", recruiter)
    assert moved.stage_changed_at == change.changed_at
    reopened = submission_move(submission=submission, to_stage="shortlisted", note=" Back ")
    assert (reopened.stage, reopened.exit_reason) == ("shortlisted", "")
    assert StageChange.objects.filter(submission=submission).last().note == "Back"


@pytest.mark.django_db
def test_placing_by_day_rate_passes_the_pay_through(consented, recruiter):
    submission = consented(stage="offer", role__fee_type="flat", role__flat_fee=Decimal("9000"))
    start = timezone.localdate() + datetime.timedelta(days=7)
    submission_move(
        submission=submission, to_stage="placed", by=recruiter, start_date=start, agreed_day_rate=Decimal("650")
    )
    placement = Placement.objects.get(submission=submission)
    assert (placement.start_date, placement.agreed_day_rate, placement.created_by) == (
        start,
        Decimal("650.00"),
        recruiter,
    )


@pytest.mark.django_db
def test_withdrawn_consent_blocks_a_re_submission(consented):
    submission = consented(stage="rejected")
    Consent.objects.filter(candidate=submission.candidate, purpose=ConsentPurpose.REPRESENTATION).update(
        withdrawn_at=timezone.now()
    )
    error = _refusal(submission, "submitted", note="Client asked again")
    assert "no recorded consent" in error.messages[0]


@pytest.mark.django_db
def test_only_a_consent_to_be_represented_counts():
    submission = factories.SubmissionFactory(stage="shortlisted")
    factories.ConsentFactory(candidate=submission.candidate, purpose=ConsentPurpose.MARKETING, role=submission.role)
    error = _refusal(submission, "submitted")
    assert "no recorded consent" in error.messages[0]
