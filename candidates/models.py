import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from simple_history.models import HistoricalRecords

from roles.models import Clearance, Currency, RemotePolicy, Seniority


class CandidateStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    PASSIVE = "passive", "Passive"
    PLACED = "placed", "Placed"
    DO_NOT_CONTACT = "do_not_contact", "Do not contact"


class Source(models.TextChoices):
    JOB_BOARD = "job_board", "Job board (our site)"
    PARTNER = "partner", "Partner"
    SOURCED = "sourced", "Sourced by a recruiter"
    REFERRAL = "referral", "Referral"
    DIRECT = "direct", "Direct approach"
    OTHER = "other", "Other"


class RightToWork(models.TextChoices):
    UNKNOWN = "unknown", "Unknown"
    YES = "yes", "Has the right to work"
    SPONSORSHIP = "sponsorship", "Needs sponsorship"


def cv_upload_to(instance: "Candidate", filename: str) -> str:
    # The visitor's file name is never used on disk: it could be hostile and could reveal the person.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"cvs/{uuid.uuid4().hex}.{extension}"


class Candidate(models.Model):
    """A person the agency may place. One record per person, whatever they apply to."""

    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True, help_text="Unique, compared case-insensitively.")
    phone = models.CharField(max_length=32, blank=True, db_index=True, help_text="E.164 form, e.g. +447700900123.")
    location = models.CharField(max_length=120, blank=True)
    linkedin_url = models.URLField(blank=True)
    github_url = models.URLField(blank=True)
    primary_pillar = models.ForeignKey(
        "roles.Pillar", on_delete=models.PROTECT, null=True, blank=True, related_name="primary_candidates"
    )
    other_pillars = models.ManyToManyField("roles.Pillar", related_name="secondary_candidates", blank=True)
    skills: models.ManyToManyField = models.ManyToManyField(
        "roles.Skill", through="CandidateSkill", related_name="candidates", blank=True
    )
    seniority = models.CharField(max_length=20, choices=Seniority.choices, blank=True)
    current_title = models.CharField(max_length=200, blank=True)
    current_company = models.CharField(max_length=200, blank=True)
    notice_period_days = models.PositiveSmallIntegerField(null=True, blank=True)
    available_from = models.DateField(null=True, blank=True)
    currency = models.CharField(max_length=3, choices=Currency.choices, default=Currency.GBP)
    desired_salary = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    desired_day_rate = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    right_to_work = models.CharField(max_length=20, choices=RightToWork, default=RightToWork.UNKNOWN)
    security_clearance = models.CharField(max_length=10, choices=Clearance.choices, default=Clearance.NONE)
    remote_preference = models.CharField(max_length=20, choices=RemotePolicy.choices, blank=True)
    source = models.CharField(max_length=20, choices=Source, default=Source.SOURCED)
    source_partner = models.ForeignKey(
        "partners.Partner", on_delete=models.PROTECT, null=True, blank=True, related_name="candidates"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="candidates"
    )
    status = models.CharField(max_length=20, choices=CandidateStatus, default=CandidateStatus.ACTIVE)
    off_limits_clients = models.ManyToManyField(
        "clients.Client",
        related_name="off_limits_candidates",
        blank=True,
        help_text="Clients this candidate must not be submitted to (e.g. their current employer).",
    )
    cv = models.FileField(upload_to=cv_upload_to, blank=True)
    cv_original_name = models.CharField(max_length=255, blank=True)
    cv_uploaded_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(blank=True)
    last_activity_at = models.DateTimeField(null=True, blank=True, db_index=True)
    anonymised_at = models.DateTimeField(null=True, blank=True, help_text="Set when personal data was erased.")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    history = HistoricalRecords(excluded_fields=["updated_at", "last_activity_at"])

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["name", "id"], name="candidate_list_order"),
            models.Index(fields=["primary_pillar", "seniority", "status"]),
            models.Index(fields=["owner", "status"]),
            models.Index(fields=["available_from"]),
        ]
        constraints = [
            models.UniqueConstraint(Lower("email"), condition=~Q(email=""), name="candidate_email_unique_ci"),
            models.CheckConstraint(
                condition=Q(desired_salary__isnull=True) | Q(desired_salary__gte=0), name="candidate_salary_gte_0"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_do_not_contact(self) -> bool:
        return self.status == CandidateStatus.DO_NOT_CONTACT


class SkillLevel(models.TextChoices):
    FOUNDATION = "foundation", "Foundation"
    WORKING = "working", "Working"
    ADVANCED = "advanced", "Advanced"
    EXPERT = "expert", "Expert"


class CandidateSkill(models.Model):
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="candidate_skills")
    skill = models.ForeignKey("roles.Skill", on_delete=models.PROTECT, related_name="candidate_skills")
    years = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("60"))],
    )
    level = models.CharField(max_length=20, choices=SkillLevel, default=SkillLevel.WORKING)

    class Meta:
        ordering = ["candidate", "skill__name"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "skill"], name="candidate_skill_unique"),
            models.CheckConstraint(condition=Q(years__gte=0, years__lte=60), name="candidate_skill_years_0_60"),
        ]

    def __str__(self) -> str:
        return f"{self.skill} ({self.get_level_display()}, {self.years} y)"


class ConsentPurpose(models.TextChoices):
    DATA_PROCESSING = "data_processing", "Hold and process personal data"
    REPRESENTATION = "representation", "Be represented to a client for a role"
    MARKETING = "marketing", "Receive news and job alerts"


class ConsentMethod(models.TextChoices):
    WEB_FORM = "web_form", "Web form"
    PARTNER = "partner", "Through a partner"
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone call"
    IN_PERSON = "in_person", "In person"


class Consent(models.Model):
    """A consent a candidate gave (or withdrew): what for, when, how, and which notice wording they saw.

    Kept as its own log rather than flags on the candidate so every grant and withdrawal is evidence.
    """

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(max_length=20, choices=ConsentPurpose)
    role = models.ForeignKey(
        "roles.Role",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consents",
        help_text="For representation consent: the role it covers.",
    )
    method = models.CharField(max_length=20, choices=ConsentMethod)
    notice_version = models.CharField(max_length=20, blank=True)
    given_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    partner = models.ForeignKey("partners.Partner", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    note = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-given_at", "-id"]
        indexes = [models.Index(fields=["candidate", "purpose", "role"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(purpose="representation") | Q(role__isnull=False),
                name="consent_representation_needs_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} · {self.given_at:%Y-%m-%d}"
