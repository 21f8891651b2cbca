from django.contrib import admin
from django.db.models import Count, Q
from simple_history.admin import SimpleHistoryAdmin

from pipelines.admin import PipelineInlinesMixin
from sonitec.admin_tools import owned_by_me_filter

from .models import Pillar, Role, Skill


@admin.register(Pillar)
class PillarAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "typical_tools", "open_roles"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            _open_roles=Count("roles", filter=Q(roles__status="open"))
        )

    @admin.display(description="Open roles", ordering="_open_roles")
    def open_roles(self, obj):
        return obj._open_roles


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    list_filter = ["pillars"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["pillars"]


@admin.register(Role)
class RoleAdmin(PipelineInlinesMixin, SimpleHistoryAdmin):
    list_display = ["title", "client", "pillar", "seniority", "status", "headcount", "owner", "opened_on"]
    list_filter = [
        "status", "pillar", owned_by_me_filter("owner"), "seniority", "employment_type", "remote_policy",
        "published_on_job_board", "partner_visibility",
    ]
    list_select_related = ["client", "pillar", "owner"]
    search_fields = ["title", "client__name", "location"]
    autocomplete_fields = ["client", "hiring_contact", "owner", "required_skills", "nice_to_have_skills", "partners"]
    date_hierarchy = "opened_on"
    readonly_fields = ["slug", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["client", "hiring_contact", "pillar", "title", "slug", "description", "status", "owner"]}),
        ("The job", {"fields": [
            "seniority", "employment_type", "location", "remote_policy", "security_clearance", "headcount",
            "required_skills", "nice_to_have_skills",
        ]}),
        ("Pay", {"fields": ["currency", ("salary_min", "salary_max"), ("day_rate_min", "day_rate_max")]}),
        ("Fee terms (blank: the client's defaults)", {"fields": [
            "fee_type", "fee_percent", "flat_fee", "guarantee_days", "rebate_policy",
        ]}),
        ("Dates", {"fields": ["opened_on", "target_date", "closed_on", "created_at", "updated_at"]}),
        ("Publishing", {"fields": ["published_on_job_board", "partner_visibility", "partners"]}),
        ("Internal", {"fields": ["internal_notes"]}),
    ]

    def get_inlines(self, request, obj):
        from pipelines.admin import RoleActivityInline, RoleSubmissionAddInline, RoleSubmissionInline

        return [RoleSubmissionInline, RoleSubmissionAddInline, RoleActivityInline] if obj else []
