"""Triage of the public site's enquiries and intakes: recruiters convert them to clients or mark them spam.

Status moves only through the services (the actions below), so "converted" always means a client exists.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from unfold.admin import ModelAdmin, TabularInline
from unfold.decorators import action

from ..models import Enquiry, Intake, IntakePillarNeed, TriageStatus
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


class TriageStatusFilter(admin.SimpleListFilter):
    """Status, opening on "New" (what still needs a look); "All" shows every status."""

    title = "status"
    parameter_name = "status"
    ALL = "all"

    def lookups(self, request, model_admin):
        return [*TriageStatus.choices, (self.ALL, "All")]

    def value(self):
        return super().value() or TriageStatus.NEW

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        # An action posted without a status acts on exactly the rows that were ticked, whatever their status.
        if self.value() == self.ALL or (request.method == "POST" and self.parameter_name not in request.GET):
            return queryset
        return queryset.filter(status=self.value())


class TriageAdmin(ModelAdmin):
    """Convert and Mark as spam as buttons on the record's own page (the same services as the list actions)."""

    convert_service: Callable[..., Any] = staticmethod(enquiry_convert)
    spam_service: Callable[..., Any] = staticmethod(enquiry_mark_spam)
    actions_detail = ["convert_one", "spam_one", "open_client"]

    def _status(self, object_id) -> str | None:
        return self.model.objects.filter(pk=object_id).values_list("status", flat=True).first()

    def has_triage_permission(self, request, object_id=None) -> bool:
        """Convert and Mark as spam are offered while the record still needs triage."""
        still_open = self._status(object_id) in (TriageStatus.NEW, TriageStatus.IN_PROGRESS)
        return still_open and self.has_change_permission(request)

    def has_open_client_permission(self, request, object_id=None) -> bool:
        converted = self.model.objects.filter(pk=object_id, status=TriageStatus.CONVERTED, client__isnull=False)
        return request.user.has_perm("clients.view_client") and converted.exists()

    @action(description="Open the client", url_path="client", permissions=["open_client"], icon="apartment")
    def open_client(self, request, object_id):
        """What the conversion created: the client's page lists the contact and any draft roles."""
        obj = get_object_or_404(self.model, pk=object_id)
        return HttpResponseRedirect(reverse("admin:clients_client_change", args=[obj.client_id]))

    def _run_one(self, request, object_id, service, done: str, **kwargs):
        obj = get_object_or_404(self.model, pk=object_id)
        if request.method == "POST":
            if not self.has_change_permission(request, obj):
                raise PermissionDenied
            try:
                service(**{self.model._meta.model_name: obj}, **kwargs)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                self.message_user(request, f"“{obj}” {done}.", messages.SUCCESS)
        opts = self.model._meta
        return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[object_id]))

    @action(description="Convert", url_path="convert", permissions=["triage"], icon="person_add")
    def convert_one(self, request, object_id):
        return self._confirm_or_run(request, object_id, "convert")

    @action(description="Mark as spam", url_path="spam", permissions=["triage"], icon="report")
    def spam_one(self, request, object_id):
        return self._confirm_or_run(request, object_id, "spam")

    def _confirm_or_run(self, request, object_id, what: str):
        if request.method != "POST":
            obj = get_object_or_404(self.model, pk=object_id)
            context = {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "original": obj,
                "title": f"{'Convert' if what == 'convert' else 'Mark as spam'}: {obj}",
                "what": what,
                "change_url": reverse(
                    f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_change", args=[object_id]
                ),
            }
            return TemplateResponse(request, "leads/triage_confirm.html", context)
        if what == "convert":
            return self._run_one(request, object_id, type(self).convert_service, "converted", by=request.user)
        return self._run_one(request, object_id, type(self).spam_service, "marked as spam")


@admin.register(Enquiry)
class EnquiryAdmin(TriageAdmin):
    list_display = ["name", "company", "topic", "status", "client", "created_at"]
    list_filter = [TriageStatusFilter, "topic"]
    list_fullwidth = True
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
    fields = ["pillar", "headcount", "seniority", "suggested", "role"]
    readonly_fields = ["suggested", "role"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("pillar", "role__client")


@admin.register(Intake)
class IntakeAdmin(TriageAdmin):
    convert_service = staticmethod(intake_convert)
    spam_service = staticmethod(intake_mark_spam)
    list_display = ["company_name", "contact_name", "industry", "status", "client", "created_at"]
    list_filter = [TriageStatusFilter, "industry", "needs_on_device", "regulated_sector"]
    list_fullwidth = True
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
