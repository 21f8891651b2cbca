from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from simple_history.models import HistoricalRecords

from roles.models import PERCENT_VALIDATORS, Seniority


class Industry(models.TextChoices):
    ROBOTICS = "robotics", "Robotics"
    AUTONOMOUS = "autonomous_systems", "Autonomous systems"
    MANUFACTURING = "manufacturing", "Manufacturing"
    DEFENCE = "defence", "Defence"
    FINANCE = "finance", "Financial services"
    HEALTHCARE = "healthcare", "Healthcare and life sciences"
    RETAIL = "retail", "Retail and e-commerce"
    ENERGY = "energy", "Energy and utilities"
    SOFTWARE = "software", "Software and SaaS"
    PUBLIC_SECTOR = "public_sector", "Public sector"
    OTHER = "other", "Other"


class CompanySize(models.TextChoices):
    MICRO = "1-10", "1–10"
    SMALL = "11-50", "11–50"
    MEDIUM = "51-200", "51–200"
    LARGE = "201-1000", "201–1,000"
    ENTERPRISE = "1000+", "1,000+"


class ClientStatus(models.TextChoices):
    LEAD = "lead", "Lead"
    PROSPECT = "prospect", "Prospect"
    ACTIVE = "active", "Active"
    DORMANT = "dormant", "Dormant"


class Client(models.Model):
    """A company the agency recruits for."""

    name = models.CharField(max_length=200)
    website = models.URLField(blank=True)
    domain = models.CharField(
        max_length=200,
        blank=True,
        db_index=True,
        editable=False,
        help_text="The website's host without 'www.', used to match intakes to existing clients.",
    )
    industry = models.CharField(max_length=30, choices=Industry.choices, default=Industry.OTHER)
    size = models.CharField(max_length=10, choices=CompanySize.choices, blank=True)
    location = models.CharField(max_length=120, blank=True)
    status = models.CharField(max_length=10, choices=ClientStatus.choices, default=ClientStatus.LEAD)
    account_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="clients"
    )
    default_fee_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT_VALIDATORS,
        help_text="Percent of first-year salary, used when a role sets no fee.",
    )
    default_guarantee_days = models.PositiveSmallIntegerField(null=True, blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(Lower("name"), name="client_name_ci")]
        constraints = [
            models.CheckConstraint(
                condition=Q(default_fee_percent__isnull=True)
                | Q(default_fee_percent__gte=0, default_fee_percent__lte=100),
                name="client_default_fee_percent_0_100",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        from clients.services import domain_from_url

        self.domain = domain_from_url(self.website)
        super().save(*args, **kwargs)


class Contact(models.Model):
    """A person at a client."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="contacts")
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=32, blank=True, help_text="Stored in international (E.164) form.")
    job_title = models.CharField(max_length=120, blank=True)
    is_primary = models.BooleanField(default=False)
    marketing_opt_in = models.BooleanField(default=False)
    marketing_opt_in_at = models.DateTimeField(null=True, blank=True)
    do_not_contact = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(Lower("email"), name="contact_email_ci")]
        constraints = [
            models.UniqueConstraint(
                fields=["client"], condition=Q(is_primary=True), name="contact_one_primary_per_client"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.client})" if self.client_id else self.name


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
        ordering = ["-created_at"]
        verbose_name = "API key"

    def __str__(self) -> str:
        return f"{self.partner} · {self.prefix}…"


class TriageStatus(models.TextChoices):
    NEW = "new", "New"
    IN_PROGRESS = "in_progress", "In progress"
    CONVERTED = "converted", "Converted"
    SPAM = "spam", "Spam"


class Enquiry(models.Model):
    """A message sent through the public contact form."""

    class Topic(models.TextChoices):
        HIRING = "hiring", "I'm hiring"
        CAREER = "career", "I'm looking for a role"
        PARTNERSHIP = "partnership", "Partnership"
        OTHER = "other", "Something else"

    name = models.CharField(max_length=200)
    email = models.EmailField()
    company = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=32, blank=True)
    topic = models.CharField(max_length=20, choices=Topic.choices, default=Topic.HIRING)
    message = models.TextField()
    consent_at = models.DateTimeField()
    consent_notice_version = models.CharField(max_length=20)
    status = models.CharField(max_length=20, choices=TriageStatus.choices, default=TriageStatus.NEW)
    client = models.ForeignKey(Client, on_delete=models.SET_NULL, null=True, blank=True, related_name="enquiries")
    contact = models.ForeignKey(Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="enquiries")
    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "enquiries"

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


class Intake(models.Model):
    """A hiring-need request from the public intake form, with the pillars it was recommended."""

    company_name = models.CharField(max_length=200)
    website = models.URLField(blank=True)
    industry = models.CharField(max_length=30, choices=Industry.choices, default=Industry.OTHER)
    size = models.CharField(max_length=10, choices=CompanySize.choices, blank=True)
    location = models.CharField(max_length=120, blank=True)
    contact_name = models.CharField(max_length=200)
    contact_email = models.EmailField()
    contact_phone = models.CharField(max_length=32, blank=True)
    contact_job_title = models.CharField(max_length=120, blank=True)
    timeline = models.CharField(max_length=40, blank=True)
    budget = models.CharField(max_length=80, blank=True)
    needs_on_device = models.BooleanField(default=False)
    regulated_sector = models.BooleanField(default=False)
    security_clearance_needed = models.BooleanField(default=False)
    answers = models.JSONField(default=dict, blank=True, help_text="The self-assessment answers.")
    recommendation = models.JSONField(
        default=list, blank=True, help_text="Recommended pillars with reasons, as shown to the visitor."
    )
    notes = models.TextField(blank=True)
    consent_at = models.DateTimeField()
    consent_notice_version = models.CharField(max_length=20)
    status = models.CharField(max_length=20, choices=TriageStatus.choices, default=TriageStatus.NEW)
    client = models.ForeignKey(Client, on_delete=models.SET_NULL, null=True, blank=True, related_name="intakes")
    contact = models.ForeignKey(Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="intakes")
    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.company_name} ({self.contact_name})"


class IntakePillarNeed(models.Model):
    """A pillar an intake asks for, with headcount and seniority."""

    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="pillar_needs")
    pillar = models.ForeignKey("roles.Pillar", on_delete=models.PROTECT, related_name="+")
    headcount = models.PositiveSmallIntegerField(default=1)
    seniority = models.CharField(max_length=20, choices=Seniority.choices)
    role = models.ForeignKey(
        "roles.Role",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The draft role created when the intake was converted.",
    )
    suggested = models.BooleanField(
        default=False, help_text="Not asked for by the client: added on conversion from the recommendation."
    )

    class Meta:
        ordering = ["intake", "pillar__position"]
        constraints = [
            models.UniqueConstraint(fields=["intake", "pillar"], name="intake_pillar_unique"),
            models.CheckConstraint(condition=Q(headcount__gte=1), name="intake_need_headcount_gte_1"),
        ]

    def __str__(self) -> str:
        return f"{self.pillar} × {self.headcount}"


# --- Partner API: webhooks and idempotency -----------------------------------------------------------------------


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
    event_type = models.CharField(max_length=40, choices=WebhookEvent.choices)
    payload = models.JSONField()
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "webhook deliveries"
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.event_type} → {self.subscription_id} ({self.get_status_display()})"


class IdempotencyRecord(models.Model):
    """The first response to a POST sent with an Idempotency-Key, replayed when the same request is retried."""

    owner = models.CharField(max_length=40, help_text="'partner:<id>' or 'user:<id>': keys are private to their owner.")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text="sha256 of the method, path and body.")
    response_status = models.PositiveSmallIntegerField()
    response_body = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["owner", "key"], name="idempotency_owner_key_unique")]

    def __str__(self) -> str:
        return f"{self.owner} · {self.key}"
