from django.db import models
from django.db.models import Q
from django.utils import timezone

from clients.models import Client, CompanySize, Contact, Industry
from roles.models import Seniority


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
    status = models.CharField(max_length=20, choices=TriageStatus, default=TriageStatus.NEW)
    client = models.ForeignKey(Client, on_delete=models.SET_NULL, null=True, blank=True, related_name="enquiries")
    contact = models.ForeignKey(Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="enquiries")
    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)

    class Meta:
        db_table = "clients_enquiry"
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
    status = models.CharField(max_length=20, choices=TriageStatus, default=TriageStatus.NEW)
    client = models.ForeignKey(Client, on_delete=models.SET_NULL, null=True, blank=True, related_name="intakes")
    contact = models.ForeignKey(Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="intakes")
    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)

    class Meta:
        db_table = "clients_intake"
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

    class Meta:
        db_table = "clients_intakepillarneed"
        ordering = ["intake", "pillar__position"]
        constraints = [
            models.UniqueConstraint(fields=["intake", "pillar"], name="intake_pillar_unique"),
            models.CheckConstraint(condition=Q(headcount__gte=1), name="intake_need_headcount_gte_1"),
        ]

    def __str__(self) -> str:
        return f"{self.pillar} × {self.headcount}"
