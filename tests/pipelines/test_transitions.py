"""Every from/to pair of stages through `submission_move`: allowed, or refused with a message that says why."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from pipelines.models import Placement, Stage, StageChange, Submission
from pipelines.services import submission_move

STAGES = ["sourced", "screened", "shortlisted", "submitted", "interview", "offer", "placed", "rejected", "withdrawn"]
# Rows: from; columns: to, in STAGES order.
#   ok  allowed as it is          R  needs a reason (rejected/withdrawn)   N  needs a note (re-opening)
#   P   needs start date and pay  =  already there                          B  moving back is refused
#   F   placed is final           C  closed to closed is refused           D  closed cannot be placed directly
MATRIX = """
sourced      =  ok ok ok ok ok P  R  R
screened     B  =  ok ok ok ok P  R  R
shortlisted  B  B  =  ok ok ok P  R  R
submitted    B  B  B  =  ok ok P  R  R
interview    B  B  B  B  =  ok P  R  R
offer        B  B  B  B  B  =  P  R  R
placed       F  F  F  F  F  F  =  F  F
rejected     N  N  N  N  N  N  D  =  C
withdrawn    N  N  N  N  N  N  D  C  =
"""
REFUSALS = {
    "=": "It is already at",
    "B": "cannot move back",
    "F": "Placed is final",
    "C": "already closed",
    "D": "cannot be placed directly",
    "R": "needs a reason",
    "N": "needs a note",
    "P": "start date",
}
CASES = [
    (row.split()[0], to_stage, code)
    for row in MATRIX.strip().splitlines()
    for to_stage, code in zip(STAGES, row.split()[1:], strict=True)
]


def test_the_table_has_a_row_and_a_column_for_every_stage_a_submission_can_be_in():
    """A stage added to the model without a row here would go untested: this fails until the table covers it."""
    assert sorted(STAGES) == sorted(Stage.values)
    assert [row.split()[0] for row in MATRIX.strip().splitlines()] == STAGES


def _refused(submission, to_stage, message, **kwargs):
    with pytest.raises(ValidationError) as error:
        submission_move(submission=submission, to_stage=to_stage, **kwargs)
    assert message in " ".join(error.value.messages)
    stored = Submission.objects.get(pk=submission.pk)
    assert stored.stage == submission.stage
    assert not StageChange.objects.filter(submission=submission).exists()
    assert not Placement.objects.filter(submission=submission).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("from_stage", "to_stage", "code"), CASES, ids=[f"{f}->{t}" for f, t, _ in CASES])
def test_transition(consented, recruiter, from_stage, to_stage, code):
    submission = consented(stage=from_stage)
    if code in ("=", "B", "F", "C", "D"):
        _refused(submission, to_stage, REFUSALS[code], by=recruiter, note="a note that does not help")
        return
    extra = {}
    if code in ("R", "N"):
        _refused(submission, to_stage, REFUSALS[code], by=recruiter)
        extra["note"] = "Client chose someone with more Kubernetes"
    if code == "P":
        _refused(submission, to_stage, REFUSALS[code], by=recruiter)
        extra = {"start_date": datetime.date.today() + datetime.timedelta(days=30), "agreed_salary": Decimal("95000")}

    submission_move(submission=submission, to_stage=to_stage, by=recruiter, **extra)

    stored = Submission.objects.select_related("candidate").get(pk=submission.pk)
    assert stored.stage == submission.stage == to_stage
    change = StageChange.objects.get(submission=submission)
    assert (change.from_stage, change.to_stage, change.changed_by) == (from_stage, to_stage, recruiter)
    assert change.note == extra.get("note", "")
    assert stored.candidate.last_activity_at == change.changed_at == stored.stage_changed_at
    if to_stage in ("rejected", "withdrawn"):
        assert stored.exit_reason == extra["note"]
    if code == "P":
        assert Placement.objects.get(submission=submission).agreed_salary == Decimal("95000")
