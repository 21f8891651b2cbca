import datetime

from django.contrib import admin, messages
from django.contrib.admin.views.main import ORDER_VAR
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

from assessments.admin.evidence import CandidateEvidenceInline
from assessments.selectors import skill_verified_annotation
from candidates.selectors import consent_expires_at, consent_state
from imports.admin.export import RecordedExportMixin
from imports.resources import CandidateResource
from messaging.admin.followups import CandidateFollowUpInline, CandidateMessageInline
from pipelines.admin.inlines import CandidateActivityInline, CandidateSubmissionInline, PipelineInlinesMixin
from privacy.admin.actions import PersonalDataActionsMixin, access_log_html
from privacy.models import AccessAction
from privacy.services import access_log_record
from sonitec.admin_tools import EstimatedCountPaginator, owned_by_me_filter

from ..models import Candidate, CandidateDocument, CandidateSkill, Consent
from ..selectors import CandidateSearch, candidate_search
from ..services import candidate_document_make_current
from . import search
from .duplicates import CandidateDuplicatesMixin


class CandidateSkillInline(TabularInline):
    model = CandidateSkill
    fields = ["skill", "years", "level", "verified"]
    readonly_fields = ["verified"]
    autocomplete_fields = ["skill"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("skill").annotate(_verified=skill_verified_annotation())

    @admin.display(description="Evidence")
    def verified(self, obj):
        """Said in words (not an icon alone) when a recruiter verified evidence of this skill (see below)."""
        return "✓ verified" if getattr(obj, "_verified", False) else "—"


class ConsentInline(TabularInline):
    model = Consent
    fields = [
        "purpose",
        "role",
        "method",
        "notice_version",
        "given_at",
        "withdrawn_at",
        "state",
        "expires",
        "recorded_by",
        "note",
    ]
    readonly_fields = ["recorded_by", "state", "expires"]
    autocomplete_fields = ["role"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("candidate", "role__client", "recorded_by")

    @admin.display(description="state")
    def state(self, obj):
        return consent_state(consent=obj) if obj.pk else ""

    @admin.display(description="lapses")
    def expires(self, obj):
        if not obj.pk:
            return ""
        expires = consent_expires_at(consent=obj)
        return f"{timezone.localtime(expires):%Y-%m-%d}" if expires else "while the role is open"


class CandidateDocumentInline(TabularInline):
    """Every CV version the person or a partner sent; a recruiter chooses which one is current."""

    model = CandidateDocument
    verbose_name = "CV version"
    verbose_name_plural = "CV versions (newest first)"
    fields = ("original_name", "source", "uploaded_at", "size", "content_type", "sha256", "current")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="Current CV")
    def current(self, obj):
        if obj.candidate.cv.name == obj.file.name:
            return "Current"
        url = reverse("admin:candidates_candidate_document_current", args=[obj.candidate_id, obj.pk])
        # A button of the page's own form, posted (with its CSRF token) to the make-current URL.
        return format_html('<button type="submit" formaction="{}" formmethod="post">Make current</button>', url)


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
class CandidateAdmin(
    PersonalDataActionsMixin,
    RecordedExportMixin,
    CandidateDuplicatesMixin,
    PipelineInlinesMixin,
    SimpleHistoryAdmin,
    ModelAdmin,
):
    resource_classes = [CandidateResource]
    # The biggest table: a filtered list counts its matches once, not also the whole table, and the unfiltered
    # list uses PostgreSQL's estimate of the row count rather than COUNT(*) over a million rows.
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    # Rendering a row costs more than finding it (the theme builds each row's cells and headers): 25 per page
    # keeps the list quick, like the Find page.
    list_per_page = 25
    change_list_template = "candidates/candidate_change_list.html"
    change_form_template = "privacy/candidate_change_form.html"
    list_display = [
        "name",
        "email",
        "primary_pillar",
        "seniority",
        "current_title",
        "status",
        "available_from",
        "owner",
        "last_activity_at",
    ]
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
    readonly_fields = [
        "cv_link",
        "cv_uploaded_at",
        "last_activity_at",
        "anonymised_at",
        "created_at",
        "updated_at",
        "possible_duplicates",
    ]
    actions = ["export_personal_data", "erase_personal_data"]
    fieldsets = [
        (None, {"fields": ["name", "email", "phone", "location", "linkedin_url", "github_url", "status", "owner"]}),
        ("Possible duplicates", {"fields": ["possible_duplicates", "save_anyway"]}),
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

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if change and obj is not None:
            # Every look at a person's record is logged (one INSERT), so the agency can say who saw what; managers
            # (the privacy app's view permission) see the log at the foot of the page (one SELECT).
            if request.method == "GET":
                access_log_record(user=request.user, action=AccessAction.VIEWED, candidate=obj)
            context["access_log"] = access_log_html(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def has_change_permission(self, request, obj=None):
        # Erasure is irreversible: an anonymised record can be looked at, never filled in again.
        if obj is not None and obj.anonymised_at is not None:
            return False
        return super().has_change_permission(request, obj)

    # The record's actions as buttons at the top of its page; each opens the page where it is done.
    actions_detail = ["add_to_role", "add_to_pool", "log_call", "log_note", "record_consent", "download_cv"]

    # Named permission checks (unfold calls has_<name>_permission), not dotted names, which its system check
    # looks up in the database and so fails on a fresh checkout before migrating.
    def has_add_submission_permission(self, request, object_id=None) -> bool:
        return request.user.has_perm("pipelines.add_submission")

    def has_add_to_pool_permission(self, request, object_id=None) -> bool:
        return request.user.has_perm("matching.change_talentpool")

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

    @action(description="Add to pool", url_path="add-to-pool", icon="group_add", permissions=["add_to_pool"])
    def add_to_pool(self, request, object_id):
        return self._go(reverse("admin:matching_talentpool_add_candidates"), candidate_ids=object_id)

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
        inlines = [CandidateSkillInline, ConsentInline, CandidateDocumentInline]
        if obj:
            inlines.append(CandidateEvidenceInline)
        followup_inlines = [CandidateFollowUpInline, CandidateMessageInline]
        return [*inlines, CandidateSubmissionInline, CandidateActivityInline, *followup_inlines] if obj else inlines

    def get_search_results(self, request, queryset, search_term):
        """The same ranked, forgiving search as the Find page (docs/search.md), over the filtered list, best match
        first unless the recruiter sorts by a column.

        Do-not-contact people are found here (the list shows everyone); anonymised people have nothing to find.
        """
        if not search_term.strip():
            return queryset, False
        params = CandidateSearch(q=search_term, include_do_not_contact=True)
        ranked = candidate_search(params=params, queryset=queryset).select_related(*self.list_select_related)
        if ORDER_VAR in request.GET:  # the recruiter sorted by a column: keep that order
            ranked = ranked.order_by(*queryset.query.order_by)
        return ranked, False

    @admin.display(description="CV")
    def cv_link(self, obj):
        if not obj.pk or not obj.cv:
            return "No CV on file"
        url = reverse("admin:candidates_candidate_cv", args=[obj.pk])
        return format_html('<a href="{}">Download {}</a>', url, obj.cv_original_name or "CV")

    def get_urls(self):
        find = self.admin_site.admin_view(lambda request: search.find_candidates(self, request))
        return [
            path("find/", find, name="candidates_candidate_find"),
            path("<int:pk>/cv/", self.admin_site.admin_view(self.cv_download), name="candidates_candidate_cv"),
            path(
                "<int:pk>/cv/<int:document_id>/make-current/",
                self.admin_site.admin_view(self.document_make_current),
                name="candidates_candidate_document_current",
            ),
            *super().get_urls(),
        ]

    def document_make_current(self, request, pk, document_id):
        if request.method != "POST" or not self.has_change_permission(request):
            raise PermissionDenied
        document = get_object_or_404(
            CandidateDocument.objects.select_related("candidate"), pk=document_id, candidate=pk
        )
        candidate_document_make_current(document=document)
        messages.success(request, f"{document.original_name or 'This version'} is now the current CV.")
        return HttpResponseRedirect(reverse("admin:candidates_candidate_change", args=[pk]))

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
        access_log_record(user=request.user, action=AccessAction.CV_DOWNLOADED, candidate=candidate)
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
