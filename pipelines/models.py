from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from candidates.models import Source
from roles.models import Currency, FeeType


class Stage(models.TextChoices):
    SOURCED = "sourced", "Sourced"
    SCREENED = "screened", "Screened"
    SHORTLISTED = "shortlisted", "Shortlisted"
    SUBMITTED = "submitted", "Submitted to client"
    INTERVIEW = "interview", "Interview"
    OFFER = "offer", "Offer"
    PLACED = "placed", "Placed"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"


# The forward path, in order; rejected and withdrawn are exits from any open stage.
STAGE_ORDER: list[str] = [
    Stage.SOURCED,
    Stage.SCREENED,
    Stage.SHORTLISTED,
    Stage.SUBMITTED,
    Stage.INTERVIEW,
    Stage.OFFER,
    Stage.PLACED,
]
EXIT_STAGES = [Stage.REJECTED, Stage.WITHDRAWN]
OPEN_STAGES = STAGE_ORDER[:-1]


class RejectionReason(models.Model):
    """A coded reason for rejecting a submission (recruiters edit the list), reported on the dashboard."""

    code = models.SlugField(max_length=40, unique=True)
    label = models.CharField(max_length=100)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True, help_text="Inactive reasons stay on old rejections.")

    class Meta:
        ordering = ["position", "label"]

    def __str__(self) -> str:
        return self.label


class Submission(models.Model):
    """One candidate in one role's pipeline."""

    candidate = models.ForeignKey("candidates.Candidate", on_delete=models.PROTECT, related_name="submissions")
    role = models.ForeignKey("roles.Role", on_delete=models.PROTECT, related_name="submissions")
    stage = models.CharField(max_length=20, choices=Stage, default=Stage.SOURCED)
    stage_changed_at = models.DateTimeField(default=timezone.now)
    exit_reason = models.CharField(max_length=255, blank=True, help_text="Why it was rejected or withdrawn.")
    rejection_reason = models.ForeignKey(
        RejectionReason, on_delete=models.PROTECT, null=True, blank=True, related_name="submissions"
    )
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.SOURCED)
    source_partner = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, null=True, blank=True, related_name="submissions"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="submissions"
    )
    needs_decision = models.BooleanField(
        default=False, help_text="Set when the role was filled while this submission was still open."
    )
    notes = models.TextField(blank=True, help_text="Recruiter notes; never shown to partners.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-stage_changed_at", "-id"]
        indexes = [
            models.Index(fields=["role", "stage"]),
            models.Index(fields=["stage", "stage_changed_at"]),
            models.Index(fields=["owner", "stage"]),
            models.Index(fields=["source_partner", "updated_at"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "role"], name="submission_candidate_role_unique"),
        ]
        # My day (pipelines/admin/dashboard.py): a recruiter's own figures, or the whole team's with the fees.
        permissions = [
            ("view_dashboard", "Can see their own figures on My day"),
            ("view_team_dashboard", "Can see every recruiter's figures and the fees on My day"),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} → {self.role.title}"


class StageChange(models.Model):
    """One move of a submission between stages: who, when, from, to, why."""

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="stage_changes")
    from_stage = models.CharField(max_length=20, choices=Stage, blank=True)
    to_stage = models.CharField(max_length=20, choices=Stage)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["changed_at", "id"]
        indexes = [
            models.Index(fields=["submission", "changed_at"]),
            models.Index(fields=["to_stage", "changed_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_from_stage_display() or 'new'} → {self.get_to_stage_display()}"


class PlacementStatus(models.TextChoices):
    PENDING_START = "pending_start", "Pending start"
    STARTED = "started", "Started"
    GUARANTEE_PASSED = "guarantee_passed", "Guarantee passed"
    FELL_THROUGH = "fell_through", "Fell through"


class Placement(models.Model):
    """The commercial result of a placed submission; it carries the money."""

    submission = models.OneToOneField(Submission, on_delete=models.PROTECT, related_name="placement")
    start_date = models.DateField()
    currency = models.CharField(max_length=3, choices=Currency.choices, default=Currency.GBP)
    agreed_salary = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True, help_text="First-year salary (permanent roles)."
    )
    agreed_day_rate = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    fee_type = models.CharField(max_length=10, choices=FeeType.choices)
    fee_percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    fee_amount = models.DecimalField(max_digits=12, decimal_places=2)
    guarantee_days = models.PositiveSmallIntegerField(default=0)
    guarantee_ends_on = models.DateField()
    status = models.CharField(max_length=20, choices=PlacementStatus, default=PlacementStatus.PENDING_START)
    ended_on = models.DateField(null=True, blank=True)
    termination_reason = models.TextField(blank=True)
    rebate_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["status", "guarantee_ends_on"]), models.Index(fields=["start_date"])]
        constraints = [
            models.CheckConstraint(condition=Q(fee_amount__gte=0), name="placement_fee_gte_0"),
            models.CheckConstraint(
                condition=Q(rebate_amount__isnull=True) | Q(rebate_amount__gte=0), name="placement_rebate_gte_0"
            ),
            models.CheckConstraint(
                condition=Q(fee_percent__isnull=True) | Q(fee_percent__gte=0, fee_percent__lte=100),
                name="placement_fee_percent_0_100",
            ),
            models.CheckConstraint(
                condition=Q(guarantee_ends_on__gte=models.F("start_date")), name="placement_guarantee_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"Placement of {self.submission}"


class ActivityKind(models.TextChoices):
    CALL = "call", "Call"
    EMAIL = "email", "Email"
    MEETING = "meeting", "Meeting"
    NOTE = "note", "Note"


class Activity(models.Model):
    """A call, email, meeting or note logged against a candidate, contact, role or submission."""

    kind = models.CharField(max_length=10, choices=ActivityKind, default=ActivityKind.NOTE)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="activities"
    )
    occurred_at = models.DateTimeField(default=timezone.now)
    candidate = models.ForeignKey(
        "candidates.Candidate", on_delete=models.PROTECT, null=True, blank=True, related_name="activities"
    )
    contact = models.ForeignKey(
        "clients.Contact", on_delete=models.PROTECT, null=True, blank=True, related_name="activities"
    )
    client = models.ForeignKey(
        "clients.Client", on_delete=models.PROTECT, null=True, blank=True, related_name="activities"
    )
    role = models.ForeignKey("roles.Role", on_delete=models.PROTECT, null=True, blank=True, related_name="activities")
    submission = models.ForeignKey(
        Submission, on_delete=models.PROTECT, null=True, blank=True, related_name="activities"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name_plural = "activities"
        indexes = [
            models.Index(fields=["candidate", "occurred_at"]),
            models.Index(fields=["contact", "occurred_at"]),
            models.Index(fields=["client", "occurred_at"]),
            models.Index(fields=["role", "occurred_at"]),
            models.Index(fields=["submission", "occurred_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(candidate__isnull=False)
                | Q(contact__isnull=False)
                | Q(client__isnull=False)
                | Q(role__isnull=False)
                | Q(submission__isnull=False),
                name="activity_has_a_subject",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject or self.body[:40]}"
