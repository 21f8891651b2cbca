"""When two records of one person are merged, their submissions to the same role become one.

Called through sonitec.events by candidates.merging.candidate_merge, inside its transaction.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from candidates.models import Candidate
from sonitec.merging import relations_repoint

from .models import STAGE_ORDER, Activity, ActivityKind, Stage, StageChange, Submission


def submission_progress(submission: Submission) -> int:
    """How far a submission got: its place on the forward path; an exit (rejected, withdrawn) counts lowest."""
    return STAGE_ORDER.index(submission.stage) if submission.stage in STAGE_ORDER else -1


@transaction.atomic
def submission_fold(*, first: Submission, second: Submission, by=None) -> Submission:
    """Two submissions of one person to one role: keep the one further along (the first when level), move the
    other's stage history, activities, messages and follow-ups to it, note what happened on it, and remove the
    other. Returns the submission kept.
    """
    if first.role_id != second.role_id:
        raise ValidationError("Only submissions to the same role can be folded into one.")
    kept, other = (first, second) if submission_progress(first) >= submission_progress(second) else (second, first)
    folded = list(StageChange.objects.filter(submission=other))
    for change in folded:
        change.submission = kept
        change.note = f"[from merged submission #{other.pk}] {change.note}".strip()
    StageChange.objects.bulk_update(folded, ["submission", "note"])
    relations_repoint(kept=kept, duplicate=other, handled={"pipelines.StageChange.submission"})
    Activity.objects.create(
        author=by,
        kind=ActivityKind.NOTE,
        subject="Submissions merged",
        body=(
            f"The same person was in this role twice. Kept this submission ({Stage(kept.stage).label}); "
            f"folded in submission #{other.pk} ({Stage(other.stage).label}) with its {len(folded)} stage changes."
        ),
        submission=kept,
        candidate_id=kept.candidate_id,
        role_id=kept.role_id,
    )
    if other.notes and kept.notes != other.notes:
        kept.notes = f"{kept.notes}\n\n{other.notes}".strip()
        kept.save(update_fields=["notes", "updated_at"])
    other._change_reason = f"Merged into submission #{kept.pk}"  # type: ignore[attr-defined]
    other.delete()
    return kept


def submissions_fold_for_merge(*, kept: Candidate, duplicate: Candidate, by=None) -> int:
    """Before two records of one person are merged: fold each submission of the duplicate into the kept record's
    submission to the same role. Returns how many were folded."""
    ours = {submission.role_id: submission for submission in Submission.objects.filter(candidate=kept)}
    folded = 0
    for theirs in Submission.objects.filter(candidate=duplicate):
        if theirs.role_id in ours:
            submission_fold(first=ours[theirs.role_id], second=theirs, by=by)
            folded += 1
    return folded
