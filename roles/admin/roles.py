from django.contrib import admin
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from simple_history.admin import SimpleHistoryAdmin
from unfold.admin import ModelAdmin
from unfold.decorators import action

from imports.admin.export import RecordedExportMixin
from imports.resources import RoleResource
from messaging.admin.followups import RoleFollowUpInline, RoleMessageInline
from partners import services as partner_services
from pipelines.admin import views as admin_views
from pipelines.admin.inlines import (
    PipelineInlinesMixin,
    RoleActivityInline,
    RoleSubmissionAddInline,
    RoleSubmissionInline,
)
from sonitec.admin_tools import owned_by_me_filter

from .. import services
from ..models import Pillar, Role, RoleStatus, Skill


@admin.register(Pillar)
class PillarAdmin(ModelAdmin):
    list_display = ["name", "position", "typical_tools", "open_roles"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).annotate(_open_roles=Count("roles", filter=Q(roles__status=RoleStatus.OPEN)))
        )

    @admin.display(description="Open roles", ordering="_open_roles")
    def open_roles(self, obj):
        return obj._open_roles


@admin.register(Skill)
class SkillAdmin(ModelAdmin):
    list_display = ["name", "slug"]
    list_filter = ["pillars"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["pillars"]


@admin.register(Role)
class RoleAdmin(RecordedExportMixin, PipelineInlinesMixin, SimpleHistoryAdmin, ModelAdmin):
    resource_classes = [RoleResource]
    # Fits 1280 px, the board link next to the title; seniority, headcount and dates are filters or on the record.
    list_display = ["title", "board", "client", "pillar", "status", "owner"]
    list_fullwidth = True
    list_filter = [
        "status",
        "pillar",
        owned_by_me_filter("owner"),
        "seniority",
        "employment_type",
        "remote_policy",
        "published_on_job_board",
        "partner_visibility",
    ]
    list_select_related = ["client", "pillar", "owner"]
    search_fields = ["title", "client__name", "location"]
    autocomplete_fields = ["client", "hiring_contact", "owner", "required_skills", "nice_to_have_skills", "partners"]
    readonly_fields = ["slug", "created_at", "updated_at"]
    change_form_template = "pipelines/role_change_form.html"
    fieldsets = [
        (None, {"fields": ["client", "hiring_contact", "pillar", "title", "slug", "description", "status", "owner"]}),
        (
            "The job",
            {
                "fields": [
                    "seniority",
                    "employment_type",
                    "location",
                    "remote_policy",
                    "security_clearance",
                    "headcount",
                    "required_skills",
                    "nice_to_have_skills",
                ]
            },
        ),
        ("Pay", {"fields": ["currency", ("salary_min", "salary_max"), ("day_rate_min", "day_rate_max")]}),
        (
            "Fee terms (blank: the client's defaults)",
            {
                "fields": [
                    "fee_type",
                    "fee_percent",
                    "flat_fee",
                    "guarantee_days",
                    "rebate_policy",
                ]
            },
        ),
        ("Dates", {"fields": ["opened_on", "target_date", "closed_on", "created_at", "updated_at"]}),
        ("Publishing", {"fields": ["published_on_job_board", "partner_visibility", "partners"]}),
        ("Internal", {"fields": ["internal_notes"]}),
    ]

    # The role's own pages as buttons at the top of its page.
    actions_detail = ["open_board", "open_matches", "open_ranking_log"]

    def has_ranking_log_permission(self, request, object_id=None) -> bool:
        return request.user.has_perm("matching.view_matchrankinglog")

    @action(description="Pipeline board", url_path="open-board", icon="view_kanban", permissions=["view"])
    def open_board(self, request, object_id):
        return HttpResponseRedirect(reverse("admin:roles_role_board", args=[object_id]))

    @action(description="Matches", url_path="open-matches", icon="person_search", permissions=["view"])
    def open_matches(self, request, object_id):
        return HttpResponseRedirect(reverse("admin:matching_role_matches", args=[object_id]))

    @action(description="Ranking log", url_path="open-ranking-log", icon="leaderboard", permissions=["ranking_log"])
    def open_ranking_log(self, request, object_id):
        url = reverse("admin:matching_matchrankinglog_changelist")
        return HttpResponseRedirect(f"{url}?{urlencode({'role__id__exact': object_id})}")

    @admin.display(description="Pipeline")
    def board(self, obj):
        return format_html('<a href="{}">Board</a>', reverse("admin:roles_role_board", args=[obj.pk]))

    def get_urls(self):
        board = self.admin_site.admin_view(lambda request, pk: admin_views.role_board(self, request, pk))
        return [path("<int:pk>/board/", board, name="roles_role_board"), *super().get_urls()]

    def save_model(self, request, obj, form, change):
        """Save the role's fields, then change its status through the service, which announces it."""
        status = obj.status
        if change:
            # Who could see the role before this edit, so partners are told when that changes (save_related).
            stored = Role.objects.get(pk=obj.pk)
            obj._partners_before = (partner_services.role_partner_ids(role=stored), stored.status == RoleStatus.OPEN)
        obj.status = form.initial.get("status", RoleStatus.DRAFT) if change else RoleStatus.DRAFT
        super().save_model(request, obj, form, change)
        services.role_set_status(role=obj, status=status, by=request.user)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change:
            partner_ids_before, was_open = form.instance._partners_before
            partner_services.role_partners_changed(
                role=form.instance, partner_ids_before=partner_ids_before, was_open=was_open
            )

    def get_inlines(self, request, obj):
        inlines = [RoleSubmissionInline, RoleSubmissionAddInline, RoleActivityInline]
        return [*inlines, RoleFollowUpInline, RoleMessageInline] if obj else []
