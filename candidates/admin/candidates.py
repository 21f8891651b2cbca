import datetime

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from simple_history.admin import SimpleHistoryAdmin
from unfold.admin import ModelAdmin, TabularInline
from unfold.decorators import action

from messaging.admin.followups import CandidateFollowUpInline, CandidateMessageInline
from pipelines.admin.inlines import CandidateActivityInline, CandidateSubmissionInline, PipelineInlinesMixin
from sonitec.admin_tools import owned_by_me_filter

from ..models import Candidate, CandidateSkill, Consent


class CandidateSkillInline(TabularInline):
    model = CandidateSkill
    fields = ["skill", "years", "level"]
    autocomplete_fields = ["skill"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("skill")


class ConsentInline(TabularInline):
    model = Consent
    fields = ["purpose", "role", "method", "notice_version", "given_at", "withdrawn_at", "recorded_by", "note"]
    readonly_fields = ["recorded_by"]
    autocomplete_fields = ["role"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("role__client", "recorded_by")


class AvailableNowFilter(admin.SimpleListFilter):
    title = "availability"
    parameter_name = "available"

    def lookups(self, request, model_admin):
        return [("now", "Available now"), ("soon", "Within 30 days")]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        horizon = {"now": today, "soon": today + datetime.timedelta(days=30)}.get(self.value())
        if horizon is None:
            return queryset
        return queryset.filter(Q(available_from__isnull=True) | Q(available_from__lte=horizon)).exclude(
            status__in=["placed", "do_not_contact"]
        )


@admin.register(Candidate)
class CandidateAdmin(PipelineInlinesMixin, SimpleHistoryAdmin, ModelAdmin):
    # The biggest tables: a filtered list counts its matches once, not also the whole table.
    show_full_result_count = False
    # Fits 1280 px: email, title and company are on the record and found by the search box.
    list_display = ["name", "primary_pillar", "seniority", "status", "available_from", "owner", "last_activity_at"]
    list_fullwidth = True
    list_filter_submit = True
    list_filter = [
        "status",
        "primary_pillar",
        "seniority",
        "candidate_skills__skill",
        AvailableNowFilter,
        owned_by_me_filter("owner"),
        "source",
        "remote_preference",
        "security_clearance",
    ]
    list_select_related = ["primary_pillar", "owner"]
    search_fields = ["name", "=email", "phone", "current_title", "current_company"]
    autocomplete_fields = ["primary_pillar", "other_pillars", "owner", "off_limits_clients", "source_partner"]
    readonly_fields = ["cv_link", "cv_uploaded_at", "last_activity_at", "anonymised_at", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "email", "phone", "location", "linkedin_url", "github_url", "status", "owner"]}),
        (
            "Profile",
            {
                "fields": [
                    "primary_pillar",
                    "other_pillars",
                    "seniority",
                    "current_title",
                    "current_company",
                    "remote_preference",
                    "security_clearance",
                    "right_to_work",
                ]
            },
        ),
        (
            "Availability and pay",
            {
                "fields": [
                    "notice_period_days",
                    "available_from",
                    "currency",
                    "desired_salary",
                    "desired_day_rate",
                ]
            },
        ),
        ("CV", {"fields": ["cv_link", "cv_uploaded_at"]}),
        ("Sourcing", {"fields": ["source", "source_partner", "off_limits_clients", "notes"]}),
        ("Record", {"fields": ["last_activity_at", "anonymised_at", "created_at", "updated_at"]}),
    ]

    # The record's actions as buttons at the top of its page; each opens the page where it is done.
    actions_detail = ["add_to_role", "log_call", "log_note", "record_consent", "download_cv"]

    # Named permission checks (unfold calls has_<name>_permission), not dotted names, which its system check
    # looks up in the database and so fails on a fresh checkout before migrating.
    def has_add_submission_permission(self, request, object_id=None) -> bool:
        return request.user.has_perm("pipelines.add_submission")

    def has_log_activity_permission(self, request, object_id=None) -> bool:
        return request.user.has_perm("pipelines.add_activity")

    def has_add_consent_permission(self, request, object_id=None) -> bool:
        return request.user.has_perm("candidates.add_consent")

    def _go(self, url: str, **params) -> HttpResponseRedirect:
        return HttpResponseRedirect(f"{url}?{urlencode(params)}" if params else url)

    def _back(self, object_id) -> str:
        return reverse("admin:candidates_candidate_change", args=[object_id])

    @action(description="Add to role", url_path="add-to-role", icon="work", permissions=["add_submission"])
    def add_to_role(self, request, object_id):
        return self._go(reverse("admin:pipelines_submission_add"), candidate=object_id)

    @action(description="Log a call", url_path="log-call", icon="call", permissions=["log_activity"])
    def log_call(self, request, object_id):
        url = reverse("admin:pipelines_activity_add")
        return self._go(url, candidate=object_id, kind="call", next=self._back(object_id))

    @action(description="Log a note", url_path="log-note", icon="edit_note", permissions=["log_activity"])
    def log_note(self, request, object_id):
        url = reverse("admin:pipelines_activity_add")
        return self._go(url, candidate=object_id, kind="note", next=self._back(object_id))

    @action(
        description="Record consent",
        url_path="record-consent",
        icon="verified_user",
        permissions=["add_consent"],
    )
    def record_consent(self, request, object_id):
        return self._go(reverse("admin:candidates_consent_add"), candidate=object_id)

    @action(description="Download CV", url_path="download-cv", icon="download", permissions=["view"])
    def download_cv(self, request, object_id):
        return self._go(reverse("admin:candidates_candidate_cv", args=[object_id]))

    def get_inlines(self, request, obj):
        inlines = [CandidateSkillInline, ConsentInline]
        followup_inlines = [CandidateFollowUpInline, CandidateMessageInline]
        return [*inlines, CandidateSubmissionInline, CandidateActivityInline, *followup_inlines] if obj else inlines

    def get_search_results(self, request, queryset, search_term):
        # Search also finds a candidate by the exact email in any letter case.
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if "@" in search_term:
            queryset |= self.model.objects.filter(email__iexact=search_term.strip())
        return queryset, may_have_duplicates

    @admin.display(description="CV")
    def cv_link(self, obj):
        if not obj.pk or not obj.cv:
            return "No CV on file"
        url = reverse("admin:candidates_candidate_cv", args=[obj.pk])
        return format_html('<a href="{}">Download {}</a>', url, obj.cv_original_name or "CV")

    def get_urls(self):
        return [
            path("<int:pk>/cv/", self.admin_site.admin_view(self.cv_download), name="candidates_candidate_cv"),
            *super().get_urls(),
        ]

    def cv_download(self, request, pk):
        """CVs are private: only staff who may view candidates get them, always as a download."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        candidate = get_object_or_404(Candidate, pk=pk)
        if not candidate.cv:
            raise Http404("No CV on file.")
        extension = candidate.cv.name.rsplit(".", 1)[-1]
        filename = f"CV - {candidate.name}.{extension}".replace('"', "")
        try:
            cv_file = candidate.cv.open("rb")
        except FileNotFoundError as error:  # the row outlived its file (restored backup, manual clean-up)
            raise Http404("The CV file is missing.") from error
        response = FileResponse(cv_file, as_attachment=True, filename=filename)
        # Personal data: never kept by shared caches or the browser's cache.
        response["Cache-Control"] = "private, no-store"
        return response


@admin.register(Consent)
class ConsentAdmin(ModelAdmin):
    list_display = ["candidate", "purpose", "role", "method", "notice_version", "given_at", "withdrawn_at"]
    list_filter = ["purpose", "method"]
    list_select_related = ["candidate", "role__client"]
    search_fields = ["candidate__name", "=candidate__email"]
    autocomplete_fields = ["candidate", "role", "partner"]
    readonly_fields = ["recorded_by"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)
