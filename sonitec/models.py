from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone


class User(AbstractUser):
    """A recruiter, manager or administrator. Custom from day one so fields can be added without upheaval."""

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        ordering = ["username"]


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
    status = models.CharField(max_length=20, choices=DuplicateStatus.choices, default=DuplicateStatus.OPEN)
    found_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True
        ordering = ["-confidence", "-found_at", "-id"]
        indexes = [models.Index(fields=["status", "confidence"])]
