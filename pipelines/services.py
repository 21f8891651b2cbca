"""Pipeline rules: creating submissions, moving them between stages, placements, and logging activities.

`submission_move` is the only way a submission changes stage; the admin, its actions, the board, the API
and tasks all call it, so the rules below hold everywhere.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from candidates.models import Candidate, CandidateStatus, Consent, ConsentMethod, ConsentPurpose, Source
from candidates.selectors import consent_in_force_q
from candidates.services import (
    candidate_cv_receive,
    candidate_upsert,
    consent_record,
    cv_validate,
    stored_files_removed_on_rollback,
)
from roles.models import Role, RoleStatus
from roles.services import role_set_status
from sonitec import events
from sonitec.audit import audited_update

from . import fees
from .models import (
    EXIT_STAGES,
    OPEN_STAGES,
    STAGE_ORDER,
    Activity,
    ActivityKind,
    Placement,
    PlacementStatus,
    RejectionReason,
    Stage,
    StageChange,
    Submission,
)


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
    _candidate_touched(candidate.pk, now)
    return submission


def _candidate_touched(candidate_id: int, moment: datetime.datetime) -> None:
    # last_activity_at is not audited (no history row), but the API shows it: updated_at moves so that an
    # `updated_since` sync fetches the candidate again.
    Candidate.objects.filter(pk=candidate_id).update(last_activity_at=moment, updated_at=timezone.now())


@transaction.atomic
def activity_log(*, author, kind: str, subject: str = "", body: str = "", occurred_at=None, **targets) -> Activity:
    """Log a call, email, meeting or note against any of candidate, contact, client, role, submission."""
    submission = targets.get("submission")
    if submission is not None:
        targets.setdefault("candidate", submission.candidate)
        targets.setdefault("role", submission.role)
    activity = Activity.objects.create(
        author=author, kind=kind, subject=subject, body=body, occurred_at=occurred_at or timezone.now(), **targets
    )
    if activity.candidate_id:
        _candidate_touched(activity.candidate_id, activity.occurred_at)
    return activity


# ---- stage rules -----------------------------------------------------------------------------------

# Stages at which the client has seen the candidate; reaching any of them needs the right to represent.
CLIENT_FACING_STAGES = STAGE_ORDER[STAGE_ORDER.index(Stage.SUBMITTED) :]


def stage_label(stage: str) -> str:
    return Stage(stage).label if stage in Stage.values else stage


def transition_error(*, from_stage: str, to_stage: str, note: str = "") -> str | None:
    """Why a submission may not move from `from_stage` to `to_stage` with this note, or None if it may.

    Forward any number of stages; rejected or withdrawn from any open stage with a reason; re-opening a
    rejected or withdrawn submission with a note; placed is final (a placement that falls through closes it).
    """
    if to_stage not in Stage.values:
        return f"“{to_stage}” is not a stage."
    was, goes = stage_label(from_stage), stage_label(to_stage)
    if from_stage == to_stage:
        return f"It is already at “{was}”."
    if from_stage == Stage.PLACED:
        return (
            "Placed is final. If the placement fell through, end it on the placement's page; "
            "that closes this submission."
        )
    if from_stage in EXIT_STAGES:
        if to_stage in EXIT_STAGES:
            return f"It is already closed as “{was}”; re-open it to an open stage first."
        if to_stage == Stage.PLACED:
            return f"A “{was}” submission cannot be placed directly: re-open it to an open stage first."
        if not note.strip():
            return f"Re-opening a “{was}” submission needs a note saying why."
        return None
    if to_stage in EXIT_STAGES:
        if not note.strip():
            return f"Moving to “{goes}” needs a reason."
        return None
    if STAGE_ORDER.index(to_stage) < STAGE_ORDER.index(from_stage):
        return (
            f"It cannot move back from “{was}” to “{goes}”: submissions only move forward. "
            "Reject or withdraw it instead."
        )
    return None


def submission_representation_problems(*, submission: Submission) -> list[str]:
    """What stops this candidate being put in front of this role's client, each with how to fix it."""
    candidate, role = submission.candidate, submission.role
    problems = []
    if candidate.status == CandidateStatus.DO_NOT_CONTACT:
        problems.append(
            f"{candidate} is marked do not contact, so they cannot be submitted to a client. If they have asked "
            "to hear from us again, change their status on the candidate's page first."
        )
    if candidate.off_limits_clients.filter(pk=role.client_id).exists():
        problems.append(
            f"{role.client} is on {candidate}'s off-limits list (for example their current employer). Remove it "
            "from the candidate's off-limits clients only if that no longer applies."
        )
    # Expired consent (the role closed too long ago) counts as absent, like withdrawn consent.
    # A partner's attestation covers only that partner's own submission; consent recorded by staff or given
    # by the candidate on the web covers any submission of theirs to this role.
    if (
        not Consent.objects.filter(candidate=candidate, purpose=ConsentPurpose.REPRESENTATION, role=role)
        .filter(consent_in_force_q())
        .filter(Q(partner__isnull=True) | Q(partner_id=submission.source_partner_id))
        .exists()
    ):
        problems.append(
            f"There is no recorded consent from {candidate} to be represented for “{role.title}”. Ask them, then "
            "record it with “Record consent to represent” on the submission's move page."
        )
    return problems


def _moves_towards_client(from_stage: str, to_stage: str) -> bool:
    """True when this move reaches "submitted to client" or beyond from before it (or from a closed state)."""
    if to_stage not in CLIENT_FACING_STAGES:
        return False
    return from_stage in EXIT_STAGES or from_stage not in CLIENT_FACING_STAGES


def _stage_write(
    *, submission: Submission, to_stage: str, by, note: str, rejection_reason: RejectionReason | None = None
) -> StageChange:
    """Store a stage change on a locked submission: its stage, its history and the candidate's activity time."""
    now = timezone.now()
    from_stage = submission.stage
    submission.stage = to_stage
    submission.stage_changed_at = now
    if to_stage in EXIT_STAGES:
        submission.exit_reason = note[:255]
    elif from_stage in EXIT_STAGES:
        submission.exit_reason = ""
    submission.rejection_reason = rejection_reason if to_stage == Stage.REJECTED else None
    # Any move is the decision a filled role asked for.
    submission.needs_decision = False
    submission.save(
        update_fields=["stage", "stage_changed_at", "exit_reason", "rejection_reason", "needs_decision", "updated_at"]
    )
    change = StageChange.objects.create(
        submission=submission, from_stage=from_stage, to_stage=to_stage, changed_by=by, changed_at=now, note=note
    )
    _candidate_touched(submission.candidate_id, now)
    events.stage_changed(change)
    return change


def _copy_state(*, source: Submission, target: Submission) -> None:
    for field in ("stage", "stage_changed_at", "exit_reason", "rejection_reason_id", "needs_decision", "updated_at"):
        setattr(target, field, getattr(source, field))


@transaction.atomic
def submission_move(
    *,
    submission: Submission,
    to_stage: str,
    by=None,
    note: str = "",
    start_date: datetime.date | None = None,
    agreed_salary: Decimal | None = None,
    agreed_day_rate: Decimal | None = None,
    rejection_reason: RejectionReason | None = None,
) -> Submission:
    """Move a submission to another stage: the only way a stage changes.

    `note` is the reason when rejecting or withdrawing and the explanation when re-opening; a rejection may
    also carry a coded `rejection_reason` (its label is the note when no text is given). Moving to placed
    needs the start date and the agreed pay, and creates the placement. The row is locked and re-read first,
    so two people moving the same submission at once are applied one after the other, each checked against
    the stage the other left. Raises ValidationError (and stores nothing) when the move is not allowed.
    """
    note = (note or "").strip()
    if rejection_reason is not None:
        if to_stage != Stage.REJECTED:
            raise ValidationError(
                {"rejection_reason": "A rejection reason goes only with a move to “Rejected”."}, code="reason_misplaced"
            )
        if not rejection_reason.is_active:
            raise ValidationError(
                {"rejection_reason": f"“{rejection_reason}” is no longer in use: pick another reason."},
                code="reason_inactive",
            )
        note = note or rejection_reason.label
    locked = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("candidate", "role__client")
        .get(pk=submission.pk)
    )
    from_stage = locked.stage
    error = transition_error(from_stage=from_stage, to_stage=to_stage, note=note)
    if error:
        raise ValidationError(error, code="transition_refused")
    if _moves_towards_client(from_stage, to_stage):
        problems = submission_representation_problems(submission=locked)
        if problems:
            # A list of plain messages would lose the code: each problem is its own error.
            raise ValidationError(
                [
                    ValidationError(
                        f"It cannot go to “{stage_label(Stage.SUBMITTED)}”: {problem}", code="cannot_represent"
                    )
                    for problem in problems
                ]
            )
    _stage_write(submission=locked, to_stage=to_stage, by=by, note=note, rejection_reason=rejection_reason)
    if to_stage == Stage.PLACED:
        placement_create(
            submission=locked,
            start_date=start_date,
            agreed_salary=agreed_salary,
            agreed_day_rate=agreed_day_rate,
            by=by,
        )
    _copy_state(source=locked, target=submission)
    return submission


@transaction.atomic
def submissions_move(*, submissions, to_stage: str, by=None, note: str = "") -> int:
    """Move several submissions at once (bulk actions): all of them, or, if any is refused, none.

    The ValidationError lists every refused submission with its reason.
    """
    errors: list[ValidationError] = []
    count = 0
    for submission in submissions:
        try:
            with transaction.atomic():
                submission_move(submission=submission, to_stage=to_stage, by=by, note=note)
            count += 1
        except ValidationError as error:
            errors.append(ValidationError(f"{submission}: {' '.join(error.messages)}", code="bulk_move_refused"))
    if errors:
        raise ValidationError(errors)
    return count


@transaction.atomic
def consent_record_representation(
    *, submission: Submission, method: str, by=None, note: str = "", notice_version: str = ""
) -> Consent:
    """Record that the candidate agreed to be represented to the client for this submission's role."""
    if method not in ConsentMethod.values:
        raise ValidationError(
            {"method": ValidationError("Choose how the candidate gave their consent.", code="invalid_choice")}
        )
    return consent_record(
        candidate=submission.candidate,
        purpose=ConsentPurpose.REPRESENTATION,
        role=submission.role,
        method=method,
        recorded_by=by,
        note=note[:255],
        notice_version=notice_version,
    )


# ---- placements ------------------------------------------------------------------------------------


def _active_placements(role: Role) -> int:
    return Placement.objects.filter(submission__role=role).exclude(status=PlacementStatus.FELL_THROUGH).count()


@transaction.atomic
def placement_create(
    *,
    submission: Submission,
    start_date: datetime.date | None,
    agreed_salary: Decimal | None = None,
    agreed_day_rate: Decimal | None = None,
    by=None,
) -> Placement:
    """Create the placement of a submission that `submission_move` has just moved to placed.

    Fee and guarantee come from the role's terms (falling back to the client's defaults). When the role's
    placements reach its headcount the role becomes filled and its other open submissions are flagged for
    a decision rather than silently closed.
    """
    if submission.stage != Stage.PLACED:
        raise ValidationError("Place a candidate by moving the submission to “Placed”.", code="not_placed")
    # Each refusal names its field and carries a code, so a caller can tell them apart without reading the text.
    errors: dict[str, ValidationError] = {}
    if start_date is None:
        errors["start_date"] = ValidationError("Enter the start date to place the candidate.", code="required")
    if agreed_salary is None and agreed_day_rate is None:
        errors["agreed_salary"] = ValidationError(
            "Enter the agreed pay: the first-year salary, or the day rate for a contract.", code="required"
        )
    elif agreed_salary is not None and agreed_salary <= 0:
        errors["agreed_salary"] = ValidationError("The agreed salary must be more than zero.", code="salary_invalid")
    if agreed_day_rate is not None and agreed_day_rate <= 0:
        errors["agreed_day_rate"] = ValidationError(
            "The agreed day rate must be more than zero.", code="day_rate_invalid"
        )
    if errors or start_date is None:
        raise ValidationError(errors)
    role = Role.objects.select_for_update(of=("self",)).select_related("client").get(pk=submission.role_id)
    placed = _active_placements(role)
    if placed >= role.headcount:
        raise ValidationError(
            f"“{role.title}” is already filled ({placed} of {role.headcount} placed). If the client is hiring "
            "another person, raise the role's headcount first.",
            code="role_full",
        )
    terms = fees.fee_terms_for_role(role)
    fee = fees.fee_amount(terms=terms, agreed_salary=agreed_salary)
    today = timezone.localdate()
    placement = Placement.objects.create(
        submission=submission,
        start_date=start_date,
        currency=terms.currency,
        agreed_salary=agreed_salary,
        agreed_day_rate=agreed_day_rate,
        fee_type=terms.fee_type,
        fee_percent=terms.fee_percent,
        fee_amount=fee,
        guarantee_days=terms.guarantee_days,
        guarantee_ends_on=fees.guarantee_end(start_date=start_date, guarantee_days=terms.guarantee_days),
        status=PlacementStatus.PENDING_START if start_date > today else PlacementStatus.STARTED,
        created_by=by,
    )
    audited_update(Candidate.objects.filter(pk=submission.candidate_id), status=CandidateStatus.PLACED)
    events.placement_created(placement)
    if placed + 1 >= role.headcount:
        audited_update(Submission.objects.filter(role=role, stage__in=OPEN_STAGES), needs_decision=True)
        role_set_status(role=role, status=RoleStatus.FILLED, by=by)
    return placement


@transaction.atomic
def placement_end(*, placement: Placement, ended_on: datetime.date | None, reason: str, by=None) -> Placement:
    """Record that a placed person left (or never started).

    Inside the guarantee period the placement falls through: the rebate owed is computed from the role's
    terms, the submission is closed as withdrawn and a filled role re-opens for a replacement. After it,
    the end is recorded and nothing is owed.
    """
    reason = (reason or "").strip()
    locked = (
        Placement.objects.select_for_update(of=("self",))
        .select_related("submission__role__client", "submission__candidate")
        .get(pk=placement.pk)
    )
    errors: dict[str, ValidationError] = {}
    if locked.ended_on is not None:
        raise ValidationError(f"This placement already ended on {locked.ended_on:%d %b %Y}.", code="already_ended")
    if ended_on is None:
        errors["ended_on"] = ValidationError("Enter the date the placement ended.", code="required")
    elif ended_on > timezone.localdate():
        errors["ended_on"] = ValidationError(
            "The end date cannot be in the future: record the end when it has happened.", code="in_future"
        )
    if not reason:
        errors["termination_reason"] = ValidationError("Say why the placement ended.", code="required")
    if errors or ended_on is None:
        raise ValidationError(errors)
    role = locked.submission.role
    inside_guarantee = ended_on <= locked.guarantee_ends_on
    locked.ended_on = ended_on
    locked.termination_reason = reason
    locked.rebate_amount = fees.rebate_amount(
        fee=locked.fee_amount,
        rebate_policy=role.rebate_policy,
        start_date=locked.start_date,
        guarantee_days=locked.guarantee_days,
        ended_on=ended_on,
    )
    locked.status = PlacementStatus.FELL_THROUGH if inside_guarantee else PlacementStatus.GUARANTEE_PASSED
    locked.save(update_fields=["ended_on", "termination_reason", "rebate_amount", "status", "updated_at"])
    if inside_guarantee:
        submission = Submission.objects.select_for_update(of=("self",)).get(pk=locked.submission_id)
        _stage_write(submission=submission, to_stage=Stage.WITHDRAWN, by=by, note=f"Placement fell through: {reason}")
        placed = Candidate.objects.filter(pk=submission.candidate_id, status=CandidateStatus.PLACED)
        audited_update(placed, status=CandidateStatus.ACTIVE)
        if role.status == RoleStatus.FILLED and _active_placements(role) < role.headcount:
            role_set_status(role=role, status=RoleStatus.OPEN, by=by)
    events.placement_ended(locked)
    for field in ("ended_on", "termination_reason", "rebate_amount", "status", "updated_at"):
        setattr(placement, field, getattr(locked, field))
    return placement


# ---- applications from the job board ----------------------------------------------------------


def cv_received(*, candidate: Candidate, upload: UploadedFile, source: str, via: str) -> None:
    """Keep a CV someone sent as a new version; when the candidate already had a current CV, recruiters see a
    "new CV" activity and choose on the candidate's page whether the new version becomes current."""
    document, new = candidate_cv_receive(candidate=candidate, upload=upload, source=source)
    if new and candidate.cv.name != document.file.name:
        activity_log(
            author=None,
            kind=ActivityKind.NOTE,
            candidate=candidate,
            subject=f"New CV received through {via}: {document.original_name}"[:200],
            body="The current CV is unchanged; make the new version current on the candidate's page if it should be.",
        )


def candidate_apply(
    *,
    role,
    name: str,
    email: str,
    consent: bool,
    notice_version: str,
    phone: str = "",
    linkedin_url: str = "",
    github_url: str = "",
    cv: UploadedFile | None = None,
):
    """An application from the job board: the candidate (found by email or created), their consent to data
    processing with the notice version they saw, the CV, and a Submission at "sourced" from the job board.

    The applicant learns nothing about existing records: the outcome looks the same whether the person or the
    application already existed. Applying twice to a role adds nothing but the new consent and CV version; an
    application never overwrites what recruiters hold (fields are only filled where empty, the current CV stays).
    Returns the submission.
    """
    if not consent:
        raise ValidationError({"consent": "Please agree to the processing of your data to apply."})
    if role.status != RoleStatus.OPEN or not role.published_on_job_board:
        raise ValidationError("This role is no longer open for applications.")
    if cv is not None:
        cv_validate(cv)  # before anything is stored
    defaults = {
        "name": name.strip(),
        "phone": phone,
        "linkedin_url": linkedin_url.strip(),
        "github_url": github_url.strip(),
        "source": Source.JOB_BOARD,
    }
    with stored_files_removed_on_rollback(), transaction.atomic():
        candidate, _ = candidate_upsert(email=email, defaults=defaults)
        consent_record(
            candidate=candidate,
            purpose=ConsentPurpose.DATA_PROCESSING,
            method=ConsentMethod.WEB_FORM,
            notice_version=notice_version,
            note=f"Applied on the job board to {role.title}"[:255],
        )
        if cv is not None:
            cv_received(candidate=candidate, upload=cv, source=Source.JOB_BOARD, via="the job board")
        submission = Submission.objects.filter(candidate=candidate, role=role).first()
        if submission is None:
            submission = submission_create(candidate=candidate, role=role, source=Source.JOB_BOARD)
            events.application_received(submission)
        return submission
