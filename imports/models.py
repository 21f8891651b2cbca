from django.conf import settings
from django.db import models
from django.utils import timezone


class ImportKind(models.TextChoices):
    CANDIDATES = "candidates", "Candidates"
    CLIENTS = "clients", "Clients"
    CONTACTS = "contacts", "Contacts"
    ROLES = "roles", "Roles"


class ImportStatus(models.TextChoices):
    PREVIEWING = "previewing", "Checking the file"
    PREVIEWED = "previewed", "Checked: waiting for confirmation"
    IMPORTING = "importing", "Importing"
    DONE = "done", "Imported"
    FAILED = "failed", "Not imported"


def import_upload_to(instance: "ImportJob", filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "csv"
    return f"imports/{timezone.now():%Y/%m}/{instance.kind}-{timezone.now():%Y%m%d%H%M%S%f}.{extension}"


class ImportJob(models.Model):
    """One uploaded spreadsheet: checked first (the preview), imported only when a recruiter confirms."""

    kind = models.CharField(max_length=20, choices=ImportKind)
    file = models.FileField(upload_to=import_upload_to)
    original_name = models.CharField(max_length=255, blank=True)
    source = models.CharField(
        max_length=255,
        blank=True,
        help_text="Where the records came from and the lawful basis for holding the people in it "
        "(required for candidates); recorded on each person.",
    )
    status = models.CharField(max_length=20, choices=ImportStatus, default=ImportStatus.PREVIEWING)
    total_rows = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)
    report = models.JSONField(default=list, blank=True, help_text="Every row's outcome, errors first.")
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.original_name or 'a file'} ({self.get_status_display()})"


class ExportRecord(models.Model):
    """Who exported which list, with which filters, how many rows, when: personal data leaving the system."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    model = models.CharField(max_length=100)
    format = models.CharField(max_length=10)
    filters = models.CharField(max_length=2000, blank=True)
    rows = models.PositiveIntegerField()
    exported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-exported_at", "-id"]
        permissions = [("export_data", "Can export admin lists to CSV and Excel")]

    def __str__(self) -> str:
        return f"{self.model} · {self.rows} rows · {self.exported_at:%Y-%m-%d %H:%M}"
