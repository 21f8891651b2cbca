import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

PERCENT_VALIDATORS = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


class Seniority(models.TextChoices):
    JUNIOR = "junior", "Junior"
    MID = "mid", "Mid-level"
    SENIOR = "senior", "Senior"
    LEAD = "lead", "Lead / Staff"
    PRINCIPAL = "principal", "Principal"
    EXECUTIVE = "executive", "Head / VP / Director"


class Clearance(models.TextChoices):
    NONE = "none", "None"
    BPSS = "bpss", "BPSS"
    CTC = "ctc", "CTC"
    SC = "sc", "SC"
    DV = "dv", "DV"


class Currency(models.TextChoices):
    GBP = "GBP", "GBP (£)"
    EUR = "EUR", "EUR (€)"
    USD = "USD", "USD ($)"


class RemotePolicy(models.TextChoices):
    ONSITE = "onsite", "On-site"
    HYBRID = "hybrid", "Hybrid"
    REMOTE = "remote", "Remote"


class Pillar(models.Model):
    """One of the six role pillars of the AI lifecycle (seeded from the agency's text, editable)."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    summary = models.TextField(help_text="One paragraph for the public site.")
    owns = models.TextField(help_text="What people in this pillar own.")
    typical_tools = models.TextField(blank=True, help_text="Tools and frameworks, comma separated.")
    industries = models.TextField(blank=True, help_text="Industries where the pillar is critical.")
    failure_prevented = models.TextField(
        blank=True, help_text="What goes wrong without this pillar; used by the intake recommendation."
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Skill(models.Model):
    """A tool, framework or practice in the skill taxonomy; linked to the pillars that use it."""

    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=80, unique=True)
    pillars = models.ManyToManyField(Pillar, related_name="skills", blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="skill_name_unique_ci")]

    def __str__(self) -> str:
        return self.name


class RoleStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open"
    ON_HOLD = "on_hold", "On hold"
    FILLED = "filled", "Filled"
    CANCELLED = "cancelled", "Cancelled"


class EmploymentType(models.TextChoices):
    PERMANENT = "permanent", "Permanent"
    CONTRACT = "contract", "Contract"
    INTERIM = "interim", "Interim"


class FeeType(models.TextChoices):
    PERCENT = "percent", "Percent of first-year salary"
    FLAT = "flat", "Flat fee"


class RebatePolicy(models.TextChoices):
    FULL = "full", "Full rebate"
    PRO_RATA = "pro_rata", "Pro-rata rebate"


class PartnerVisibility(models.TextChoices):
    NONE = "none", "Not published to partners"
    ALL = "all", "All partners"
    SELECTED = "selected", "Selected partners"


class Role(models.Model):
    """A job order from a client, in one pillar."""

    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="roles")
    hiring_contact = models.ForeignKey(
        "clients.Contact", on_delete=models.SET_NULL, null=True, blank=True, related_name="roles"
    )
    pillar = models.ForeignKey(Pillar, on_delete=models.PROTECT, related_name="roles")
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True, editable=False)
    description = models.TextField(blank=True)
    seniority = models.CharField(max_length=20, choices=Seniority, default=Seniority.SENIOR)
    employment_type = models.CharField(max_length=20, choices=EmploymentType, default=EmploymentType.PERMANENT)
    location = models.CharField(max_length=120, blank=True)
    remote_policy = models.CharField(max_length=20, choices=RemotePolicy, default=RemotePolicy.HYBRID)
    currency = models.CharField(max_length=3, choices=Currency, default=Currency.GBP)
    salary_min = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    salary_max = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    day_rate_min = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    day_rate_max = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    required_skills = models.ManyToManyField(Skill, related_name="roles_requiring", blank=True)
    nice_to_have_skills = models.ManyToManyField(Skill, related_name="roles_preferring", blank=True)
    security_clearance = models.CharField(max_length=10, choices=Clearance, default=Clearance.NONE)
    headcount = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=20, choices=RoleStatus, default=RoleStatus.DRAFT)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="roles"
    )
    opened_on = models.DateField(null=True, blank=True)
    target_date = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    # Fee terms; blank fields fall back to the client's defaults.
    fee_type = models.CharField(max_length=10, choices=FeeType, default=FeeType.PERCENT)
    fee_percent = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT_VALIDATORS
    )
    flat_fee = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    guarantee_days = models.PositiveSmallIntegerField(null=True, blank=True)
    rebate_policy = models.CharField(max_length=10, choices=RebatePolicy, default=RebatePolicy.PRO_RATA)
    published_on_job_board = models.BooleanField(default=False)
    partner_visibility = models.CharField(max_length=10, choices=PartnerVisibility, default=PartnerVisibility.NONE)
    partners = models.ManyToManyField(
        "partners.Partner", related_name="roles", blank=True, help_text="Used when visibility is 'selected'."
    )
    internal_notes = models.TextField(blank=True, help_text="Never shown to candidates or partners.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "pillar"]),
            models.Index(fields=["owner", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(salary_min__isnull=True) | Q(salary_max__isnull=True) | Q(salary_min__lte=F("salary_max")),
                name="role_salary_min_lte_max",
            ),
            models.CheckConstraint(
                condition=Q(day_rate_min__isnull=True)
                | Q(day_rate_max__isnull=True)
                | Q(day_rate_min__lte=F("day_rate_max")),
                name="role_day_rate_min_lte_max",
            ),
            models.CheckConstraint(
                condition=Q(fee_percent__isnull=True) | Q(fee_percent__gte=0, fee_percent__lte=100),
                name="role_fee_percent_0_100",
            ),
            models.CheckConstraint(condition=Q(flat_fee__isnull=True) | Q(flat_fee__gte=0), name="role_flat_fee_gte_0"),
            models.CheckConstraint(condition=Q(headcount__gte=1), name="role_headcount_gte_1"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.client})" if self.client_id else self.title

    def save(self, *args, **kwargs):
        # A short random suffix keeps public URLs unique and unguessable from the role count.
        if not self.slug:
            self.slug = f"{slugify(self.title)[:200]}-{secrets.token_hex(3)}"
        super().save(*args, **kwargs)
