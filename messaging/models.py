from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from pipelines.models import Placement, Submission

from .templating import ACKNOWLEDGEMENT, TO_CANDIDATE, TO_CONTACT, TO_OWNER, template_check


class EmailTemplate(models.Model):
    """The wording of an automatic email, in Django template syntax; editable in the admin."""

    key = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=120)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "pipelines_emailtemplate"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # Checked against the variables of every rule that sends it (any documented one while none does).
        keys = self.rules.values_list("key", flat=True) if self.pk else []
        template_check(subject=self.subject, body=self.body, kinds={RULE_KIND[key] for key in keys if key in RULE_KIND})


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


# The kind of message each rule sends, which decides the variables its template may use (messaging.templating).
RULE_KIND: dict[str, str] = {
    RuleKey.ENQUIRY_ACK: ACKNOWLEDGEMENT,
    RuleKey.INTAKE_ACK: ACKNOWLEDGEMENT,
    RuleKey.APPLICATION_ACK: ACKNOWLEDGEMENT,
    RuleKey.INTAKE_ALERT: TO_OWNER,
    RuleKey.SUBMITTED_NUDGE_CONTACT: TO_CONTACT,
    RuleKey.SUBMITTED_NUDGE_OWNER: TO_OWNER,
    RuleKey.INTERVIEW_FEEDBACK: TO_CONTACT,
    RuleKey.OFFER_REMINDER: TO_OWNER,
    RuleKey.CHECKIN_CANDIDATE_1W: TO_CANDIDATE,
    RuleKey.CHECKIN_CANDIDATE_4W: TO_CANDIDATE,
    RuleKey.CHECKIN_CANDIDATE_12W: TO_CANDIDATE,
    RuleKey.CHECKIN_CLIENT_1W: TO_CONTACT,
    RuleKey.CHECKIN_CLIENT_4W: TO_CONTACT,
    RuleKey.CHECKIN_CLIENT_12W: TO_CONTACT,
    RuleKey.GUARANTEE_REMINDER: TO_OWNER,
    RuleKey.REENGAGE: TO_CANDIDATE,
}


class FollowUpRule(models.Model):
    """One automatic follow-up. What triggers it and who receives it are fixed in code; recruiters may
    switch it off and change its delay and its template."""

    key = models.CharField(max_length=40, choices=RuleKey, unique=True, editable=False)
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
        db_table = "pipelines_followuprule"
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
    status = models.CharField(max_length=10, choices=FollowUpStatus, default=FollowUpStatus.PENDING)
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
        "leads.Enquiry", on_delete=models.CASCADE, null=True, blank=True, related_name="followups"
    )
    intake = models.ForeignKey(
        "leads.Intake", on_delete=models.CASCADE, null=True, blank=True, related_name="followups"
    )
    message = models.OneToOneField("Message", on_delete=models.SET_NULL, null=True, blank=True, related_name="followup")
    note = models.CharField(max_length=255, blank=True, help_text="Why it was cancelled or skipped.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "pipelines_followup"
        ordering = ["due_at", "id"]
        verbose_name = "follow-up"
        indexes = [
            models.Index(fields=["status", "due_at"]),
            # The dispatcher takes the earliest due pending follow-ups in (due_at, id) order: this reads them off
            # in order, where the index above would fetch and sort every pending row for each batch.
            models.Index(fields=["due_at", "id"], condition=Q(status="pending"), name="followup_pending_due"),
        ]

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
    status = models.CharField(max_length=10, choices=MessageStatus, default=MessageStatus.QUEUED)
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
        "leads.Enquiry", on_delete=models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    intake = models.ForeignKey(
        "leads.Intake", on_delete=models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        db_table = "pipelines_message"
        ordering = ["-created_at", "-id"]
        indexes = [
            # The sweep's two questions: queued and due, sending for too long.
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["status", "claimed_at"]),
            # The dispatcher's "had an acknowledgement in the last day" check, by address in any case.
            models.Index(Lower("to_email"), name="message_to_email_ci"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False), name="message_sent_has_sent_at"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to_email}"
