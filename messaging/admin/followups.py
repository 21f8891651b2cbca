"""Admin for follow-ups and the outbox: rules recruiters tune, templates with a live preview, the message log
with a retry action, the "due today" list, and inlines for the candidate, contact, role and submission pages."""

import datetime
from typing import ClassVar

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template import TemplateSyntaxError
from django.utils import timezone
from unfold.admin import ModelAdmin

from sonitec.admin_tools import ReadOnlyInline, owned_by_me_filter

from .. import followups, outbox
from ..models import (
    EmailTemplate,
    FollowUp,
    FollowUpDueToday,
    FollowUpRule,
    FollowUpStatus,
    Message,
    MessageStatus,
)

# ---- inlines used on the candidate, role and submission pages -------------------------------------------


class _PendingFollowUpInline(ReadOnlyInline):
    model = FollowUp
    verbose_name_plural = "pending follow-ups"
    fields: ClassVar[tuple[str, ...]]
    readonly_fields: ClassVar[tuple[str, ...]]
    fields = readonly_fields = ("due_at", "rule", "submission")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(status=FollowUpStatus.PENDING)
            .select_related("rule", "submission__candidate", "submission__role__client")
        )


class _MessageInline(ReadOnlyInline):
    model = Message
    verbose_name_plural = "messages"
    fields = readonly_fields = ("created_at", "to_email", "subject", "status", "sent_at")


class CandidateFollowUpInline(_PendingFollowUpInline):
    fk_name = "candidate"


class RoleFollowUpInline(_PendingFollowUpInline):
    fk_name = "role"


class SubmissionFollowUpInline(_PendingFollowUpInline):
    fk_name = "submission"
    fields = readonly_fields = ("due_at", "rule")


class ContactFollowUpInline(_PendingFollowUpInline):
    fk_name = "contact"


class ContactMessageInline(_MessageInline):
    fk_name = "contact"


class CandidateMessageInline(_MessageInline):
    fk_name = "candidate"


class RoleMessageInline(_MessageInline):
    fk_name = "role"


class SubmissionMessageInline(_MessageInline):
    fk_name = "submission"


# ---- rules and templates ----------------------------------------------------------------------------


@admin.register(FollowUpRule)
class FollowUpRuleAdmin(ModelAdmin):
    list_display = ["name", "is_active", "delay_days", "timing", "template"]
    list_editable = ["is_active", "delay_days"]
    list_filter = ["is_active"]
    list_select_related = ["template"]
    search_fields = ["name", "key"]
    fields = ["key", "name", "timing", "is_active", "delay_days", "template", "updated_at"]
    readonly_fields = ["key", "timing", "updated_at"]

    def has_add_permission(self, request):
        return False  # each rule's trigger lives in code; the seeded rules are the complete set

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(EmailTemplate)
class EmailTemplateAdmin(ModelAdmin):
    list_display = ["name", "key", "subject", "updated_at"]
    search_fields = ["name", "key", "subject", "body"]
    readonly_fields = ["updated_at"]
    change_form_template = "admin/messaging/emailtemplate/change_form.html"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        template = self.get_object(request, object_id)
        extra_context = {**(extra_context or {}), **self._preview(request, template, request.GET.get("record"))}
        return super().change_view(request, object_id, form_url, extra_context)

    def _preview(self, request, template, record_id) -> dict:
        """Render the saved template, in the same sandbox as a sent email, against a real record the editor may
        view: the one asked for, or the most recent."""
        if template is None:
            return {}
        model = followups.template_preview_model(template=template)
        if model is None:
            return {}
        model_admin = self.admin_site._registry.get(model)
        if model_admin is None or not model_admin.has_view_permission(request):
            return {"preview_kind": model._meta.verbose_name, "preview_forbidden": True}
        records = model_admin.get_queryset(request).order_by("-pk")
        record = (records.filter(pk=record_id) if str(record_id or "").isdigit() else records).first()
        if record is None:
            return {"preview_kind": model._meta.verbose_name}
        preview = {"record": record, "record_label": model._meta.verbose_name}
        try:
            preview["subject"], preview["body"] = followups.template_preview(template=template, record=record)
        except (TemplateSyntaxError, ValidationError) as error:
            preview["error"] = f"The template does not render: {error}"
        return {"preview": preview}


# ---- follow-ups -------------------------------------------------------------------------------------


class DueFilter(admin.SimpleListFilter):
    title = "due"
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return [("overdue", "Overdue"), ("today", "Today"), ("week", "Next 7 days")]

    def queryset(self, request, queryset):
        start = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time()))
        end = start + datetime.timedelta(days=1)
        if self.value() == "overdue":
            return queryset.filter(status=FollowUpStatus.PENDING, due_at__lt=timezone.now())
        if self.value() == "today":
            return queryset.filter(due_at__gte=start, due_at__lt=end)
        if self.value() == "week":
            return queryset.filter(due_at__gte=start, due_at__lt=start + datetime.timedelta(days=7))
        return queryset


@admin.register(FollowUp)
class FollowUpAdmin(ModelAdmin):
    list_display = ["due_at", "rule", "status", "candidate", "submission", "role", "note"]
    list_filter = ["status", DueFilter, "rule", owned_by_me_filter("submission__owner", "submission owner")]
    list_select_related = ["rule", "candidate", "submission__candidate", "submission__role", "role__client"]
    search_fields = ["candidate__name", "=candidate__email", "role__title", "contact__name", "rule__name"]
    date_hierarchy = "due_at"
    actions = ["cancel_followups"]
    fields = readonly_fields = (
        "rule",
        "due_at",
        "status",
        "candidate",
        "contact",
        "submission",
        "role",
        "placement",
        "enquiry",
        "intake",
        "message",
        "note",
        "created_at",
        "resolved_at",
    )

    def has_add_permission(self, request):
        return False  # follow-ups are scheduled by the rules

    @admin.action(description="Cancel the selected pending follow-ups")
    def cancel_followups(self, request, queryset):
        count = followups.followups_cancel(followups=queryset, reason=f"Cancelled by {request.user}.")
        self.message_user(request, f"{count} follow-up(s) cancelled.", messages.SUCCESS)


@admin.register(FollowUpDueToday)
class FollowUpDueTodayAdmin(FollowUpAdmin):
    """Every follow-up due today, whatever became of it, in due order."""

    list_filter = ["status", "rule", owned_by_me_filter("submission__owner", "submission owner")]
    date_hierarchy = None  # type: ignore[assignment]  # one day's list needs no date drill-down

    def get_queryset(self, request):
        start = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time()))
        return super().get_queryset(request).filter(due_at__gte=start, due_at__lt=start + datetime.timedelta(days=1))


# ---- messages ---------------------------------------------------------------------------------------


@admin.register(Message)
class MessageAdmin(ModelAdmin):
    list_display = ["created_at", "to_email", "subject", "status", "attempts", "sent_at", "rule", "candidate"]
    list_filter = ["status", "rule"]
    list_select_related = ["rule", "candidate"]
    search_fields = ["=to_email", "subject", "candidate__name", "contact__name"]
    date_hierarchy = "created_at"
    actions = ["retry_messages"]
    fields = readonly_fields = (
        "to_email",
        "to_name",
        "subject",
        "body",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "claimed_at",
        "sent_at",
        "rule",
        "candidate",
        "contact",
        "submission",
        "role",
        "placement",
        "enquiry",
        "intake",
        "created_at",
    )

    def has_add_permission(self, request):
        return False  # messages are written by the rules and services, never by hand

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="Retry the selected failed messages")
    def retry_messages(self, request, queryset):
        retried = sum(outbox.message_retry(message=m) for m in queryset.filter(status=MessageStatus.FAILED))
        skipped = queryset.count() - retried
        self.message_user(request, f"{retried} message(s) queued again.", messages.SUCCESS)
        if skipped:
            self.message_user(request, f"{skipped} message(s) were not failed and were left alone.", messages.WARNING)
