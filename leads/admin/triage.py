"""Triage of the public site's enquiries and intakes: recruiters convert them to clients or mark them spam.

Status moves only through the services (the actions below), so "converted" always means a client exists.
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from unfold.admin import ModelAdmin, TabularInline

from ..models import Enquiry, Intake, IntakePillarNeed
from ..recommendation import QUESTIONS, answer_label
from ..services import (
    enquiry_convert,
    enquiry_mark_in_progress,
    enquiry_mark_spam,
    intake_convert,
    intake_mark_in_progress,
    intake_mark_spam,
)


def _run_each(modeladmin, request, queryset, service, done: str, **kwargs) -> None:
    """Apply a service to each selected row; report successes and each refusal with its reason."""
    succeeded = 0
    for obj in queryset:
        try:
            service(**{modeladmin.model._meta.model_name: obj}, **kwargs)
        except ValidationError as error:
            modeladmin.message_user(request, f"“{obj}”: {' '.join(error.messages)}", messages.ERROR)
        else:
            succeeded += 1
    if succeeded:
        meta = modeladmin.model._meta
        noun = meta.verbose_name if succeeded == 1 else meta.verbose_name_plural
        modeladmin.message_user(request, f"{succeeded} {noun} {done}.", messages.SUCCESS)


@admin.register(Enquiry)
class EnquiryAdmin(ModelAdmin):
    list_display = ["name", "email", "company", "topic", "status", "client", "created_at"]
    list_filter = ["status", "topic"]
    search_fields = ["name", "email", "company", "message"]
    list_select_related = ["client", "contact"]
    autocomplete_fields = ["client", "contact"]
    readonly_fields = ["status", "client", "contact", "consent_at", "consent_notice_version", "created_at"]
    date_hierarchy = "created_at"
    actions = ["convert", "mark_in_progress", "mark_spam"]
    fieldsets = [
        ("Triage", {"fields": ["status", "client", "contact"]}),
        ("Message", {"fields": ["name", "email", "company", "phone", "topic", "message"]}),
        ("Consent", {"fields": ["consent_at", "consent_notice_version", "created_at"]}),
    ]

    @admin.action(description="Convert to a client and contact", permissions=["change"])
    def convert(self, request, queryset):
        _run_each(self, request, queryset, enquiry_convert, "converted", by=request.user)

    @admin.action(description="Mark as in progress", permissions=["change"])
    def mark_in_progress(self, request, queryset):
        _run_each(self, request, queryset, enquiry_mark_in_progress, "marked in progress")

    @admin.action(description="Mark as spam", permissions=["change"])
    def mark_spam(self, request, queryset):
        _run_each(self, request, queryset, enquiry_mark_spam, "marked as spam")


class IntakePillarNeedInline(TabularInline):
    model = IntakePillarNeed
    fields = ["pillar", "headcount", "seniority", "role"]
    readonly_fields = ["role"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("pillar", "role__client")


@admin.register(Intake)
class IntakeAdmin(ModelAdmin):
    list_display = ["company_name", "contact_name", "contact_email", "industry", "status", "client", "created_at"]
    list_filter = ["status", "industry", "needs_on_device", "regulated_sector"]
    search_fields = ["company_name", "contact_name", "contact_email", "website"]
    list_select_related = ["client", "contact"]
    autocomplete_fields = ["client", "contact"]
    readonly_fields = [
        "status",
        "client",
        "contact",
        "recommended_pillars",
        "self_assessment",
        "consent_at",
        "consent_notice_version",
        "created_at",
    ]
    fieldsets = [
        ("Triage", {"fields": ["status", "client", "contact", "recommended_pillars"]}),
        ("Company", {"fields": ["company_name", "website", "industry", "size", "location"]}),
        ("Contact person", {"fields": ["contact_name", "contact_email", "contact_phone", "contact_job_title"]}),
        (
            "Need",
            {
                "fields": [
                    "timeline",
                    "budget",
                    "needs_on_device",
                    "regulated_sector",
                    "security_clearance_needed",
                    "self_assessment",
                    "notes",
                ]
            },
        ),
        ("Consent", {"fields": ["consent_at", "consent_notice_version", "created_at"]}),
    ]
    inlines = [IntakePillarNeedInline]
    date_hierarchy = "created_at"
    actions = ["convert", "mark_in_progress", "mark_spam"]

    @admin.display(description="Recommendation shown to the visitor")
    def recommended_pillars(self, obj):
        if not obj.recommendation:
            return "No gaps stood out."
        return format_html(
            "<ol>{}</ol>",
            format_html_join(
                "",
                "<li><strong>{}</strong>: {}</li>",
                ((item.get("name"), item.get("reason")) for item in obj.recommendation),
            ),
        )

    @admin.display(description="Self-assessment")
    def self_assessment(self, obj):
        rows = [
            (spec["label"], answer_label(question, obj.answers[question]))
            for question, spec in QUESTIONS.items()
            if obj.answers.get(question)
        ]
        if not rows:
            return "Not answered."
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{} <strong>{}</strong></li>", rows))

    @admin.action(description="Convert to a client, contact and draft roles", permissions=["change"])
    def convert(self, request, queryset):
        _run_each(self, request, queryset, intake_convert, "converted", by=request.user)

    @admin.action(description="Mark as in progress", permissions=["change"])
    def mark_in_progress(self, request, queryset):
        _run_each(self, request, queryset, intake_mark_in_progress, "marked in progress")

    @admin.action(description="Mark as spam", permissions=["change"])
    def mark_spam(self, request, queryset):
        _run_each(self, request, queryset, intake_mark_spam, "marked as spam")
