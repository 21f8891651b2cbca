from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from simple_history.admin import SimpleHistoryAdmin

from imports.admin.export import RecordedExportMixin
from imports.resources import PlacementResource, SubmissionResource
from sonitec.admin_tools import ReadOnlyInline, owned_by_me_filter

from . import admin_views, services
from .forms import BulkMoveForm, RejectForm
from .models import Activity, Placement, Stage, StageChange, Submission

# The admin index shows the pipeline dashboard above the usual app list.
admin.site.index_template = "pipelines/admin_index.html"

ACTIVITY_TARGETS = ["candidate", "contact", "client", "role", "submission"]

# ---- inlines used on other apps' pages -------------------------------------------------------------


class RoleSubmissionInline(ReadOnlyInline):
    model = Submission
    verbose_name_plural = "pipeline"
    fields = ["candidate", "stage", "stage_changed_at", "owner", "needs_decision"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("candidate", "role", "owner")


class RoleSubmissionAddInline(admin.TabularInline):
    """Add candidates to this role's pipeline (existing ones are listed above)."""

    model = Submission
    verbose_name = "candidate to add"
    verbose_name_plural = "add candidates to the pipeline"
    fields = ["candidate"]
    autocomplete_fields = ["candidate"]
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).none()

    def has_change_permission(self, request, obj=None):
        return False


class CandidateSubmissionInline(ReadOnlyInline):
    model = Submission
    fields = ["role", "client", "stage", "stage_changed_at", "owner"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("candidate", "role__client", "owner")

    @admin.display(description="Client")
    def client(self, obj):
        return obj.role.client


class StageChangeInline(ReadOnlyInline):
    model = StageChange
    fields = ["changed_at", "from_stage", "to_stage", "changed_by", "note"]
    readonly_fields = fields
    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by")


class _ActivityInline(admin.TabularInline):
    model = Activity
    # Adds "Log a call" / "Log a note" links above the timeline.
    template = "pipelines/activity_inline.html"
    fields = ["occurred_at", "kind", "subject", "body", "author"]
    readonly_fields = ["author"]
    extra = 0
    can_delete = False
    verbose_name_plural = "activity timeline"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")


class CandidateActivityInline(_ActivityInline):
    fk_name = "candidate"


class RoleActivityInline(_ActivityInline):
    fk_name = "role"


class ClientActivityInline(_ActivityInline):
    fk_name = "client"


class ContactActivityInline(_ActivityInline):
    fk_name = "contact"


class SubmissionActivityInline(_ActivityInline):
    fk_name = "submission"


def save_pipeline_formset(request, formset) -> bool:
    """Save activity and submission inlines through the services; return False for other formsets.

    Inlines on other apps' pages create activities and submissions, which must get an author, a stage
    history and a last-activity time exactly as when they are made anywhere else.
    """
    if formset.model not in (Activity, Submission):
        return False
    # The admin's change message reads these, which formset.save() would otherwise have set.
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
    for form in formset.forms:
        if not form.has_changed() or not form.cleaned_data or form.cleaned_data.get("DELETE"):
            continue
        obj = form.instance
        if obj.pk:
            form.save()
        elif formset.model is Submission:
            services.submission_create(candidate=obj.candidate, role=obj.role, created_by=request.user)
        else:
            services.activity_log(
                author=request.user,
                kind=obj.kind,
                subject=obj.subject,
                body=obj.body,
                occurred_at=obj.occurred_at,
                **{f: getattr(obj, f) for f in ACTIVITY_TARGETS if getattr(obj, f"{f}_id")},
            )
    return True


class PipelineInlinesMixin:
    def save_formset(self, request, form, formset, change):
        if not save_pipeline_formset(request, formset):
            super().save_formset(request, form, formset, change)


# ---- model admins ----------------------------------------------------------------------------------


@admin.register(Submission)
class SubmissionAdmin(RecordedExportMixin, PipelineInlinesMixin, SimpleHistoryAdmin):
    resource_classes = [SubmissionResource]
    # The biggest tables: a filtered list counts its matches once, not also the whole table.
    show_full_result_count = False
    list_display = ["candidate", "role", "client", "stage", "stage_changed_at", "owner", "source", "needs_decision"]
    list_filter = ["stage", "role__pillar", owned_by_me_filter("owner"), "source", "needs_decision"]
    list_select_related = ["candidate", "role__client", "owner"]
    search_fields = ["candidate__name", "=candidate__email", "role__title", "role__client__name"]
    autocomplete_fields = ["candidate", "role", "owner", "source_partner"]
    readonly_fields = ["stage", "stage_changed_at", "created_at", "updated_at"]
    inlines = [StageChangeInline, SubmissionActivityInline]
    actions = ["move_to_stage", "reject_with_reason"]
    change_form_template = "pipelines/submission_change_form.html"

    def get_inlines(self, request, obj):
        from .admin_followups import SubmissionFollowUpInline, SubmissionMessageInline

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
class StageChangeAdmin(admin.ModelAdmin):
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


@admin.register(Placement)
class PlacementAdmin(RecordedExportMixin, SimpleHistoryAdmin):
    resource_classes = [PlacementResource]
    """Placements are made by moving a submission to placed and ended with "End placement": the money is
    computed by the services, so every field here is read-only."""

    list_display = [
        "submission",
        "start_date",
        "currency",
        "fee_amount",
        "guarantee_ends_on",
        "status",
        "rebate_amount",
    ]
    list_filter = ["status", "submission__role__pillar", "currency"]
    list_select_related = ["submission__candidate", "submission__role"]
    search_fields = ["submission__candidate__name", "submission__role__title", "submission__role__client__name"]
    readonly_fields = [
        "submission",
        "start_date",
        "currency",
        "agreed_salary",
        "agreed_day_rate",
        "fee_type",
        "fee_percent",
        "fee_amount",
        "guarantee_days",
        "guarantee_ends_on",
        "status",
        "ended_on",
        "termination_reason",
        "rebate_amount",
        "created_by",
        "created_at",
        "updated_at",
    ]
    date_hierarchy = "start_date"
    change_form_template = "pipelines/placement_change_form.html"

    def has_add_permission(self, request):
        return False

    def get_urls(self):
        end = self.admin_site.admin_view(lambda request, pk: admin_views.placement_end_page(self, request, pk))
        return [path("<int:pk>/end/", end, name="pipelines_placement_end"), *super().get_urls()]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["occurred_at", "kind", "subject", "candidate", "contact", "client", "role", "author"]
    list_filter = ["kind", owned_by_me_filter("author", "author")]
    list_select_related = ["candidate", "contact__client", "client", "role__client", "author"]
    search_fields = ["subject", "body", "candidate__name", "contact__name", "client__name"]
    autocomplete_fields = ["candidate", "contact", "client", "role", "submission"]
    readonly_fields = ["author"]
    date_hierarchy = "occurred_at"

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        created = services.activity_log(
            author=request.user,
            kind=obj.kind,
            subject=obj.subject,
            body=obj.body,
            **{f: getattr(obj, f) for f in ACTIVITY_TARGETS if getattr(obj, f"{f}_id")},
        )
        obj.pk = created.pk
        obj._state.adding = False

    def response_add(self, request, obj, post_url_continue=None):
        # "Log a call / note" links carry the page they came from; go back there after saving.
        if "next" in request.GET and "_addanother" not in request.POST and "_continue" not in request.POST:
            return HttpResponseRedirect(admin_views.safe_next(request, reverse("admin:pipelines_activity_changelist")))
        return super().response_add(request, obj, post_url_continue)


from . import admin_followups  # noqa: E402, F401
