"""Pipeline rules: how submissions are created and how activities are logged."""

from django.db import transaction
from django.utils import timezone

from candidates.models import Candidate, Source
from roles.models import Role

from .models import Activity, Stage, StageChange, Submission


@transaction.atomic
def submission_create(
    *,
    candidate: Candidate,
    role: Role,
    created_by=None,
    source: str = Source.SOURCED,
    source_partner=None,
    note: str = "",
) -> Submission:
    """Put a candidate into a role's pipeline at "sourced", with the first entry of its stage history."""
    now = timezone.now()
    submission = Submission.objects.create(
        candidate=candidate,
        role=role,
        stage=Stage.SOURCED,
        stage_changed_at=now,
        source=source,
        source_partner=source_partner,
        owner=created_by or role.owner,
    )
    StageChange.objects.create(
        submission=submission, from_stage="", to_stage=Stage.SOURCED, changed_by=created_by, changed_at=now, note=note
    )
    Candidate.objects.filter(pk=candidate.pk).update(last_activity_at=now)
    return submission


@transaction.atomic
def activity_log(
    *, author, kind: str, subject: str = "", body: str = "", occurred_at=None, **targets
) -> Activity:
    """Log a call, email, meeting or note against any of candidate, contact, client, role, submission."""
    submission = targets.get("submission")
    if submission is not None:
        targets.setdefault("candidate", submission.candidate)
        targets.setdefault("role", submission.role)
    activity = Activity.objects.create(
        author=author, kind=kind, subject=subject, body=body, occurred_at=occurred_at or timezone.now(), **targets
    )
    if activity.candidate_id:
        Candidate.objects.filter(pk=activity.candidate_id).update(last_activity_at=activity.occurred_at)
    return activity
