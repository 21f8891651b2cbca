"""How the agency assesses specialists: a competency rubric per pillar, evidence of skills, interviews with
their scorecards. Rules about them live in services.py (writes) and selectors.py (reads)."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

LEVELS = (1, 2, 3, 4)


class Competency(models.Model):
    """One line of a pillar's rubric, with what each level 1–4 looks like. The rubric of a pillar is its
    competencies in order; seeded from the agency's pillar text, editable in the admin."""

    pillar = models.ForeignKey("roles.Pillar", on_delete=models.PROTECT, related_name="competencies")
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120)
    description = models.TextField(blank=True, help_text="What this competency covers.")
    level_1 = models.TextField("level 1: foundation", help_text="What a score of 1 looks like.")
    level_2 = models.TextField("level 2: working", help_text="What a score of 2 looks like.")
    level_3 = models.TextField("level 3: advanced", help_text="What a score of 3 looks like.")
    level_4 = models.TextField("level 4: expert", help_text="What a score of 4 looks like.")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["pillar__position", "position", "id"]
        verbose_name_plural = "competencies"
        constraints = [models.UniqueConstraint(fields=["pillar", "slug"], name="competency_pillar_slug_unique")]

    def __str__(self) -> str:
        return self.name

    def level_text(self, level: int) -> str:
        return getattr(self, f"level_{level}")


class EvidenceKind(models.TextChoices):
    REPOSITORY = "repository", "Code repository"
    PAPER = "paper", "Paper"
    TALK = "talk", "Talk"
    CERTIFICATE = "certificate", "Certificate"
    PROJECT = "project", "Project or product"
    OTHER = "other", "Other"


class Evidence(models.Model):
    """A link showing a candidate's skill or competency (a repository, paper, talk, certificate), with a note,
    and who verified it and when. Verified skills are shown as such and weigh more in matching."""

    candidate = models.ForeignKey("candidates.Candidate", on_delete=models.CASCADE, related_name="evidence")
    skill = models.ForeignKey("roles.Skill", on_delete=models.PROTECT, null=True, blank=True, related_name="evidence")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, null=True, blank=True, related_name="evidence")
    kind = models.CharField(max_length=20, choices=EvidenceKind, default=EvidenceKind.REPOSITORY)
    url = models.URLField("link", max_length=500)
    note = models.CharField(max_length=500, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["candidate", "-verified_at", "-created_at", "-id"]
        verbose_name_plural = "evidence"
        indexes = [models.Index(fields=["candidate", "skill"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(skill__isnull=False) | Q(competency__isnull=False), name="evidence_has_skill_or_competency"
            ),
            models.CheckConstraint(
                condition=Q(verified_at__isnull=True) | Q(verified_by__isnull=False), name="evidence_verified_by_whom"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.url}"

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


class InterviewKind(models.TextChoices):
    SCREEN = "screen", "Recruiter screen"
    TECHNICAL = "technical", "Technical interview"
    CLIENT = "client", "Client interview"
    FINAL = "final", "Final interview"


class InterviewStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    CANCELLED = "cancelled", "Cancelled"
    COMPLETED = "completed", "Completed"


class InterviewOutcome(models.TextChoices):
    PENDING = "pending", "Pending"
    PASSED = "passed", "Passed"
    FAILED = "failed", "Not passed"
    NO_SHOW = "no_show", "Candidate did not attend"


class Interview(models.Model):
    """One interview of a submission, at a real (time-zone aware) time, with its interviewers.

    `sequence` counts the versions sent as calendar invitations (RFC 5545 SEQUENCE): each reschedule or
    cancellation raises it, so calendars replace the earlier invitation rather than adding a second event.
    """

    submission = models.ForeignKey("pipelines.Submission", on_delete=models.PROTECT, related_name="interviews")
    kind = models.CharField(max_length=20, choices=InterviewKind, default=InterviewKind.TECHNICAL)
    scheduled_at = models.DateTimeField(help_text="The start (stored in UTC).")
    time_zone = models.CharField(
        max_length=64, default=settings.TIME_ZONE, help_text="The zone the time was agreed in; invitations use it."
    )
    duration_minutes = models.PositiveSmallIntegerField(
        default=60, validators=[MinValueValidator(5), MaxValueValidator(8 * 60)]
    )
    interviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="interviews", blank=True, help_text="Agency staff on the panel."
    )
    client_interviewers = models.ManyToManyField(
        "clients.Contact", related_name="interviews", blank=True, help_text="The client's people on the panel."
    )
    location = models.CharField(max_length=200, blank=True, help_text="An address, or blank for a video call.")
    video_link = models.URLField(max_length=500, blank=True)
    status = models.CharField(max_length=20, choices=InterviewStatus, default=InterviewStatus.SCHEDULED)
    outcome = models.CharField(max_length=20, choices=InterviewOutcome, default=InterviewOutcome.PENDING)
    notes = models.TextField(blank=True, help_text="Shown in the invitation.")
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-scheduled_at", "-id"]
        indexes = [models.Index(fields=["submission", "status", "scheduled_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=5, duration_minutes__lte=480), name="interview_duration_5_480"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {timezone.localtime(self.scheduled_at):%d %b %Y %H:%M}"

    @property
    def ends_at(self):
        return self.scheduled_at + timezone.timedelta(minutes=self.duration_minutes)


class Recommendation(models.TextChoices):
    STRONG_YES = "strong_yes", "Strong yes"
    YES = "yes", "Yes"
    NO = "no", "No"
    STRONG_NO = "strong_no", "Strong no"


# For averaging recommendations across a panel: strong yes 4 … strong no 1.
RECOMMENDATION_POINTS = {
    Recommendation.STRONG_YES: 4,
    Recommendation.YES: 3,
    Recommendation.NO: 2,
    Recommendation.STRONG_NO: 1,
}


class Scorecard(models.Model):
    """One interviewer's view of one interview: a score per competency of the role's pillar rubric, strengths,
    concerns and a recommendation. A client's interviewer's scorecard may be entered by a recruiter on their
    behalf (entered_by then differs from the interviewer)."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="scorecards")
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="scorecards"
    )
    client_interviewer = models.ForeignKey(
        "clients.Contact", on_delete=models.PROTECT, null=True, blank=True, related_name="scorecards"
    )
    recommendation = models.CharField(max_length=20, choices=Recommendation)
    strengths = models.TextField(blank=True)
    concerns = models.TextField(blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["submitted_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(interviewer__isnull=False, client_interviewer__isnull=True)
                | Q(interviewer__isnull=True, client_interviewer__isnull=False),
                name="scorecard_one_interviewer",
            ),
            models.UniqueConstraint(
                fields=["interview", "interviewer"],
                condition=Q(interviewer__isnull=False),
                name="scorecard_staff_once_per_interview",
            ),
            models.UniqueConstraint(
                fields=["interview", "client_interviewer"],
                condition=Q(client_interviewer__isnull=False),
                name="scorecard_contact_once_per_interview",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.interviewer_name} on {self.interview}"

    @property
    def interviewer_name(self) -> str:
        if self.interviewer is not None:
            return self.interviewer.get_full_name() or self.interviewer.username
        return str(self.client_interviewer.name) if self.client_interviewer is not None else ""


class CompetencyScore(models.Model):
    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="scores")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="scores")
    score = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(4)])

    class Meta:
        ordering = ["scorecard", "competency__position"]
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "competency"], name="score_once_per_competency"),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=4), name="score_1_4"),
        ]

    def __str__(self) -> str:
        return f"{self.competency}: {self.score}"
