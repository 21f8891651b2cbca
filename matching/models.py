"""Matching a role to candidates (and its log), saved searches and talent pools."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class RankingChannel(models.TextChoices):
    ADMIN = "admin", "Admin Matches page"
    API = "api", "Staff API"


class MatchRankingLog(models.Model):
    """One matches list shown to a recruiter: who, when, for which role, with what parameters, and the candidates
    shown with their scores, reasons and gaps.

    Ranking people for a job is a high-risk use of automated scoring, so every list is kept. `results` holds
    candidate ids, scores and reasons only: no names, emails or free text about the person, so the log survives a
    candidate's anonymisation without holding their personal data.
    """

    role = models.ForeignKey("roles.Role", on_delete=models.PROTECT, related_name="match_rankings")
    shown_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    shown_at = models.DateTimeField(default=timezone.now)
    channel = models.CharField(max_length=10, choices=RankingChannel)
    parameters = models.JSONField(default=dict, help_text="Page, page size, weights and the role's requirements.")
    results = models.JSONField(
        default=list, help_text="The candidates shown: id, position, score, reasons and gaps (no names)."
    )

    class Meta:
        ordering = ["-shown_at", "-id"]
        indexes = [models.Index(fields=["role", "shown_at"])]
        verbose_name = "match ranking log entry"
        verbose_name_plural = "match ranking log"

    def __str__(self) -> str:
        return f"Matches for role {self.role_id} shown {self.shown_at:%Y-%m-%d %H:%M}"


class MatchAddition(models.Model):
    """A candidate added to a role's pipeline from a matches list, with the score they were shown with."""

    ranking = models.ForeignKey(
        MatchRankingLog, on_delete=models.SET_NULL, null=True, blank=True, related_name="additions"
    )
    role = models.ForeignKey("roles.Role", on_delete=models.PROTECT, related_name="match_additions")
    candidate = models.ForeignKey(
        "candidates.Candidate", on_delete=models.SET_NULL, null=True, blank=True, related_name="match_additions"
    )
    submission = models.ForeignKey(
        "pipelines.Submission", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-added_at", "-id"]
        indexes = [models.Index(fields=["role", "added_at"])]

    def __str__(self) -> str:
        return f"Candidate {self.candidate_id} added to role {self.role_id} from matches"


class SavedSearch(models.Model):
    """A recruiter's named candidate search (text and filters), re-run to see who is new since last time."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches")
    name = models.CharField(max_length=120)
    query = models.JSONField(default=dict, help_text="The search's query parameters, as on the Find page.")
    created_at = models.DateTimeField(default=timezone.now)
    last_run_at = models.DateTimeField(null=True, blank=True)
    seen_ids = models.JSONField(default=list, help_text="Candidates among the results at the last run.")
    daily_digest = models.BooleanField(
        default=False, help_text="Email the owner once a day the people new to this search (nothing when nobody is)."
    )
    # The digest keeps its own "last run", so the Run page still marks as new the people a digest listed.
    digest_last_at = models.DateTimeField("last digest", null=True, blank=True, editable=False)
    digest_seen_ids = models.JSONField(
        default=list, editable=False, help_text="Candidates among the results at the last digest."
    )

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="saved_search_owner_name_unique")]

    def __str__(self) -> str:
        return self.name


class TalentPool(models.Model):
    """A named list of candidates across roles, e.g. "Embedded AI, SC cleared, Bristol"."""

    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="talent_pools"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TalentPoolMember(models.Model):
    pool = models.ForeignKey(TalentPool, on_delete=models.CASCADE, related_name="members")
    candidate = models.ForeignKey("candidates.Candidate", on_delete=models.CASCADE, related_name="pool_memberships")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-added_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["pool", "candidate"], name="talent_pool_member_unique")]

    def __str__(self) -> str:
        return f"Candidate {self.candidate_id} in {self.pool_id}"
