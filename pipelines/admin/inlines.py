"""Pipeline inlines for the candidate, client, contact, role and submission pages."""

from django.contrib import admin
from unfold.admin import TabularInline

from sonitec.admin_tools import ReadOnlyInline

from .. import services
from ..models import Activity, StageChange, Submission

ACTIVITY_TARGETS = ["candidate", "contact", "client", "role", "submission"]

# ---- inlines used on other apps' pages -------------------------------------------------------------


class RoleSubmissionInline(ReadOnlyInline):
    model = Submission
    verbose_name_plural = "pipeline"
    fields = readonly_fields = ("candidate", "stage", "stage_changed_at", "owner", "needs_decision")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("candidate", "role", "owner")


class RoleSubmissionAddInline(TabularInline):
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
    fields = readonly_fields = ("role", "client", "stage", "stage_changed_at", "owner")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("candidate", "role__client", "owner")

    @admin.display(description="Client")
    def client(self, obj):
        return obj.role.client


class StageChangeInline(ReadOnlyInline):
    model = StageChange
    fields = readonly_fields = ("changed_at", "from_stage", "to_stage", "changed_by", "note")
    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by")


class _ActivityInline(TabularInline):
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
