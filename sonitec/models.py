from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone


class User(AbstractUser):
    """A recruiter, manager or administrator. Custom from day one so fields can be added without upheaval."""

    class Meta(AbstractUser.Meta):  # type: ignore[name-defined]  # django-stubs omits AbstractUser.Meta
        swappable = "AUTH_USER_MODEL"
        ordering = ["username"]


class IdempotencyRecord(models.Model):
    """The first response to a POST sent with an Idempotency-Key, replayed when the same request is retried."""

    owner = models.CharField(max_length=40, help_text="'partner:<id>' or 'user:<id>': keys are private to their owner.")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text="sha256 of the method, path and body.")
    response_status = models.PositiveSmallIntegerField()
    response_body = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        db_table = "clients_idempotencyrecord"
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["owner", "key"], name="idempotency_owner_key_unique")]

    def __str__(self) -> str:
        return f"{self.owner} · {self.key}"


class DuplicateStatus(models.TextChoices):
    OPEN = "open", "To review"
    NOT_DUPLICATE = "not_duplicate", "Not a duplicate"


class DuplicatePairBase(models.Model):
    """Two records that may describe one person or company, stored with the lower id first.

    Open pairs are the "Possible duplicates" list; a pair marked "not a duplicate" stays, so it is never
    suggested again. Merging removes the duplicate and with it its pairs.
    """

    reasons = models.JSONField(default=list, help_text="Why the two look alike.")
    confidence = models.PositiveSmallIntegerField(help_text="0–100: how sure the rules are.")
    status = models.CharField(max_length=20, choices=DuplicateStatus, default=DuplicateStatus.OPEN)
    found_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True
        ordering = ["-confidence", "-found_at", "-id"]
        indexes = [models.Index(fields=["status", "confidence"])]
