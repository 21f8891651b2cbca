"""What the agency records about its own handling of personal data: who looked, what the retention runs did,
renewal requests sent before data-processing consent lapses, and the requests people make (copy, erasure)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class AccessAction(models.TextChoices):
    VIEWED = "viewed", "Viewed the page"
    CV_DOWNLOADED = "cv_downloaded", "Downloaded the CV"
    EXPORTED = "exported", "Exported the data"
    ERASED = "erased", "Erased (anonymised)"


class AccessLog(models.Model):
    """One look at, or action on, a person's data by a member of staff. Kept for ACCESS_LOG_MONTHS."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    action = models.CharField(max_length=20, choices=AccessAction)
    candidate = models.ForeignKey(
        "candidates.Candidate", on_delete=models.CASCADE, null=True, blank=True, related_name="access_log"
    )
    contact = models.ForeignKey(
        "clients.Contact", on_delete=models.CASCADE, null=True, blank=True, related_name="access_log"
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "access log entry"
        verbose_name_plural = "access log"
        indexes = [models.Index(fields=["candidate", "-at"]), models.Index(fields=["contact", "-at"])]
        permissions = [
            # Managers: the view permission on this model shows the log on the candidate page.
            ("export_personal_data", "Can export a person's data (subject access)"),
            ("erase_personal_data", "Can erase (anonymise) a person's data"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.at:%Y-%m-%d %H:%M}"


class RenewalOutcome(models.TextChoices):
    PENDING = "pending", "Waiting for an answer"
    RENEWED = "renewed", "Consent renewed"
    DECLINED = "declined", "Consent withdrawn"
    ANONYMISED = "anonymised", "No answer: anonymised"
    CONTACTED = "contacted", "Superseded by new contact"


class RenewalRequest(models.Model):
    """The one email asking a person to renew their data-processing consent before their record is anonymised."""

    candidate = models.ForeignKey("candidates.Candidate", on_delete=models.CASCADE, related_name="renewal_requests")
    message = models.ForeignKey("messaging.Message", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=20, choices=RenewalOutcome, default=RenewalOutcome.PENDING)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            # "Once": at most one unanswered request per person, even with two retention runs at once.
            models.UniqueConstraint(
                fields=["candidate"], condition=Q(outcome="pending"), name="renewal_one_pending_per_candidate"
            )
        ]

    def __str__(self) -> str:
        return f"Renewal request {self.sent_at:%Y-%m-%d} · {self.get_outcome_display()}"


class RetentionRun(models.Model):
    """What one retention run did (or, in a dry run, would have done)."""

    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    dry_run = models.BooleanField(default=False)
    renewal_requests_sent = models.PositiveIntegerField(default=0)
    candidates_anonymised = models.PositiveIntegerField(default=0)
    enquiries_purged = models.PositiveIntegerField(default=0)
    intakes_purged = models.PositiveIntegerField(default=0)
    access_log_purged = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"Retention run {self.started_at:%Y-%m-%d %H:%M}{' (dry run)' if self.dry_run else ''}"


class PrivacyRequestKind(models.TextChoices):
    COPY = "copy", "A copy of their data"
    ERASURE = "erasure", "Erasure of their data"


class PrivacyRequest(models.Model):
    """A request a person made through their self-service link: a task for the data-protection owner."""

    candidate = models.ForeignKey(
        "candidates.Candidate", on_delete=models.SET_NULL, null=True, blank=True, related_name="privacy_requests"
    )
    kind = models.CharField(max_length=10, choices=PrivacyRequestKind)
    received_at = models.DateTimeField(default=timezone.now)
    due_on = models.DateField(help_text="The statutory deadline: one month after the request.")
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["done_at", "due_on", "id"]
        constraints = [
            # Asking twice before the first is done is one task, not two.
            models.UniqueConstraint(
                fields=["candidate", "kind"], condition=Q(done_at=None), name="privacy_request_one_open_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · due {self.due_on:%Y-%m-%d}"


class ExportJob(models.Model):
    """A subject-access export too large to build during the request: built by a task, downloadable once."""

    candidate = models.ForeignKey(
        "candidates.Candidate", on_delete=models.SET_NULL, null=True, blank=True, related_name="export_jobs"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    file = models.CharField(max_length=255, blank=True, editable=False, help_text="Where the ZIP waits in storage.")
    finished_at = models.DateTimeField(null=True, blank=True)
    downloaded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"Export {self.pk} · {self.requested_at:%Y-%m-%d %H:%M}"

    @property
    def state(self) -> str:
        if self.downloaded_at is not None:
            return "downloaded"
        return "ready" if self.finished_at is not None else "building"
