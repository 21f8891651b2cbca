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


class Submission(models.Model):
    """One candidate in one role's pipeline."""

    candidate = models.ForeignKey("candidates.Candidate", on_delete=models.PROTECT, related_name="submissions")
    role = models.ForeignKey("roles.Role", on_delete=models.PROTECT, related_name="submissions")
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.SOURCED)
    stage_changed_at = models.DateTimeField(default=timezone.now)
    exit_reason = models.CharField(max_length=255, blank=True, help_text="Why it was rejected or withdrawn.")
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.SOURCED)
    source_partner = models.ForeignKey(
        "clients.Partner", on_delete=models.PROTECT, null=True, blank=True, related_name="submissions"
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

    def __str__(self) -> str:
        return f"{self.candidate} → {self.role.title}"


class StageChange(models.Model):
    """One move of a submission between stages: who, when, from, to, why."""

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="stage_changes")
    from_stage = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=20, choices=Stage.choices)
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
    status = models.CharField(max_length=20, choices=PlacementStatus.choices, default=PlacementStatus.PENDING_START)
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

    kind = models.CharField(max_length=10, choices=ActivityKind.choices, default=ActivityKind.NOTE)
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


# ---- follow-ups and the outbox (rules: pipelines/followups.py; sending: pipelines/outbox.py) ------------


class EmailTemplate(models.Model):
    """The wording of an automatic email, in Django template syntax; editable in the admin."""

    key = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=120)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from pipelines.followups import template_check

        template_check(subject=self.subject, body=self.body)


class RuleKey(models.TextChoices):
    ENQUIRY_ACK = "enquiry_ack", "Acknowledge an enquiry"
    INTAKE_ACK = "intake_ack", "Acknowledge an intake"
    INTAKE_ALERT = "intake_alert", "Alert the owner of a new intake"
    APPLICATION_ACK = "application_ack", "Acknowledge an application"
    SUBMITTED_NUDGE_CONTACT = "submitted_nudge_contact", "Nudge the client on a submitted candidate"
    SUBMITTED_NUDGE_OWNER = "submitted_nudge_owner", "Alert the owner: submission waiting on the client"
    INTERVIEW_FEEDBACK = "interview_feedback", "Ask the client for interview feedback"
    OFFER_REMINDER = "offer_reminder", "Remind the owner of an open offer"
    CHECKIN_CANDIDATE_1W = "checkin_candidate_1w", "Check in with the placed candidate (week 1)"
    CHECKIN_CANDIDATE_4W = "checkin_candidate_4w", "Check in with the placed candidate (week 4)"
    CHECKIN_CANDIDATE_12W = "checkin_candidate_12w", "Check in with the placed candidate (week 12)"
    CHECKIN_CLIENT_1W = "checkin_client_1w", "Check in with the client (week 1)"
    CHECKIN_CLIENT_4W = "checkin_client_4w", "Check in with the client (week 4)"
    CHECKIN_CLIENT_12W = "checkin_client_12w", "Check in with the client (week 12)"
    GUARANTEE_REMINDER = "guarantee_reminder", "Remind the owner before a guarantee ends"
    REENGAGE = "reengage", "Re-engage a candidate not contacted for months"


class FollowUpRule(models.Model):
    """One automatic follow-up. What triggers it and who receives it are fixed in code; recruiters may
    switch it off and change its delay and its template."""

    key = models.CharField(max_length=40, choices=RuleKey.choices, unique=True, editable=False)
    name = models.CharField(max_length=120)
    timing = models.CharField(
        max_length=200, editable=False, help_text="What the delay counts from, and who receives the email."
    )
    is_active = models.BooleanField("switched on", default=True)
    delay_days = models.PositiveSmallIntegerField(
        default=0, help_text="Days (business days for the submission nudges); see the timing above."
    )
    template = models.ForeignKey(EmailTemplate, on_delete=models.PROTECT, related_name="rules")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key"]
        verbose_name = "follow-up rule"

    def __str__(self) -> str:
        return self.name


class FollowUpStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    DONE = "done", "Message queued"
    CANCELLED = "cancelled", "Cancelled"
    SKIPPED = "skipped", "Skipped"


class FollowUp(models.Model):
    """A follow-up scheduled by a rule for a due time; the dispatcher turns it into a Message when due,
    unless the situation changed first (then it is cancelled, with the reason)."""

    rule = models.ForeignKey(FollowUpRule, on_delete=models.PROTECT, related_name="followups")
    due_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=FollowUpStatus.choices, default=FollowUpStatus.PENDING)
    # Makes scheduling idempotent: the same trigger announced twice schedules one follow-up.
    dedupe_key = models.CharField(max_length=120, unique=True, editable=False)
    candidate = models.ForeignKey(
        "candidates.Candidate", on_delete=models.CASCADE, null=True, blank=True, related_name="followups"
    )
    contact = models.ForeignKey(
        "clients.Contact", on_delete=models.CASCADE, null=True, blank=True, related_name="followups"
    )
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, null=True, blank=True, related_name="followups"
    )
    role = models.ForeignKey("roles.Role", on_delete=models.CASCADE, null=True, blank=True, related_name="followups")
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, null=True, blank=True, related_name="followups")
    enquiry = models.ForeignKey(
        "clients.Enquiry", on_delete=models.CASCADE, null=True, blank=True, related_name="followups"
    )
    intake = models.ForeignKey(
        "clients.Intake", on_delete=models.CASCADE, null=True, blank=True, related_name="followups"
    )
    message = models.OneToOneField("Message", on_delete=models.SET_NULL, null=True, blank=True, related_name="followup")
    note = models.CharField(max_length=255, blank=True, help_text="Why it was cancelled or skipped.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = "follow-up"
        indexes = [models.Index(fields=["status", "due_at"])]

    def __str__(self) -> str:
        return f"{self.rule} · due {self.due_at:%Y-%m-%d %H:%M}"


class FollowUpDueToday(FollowUp):
    """The recruiters' "due today" list in the admin."""

    class Meta:
        proxy = True
        verbose_name = "follow-up due today"
        verbose_name_plural = "follow-ups due today"


class MessageStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


class Message(models.Model):
    """One outgoing email, written in the same transaction as the event that causes it (an outbox)."""

    to_email = models.EmailField()
    to_name = models.CharField(max_length=200, blank=True)
    subject = models.CharField(max_length=255)
    body = models.TextField()
    # One optional text attachment, e.g. an interview's calendar invitation (.ics).
    attachment_name = models.CharField(max_length=100, blank=True)
    attachment_type = models.CharField(max_length=100, blank=True, help_text="MIME type, with parameters.")
    attachment_content = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=MessageStatus.choices, default=MessageStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now, help_text="Not sent before this time.")
    claimed_at = models.DateTimeField(null=True, blank=True, help_text="When a worker last started sending it.")
    sent_at = models.DateTimeField(null=True, blank=True)
    rule = models.ForeignKey(FollowUpRule, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # What the message concerns; kept (as empty links) if the record is deleted, so the log survives.
    candidate = models.ForeignKey(
        "candidates.Candidate", on_delete=models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    contact = models.ForeignKey(
        "clients.Contact", on_delete=models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    submission = models.ForeignKey(
        Submission, on_delete=models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    role = models.ForeignKey("roles.Role", on_delete=models.SET_NULL, null=True, blank=True, related_name="messages")
    placement = models.ForeignKey(Placement, on_delete=models.SET_NULL, null=True, blank=True, related_name="messages")
    enquiry = models.ForeignKey(
        "clients.Enquiry", on_delete=models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    intake = models.ForeignKey(
        "clients.Intake", on_delete=models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The sweep's two questions: queued and due, sending for too long.
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["status", "claimed_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False), name="message_sent_has_sent_at"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to_email}"
