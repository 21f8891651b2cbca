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
