from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from simple_history.models import HistoricalRecords

from roles.models import PERCENT_VALIDATORS
from sonitec.normalise import domain_from_url


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
    industry = models.CharField(max_length=30, choices=Industry, default=Industry.OTHER)
    size = models.CharField(max_length=10, choices=CompanySize, blank=True)
    location = models.CharField(max_length=120, blank=True)
    status = models.CharField(max_length=10, choices=ClientStatus, default=ClientStatus.LEAD)
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
