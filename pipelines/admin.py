from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from sonitec.admin_tools import owned_by_me_filter

from . import services
from .models import Activity, Placement, StageChange, Submission

ACTIVITY_TARGETS = ["candidate", "contact", "client", "role", "submission"]

# ---- inlines used on other apps' pages -------------------------------------------------------------


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RoleSubmissionInline(_ReadOnlyInline):
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


class CandidateSubmissionInline(_ReadOnlyInline):
    model = Submission
    fields = ["role", "client", "stage", "stage_changed_at", "owner"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("candidate", "role__client", "owner")

    @admin.display(description="Client")
    def client(self, obj):
        return obj.role.client


class StageChangeInline(_ReadOnlyInline):
    model = StageChange
    fields = ["changed_at", "from_stage", "to_stage", "changed_by", "note"]
    readonly_fields = fields
    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by")


class _ActivityInline(admin.TabularInline):
    model = Activity
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
                author=request.user, kind=obj.kind, subject=obj.subject, body=obj.body,
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
class SubmissionAdmin(PipelineInlinesMixin, SimpleHistoryAdmin):
    list_display = ["candidate", "role", "client", "stage", "stage_changed_at", "owner", "source", "needs_decision"]
    list_filter = ["stage", "role__pillar", owned_by_me_filter("owner"), "source", "needs_decision"]
    list_select_related = ["candidate", "role__client", "owner"]
    search_fields = ["candidate__name", "=candidate__email", "role__title", "role__client__name"]
    autocomplete_fields = ["candidate", "role", "owner", "source_partner"]
    readonly_fields = ["stage", "stage_changed_at", "created_at", "updated_at"]
    inlines = [StageChangeInline, SubmissionActivityInline]

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
            candidate=obj.candidate, role=obj.role, created_by=request.user, source=obj.source,
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
class PlacementAdmin(SimpleHistoryAdmin):
    list_display = [
        "submission", "start_date", "currency", "fee_amount", "guarantee_ends_on", "status", "rebate_amount",
    ]
    list_filter = ["status", "submission__role__pillar", "currency"]
    list_select_related = ["submission__candidate", "submission__role"]
    search_fields = ["submission__candidate__name", "submission__role__title", "submission__role__client__name"]
    autocomplete_fields = ["submission"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    date_hierarchy = "start_date"


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
            author=request.user, kind=obj.kind, subject=obj.subject, body=obj.body,
            **{f: getattr(obj, f) for f in ACTIVITY_TARGETS if getattr(obj, f"{f}_id")},
        )
        obj.pk = created.pk
        obj._state.adding = False
