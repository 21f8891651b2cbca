from django.db import models
from django.utils import timezone


class PartnerScope(models.TextChoices):
    ROLES_READ = "roles:read", "Read published roles"
    CANDIDATES_WRITE = "candidates:write", "Submit candidates"
    SUBMISSIONS_READ = "submissions:read", "Read own submissions"
    WEBHOOKS_MANAGE = "webhooks:manage", "Manage webhooks"


class Partner(models.Model):
    """An organisation whose tools use the API with its own keys and scopes."""

    name = models.CharField(max_length=200, unique=True)
    contact_email = models.EmailField()
    is_active = models.BooleanField(default=True)
    scopes = models.JSONField(default=list, blank=True, help_text="A list of scope names.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        db_table = "clients_partner"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ApiKey(models.Model):
    """A partner's API key. Only a hash is stored; the key itself is shown once, when it is created."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=12, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        db_table = "clients_apikey"
        ordering = ["-created_at"]
        verbose_name = "API key"

    def __str__(self) -> str:
        return f"{self.partner} · {self.prefix}…"


class WebhookEvent(models.TextChoices):
    ROLE_PUBLISHED = "role.published", "A role was published to the partner"
    ROLE_CLOSED = "role.closed", "A role the partner could see closed"
    SUBMISSION_STAGE_CHANGED = "submission.stage_changed", "One of the partner's submissions changed stage"
    PLACEMENT_CREATED = "placement.created", "One of the partner's submissions was placed"


class WebhookSubscription(models.Model):
    """A partner's URL that receives signed POSTs for the events it chose."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="webhook_subscriptions")
    url = models.URLField(max_length=500)
    events = models.JSONField(default=list, help_text="A list of event names.")
    secret = models.CharField(max_length=64, editable=False, help_text="Shared secret used to sign deliveries.")
    is_active = models.BooleanField(default=True)
    suspended_at = models.DateTimeField(null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        db_table = "clients_webhooksubscription"
        ordering = ["id"]
        indexes = [models.Index(fields=["partner", "is_active"])]

    def __str__(self) -> str:
        return f"{self.partner} → {self.url}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed (gave up)"


class WebhookDelivery(models.Model):
    """One event for one subscription, written in the event's transaction and sent after commit (with retries)."""

    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.UUIDField(db_index=True)
    event_type = models.CharField(max_length=40, choices=WebhookEvent)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=DeliveryStatus, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)

    class Meta:
        db_table = "clients_webhookdelivery"
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "webhook deliveries"
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.event_type} → {self.subscription_id} ({self.get_status_display()})"
