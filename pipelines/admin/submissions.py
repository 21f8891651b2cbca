"""Submissions and their stage history: moving, bulk moves, rejections."""

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from simple_history.admin import SimpleHistoryAdmin
from unfold.admin import ModelAdmin
from unfold.decorators import action

from imports.admin.export import RecordedExportMixin
from imports.resources import SubmissionResource
from messaging.admin.followups import SubmissionFollowUpInline, SubmissionMessageInline
from sonitec.admin_tools import owned_by_me_filter

from .. import services
from ..forms import BulkMoveForm, RejectForm
from ..models import Stage, StageChange, Submission
from . import views as admin_views
from .inlines import PipelineInlinesMixin, StageChangeInline, SubmissionActivityInline


@admin.register(Submission)
class SubmissionAdmin(RecordedExportMixin, PipelineInlinesMixin, SimpleHistoryAdmin, ModelAdmin):
    resource_classes = [SubmissionResource]
    # The biggest tables: a filtered list counts its matches once, not also the whole table.
    show_full_result_count = False
    list_display = ["candidate", "role", "client", "stage", "stage_changed_at", "owner"]
    list_fullwidth = True
    list_filter = ["stage", "role__pillar", owned_by_me_filter("owner"), "source", "needs_decision"]
    list_select_related = ["candidate", "role__client", "owner"]
    search_fields = ["candidate__name", "=candidate__email", "role__title", "role__client__name"]
    autocomplete_fields = ["candidate", "role", "owner", "source_partner"]
    readonly_fields = ["stage", "stage_changed_at", "created_at", "updated_at"]
    inlines = [StageChangeInline, SubmissionActivityInline]
    actions = ["move_to_stage", "reject_with_reason"]
    change_form_template = "pipelines/submission_change_form.html"
    actions_detail = ["move_one", "open_board", "schedule_interview"]

    def has_schedule_interview_permission(self, request, object_id=None) -> bool:
        return request.user.has_perm("assessments.change_interview")

    @action(description="Move", url_path="move-one", icon="arrow_forward", permissions=["change"])
    def move_one(self, request, object_id):
        return HttpResponseRedirect(reverse("admin:pipelines_submission_move", args=[object_id]))

    @action(description="Role's board", url_path="open-board", icon="view_kanban", permissions=["view"])
    def open_board(self, request, object_id):
        submission = get_object_or_404(Submission, pk=object_id)
        return HttpResponseRedirect(reverse("admin:roles_role_board", args=[submission.role_id]))

    @action(
        description="Schedule an interview",
        url_path="schedule-interview",
        icon="event",
        permissions=["schedule_interview"],
    )
    def schedule_interview(self, request, object_id):
        return HttpResponseRedirect(reverse("admin:assessments_interview_schedule", args=[object_id]))

    def get_inlines(self, request, obj):
        return [*self.inlines, SubmissionFollowUpInline, SubmissionMessageInline] if obj else self.inlines

    def get_urls(self):
        move = self.admin_site.admin_view(lambda request, pk: admin_views.submission_move_page(self, request, pk))
        return [path("<int:pk>/move/", move, name="pipelines_submission_move"), *super().get_urls()]

    def _bulk_move(self, request, queryset, *, form_class, title, fixed_stage=None):
        """An action with an intermediate form; every submission moves through the service, or none does."""
        form = form_class(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            to_stage = fixed_stage or form.cleaned_data["to_stage"]
            try:
                moved = services.submissions_move(
                    submissions=list(queryset.select_related("candidate", "role")),
                    to_stage=to_stage,
                    by=request.user,
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                for message in error.messages:
                    self.message_user(request, message, messages.ERROR)
                self.message_user(
                    request, "Nothing was moved: fix or deselect the submissions above.", messages.WARNING
                )
            else:
                self.message_user(request, f"Moved {moved} submission(s) to “{Stage(to_stage).label}”.")
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "form": form,
            "submissions": queryset.select_related("candidate", "role"),
            "action": request.POST.get("action"),
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "pipelines/bulk_move.html", context)

    @admin.action(description="Move selected submissions to a stage…", permissions=["change"])
    def move_to_stage(self, request, queryset):
        return self._bulk_move(request, queryset, form_class=BulkMoveForm, title="Move submissions to a stage")

    @admin.action(description="Reject selected submissions with a reason…", permissions=["change"])
    def reject_with_reason(self, request, queryset):
        return self._bulk_move(
            request, queryset, form_class=RejectForm, title="Reject submissions", fixed_stage=Stage.REJECTED
        )

    @admin.display(description="Client", ordering="role__client__name")
    def client(self, obj):
        return obj.role.client

    def get_readonly_fields(self, request, obj=None):
        # Candidate and role are fixed once the submission exists; the stage moves only through the pipeline.
        return [*self.readonly_fields, "candidate", "role"] if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        created = services.submission_create(
            candidate=obj.candidate,
            role=obj.role,
            created_by=request.user,
            source=obj.source,
            source_partner=obj.source_partner,
        )
        obj.pk = created.pk
        obj._state.adding = False


@admin.register(StageChange)
class StageChangeAdmin(ModelAdmin):
    list_display = ["submission", "from_stage", "to_stage", "changed_by", "changed_at"]
    list_filter = ["to_stage", "from_stage"]
    list_select_related = ["submission__candidate", "submission__role", "changed_by"]
    search_fields = ["submission__candidate__name", "submission__role__title"]
    date_hierarchy = "changed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
