from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from unfold.admin import ModelAdmin

from candidates.admin.search import search_context
from candidates.forms import CandidateSearchForm
from candidates.models import Candidate

from ..models import SavedSearch
from ..selectors import saved_search_form, saved_search_result_ids
from ..services import saved_search_create, saved_search_mark_run


@admin.register(SavedSearch)
class SavedSearchAdmin(ModelAdmin):
    list_display = ["name", "owner", "summary", "last_run_at", "daily_digest", "run"]
    list_select_related = ["owner"]
    list_filter = ["daily_digest"]
    search_fields = ["name"]
    fields = ["name", "owner", "query", "daily_digest", "created_at", "last_run_at", "digest_last_at"]
    readonly_fields = ["owner", "query", "created_at", "last_run_at", "digest_last_at"]

    def get_queryset(self, request):
        # Recruiters see their own saved searches; superusers see everyone's.
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.filter(owner=request.user)

    def has_add_permission(self, request):
        return False  # saved from the Find candidates page

    @admin.display(description="search")
    def summary(self, obj):
        return urlencode(obj.query)[:120]

    @admin.display(description="")
    def run(self, obj):
        return format_html('<a href="{}">Run</a>', reverse("admin:matching_savedsearch_run", args=[obj.pk]))

    def get_urls(self):
        return [
            path("save/", self.admin_site.admin_view(self.save_view), name="matching_savedsearch_save"),
            path("<int:pk>/run/", self.admin_site.admin_view(self.run_view), name="matching_savedsearch_run"),
            *super().get_urls(),
        ]

    def save_view(self, request):
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:candidates_candidate_find"))
        if not request.user.has_perm("matching.view_savedsearch"):
            raise PermissionDenied
        query = QueryDict(request.POST.get("query", ""))
        form = CandidateSearchForm(query)
        back = reverse("admin:candidates_candidate_find") + "?" + query.urlencode()
        if not form.is_valid():
            messages.error(request, "Fix the search before saving it.")
            return HttpResponseRedirect(back)
        try:
            saved = saved_search_create(
                owner=request.user,
                name=request.POST.get("name", ""),
                query={k: query[k] for k in query},
                daily_digest=request.POST.get("daily_digest") == "on",
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(back)
        saved_search_mark_run(saved_search=saved, result_ids=saved_search_result_ids(params=form.to_params()))
        messages.success(request, f"Saved “{saved.name}”. Run it again later to see who is new.")
        return HttpResponseRedirect(reverse("admin:matching_savedsearch_run", args=[saved.pk]) + "?seen=1")

    def run_view(self, request, pk: int):
        """Run a saved search: its results, with the people who are new since the last run marked."""
        saved = get_object_or_404(self.get_queryset(request), pk=pk)
        form = saved_search_form(saved_search=saved)
        previous_run = saved.last_run_at
        new_ids: set[int] = set()
        if form.is_valid() and "seen" not in request.GET and "page" not in request.GET:
            new_ids = saved_search_mark_run(
                saved_search=saved, result_ids=saved_search_result_ids(params=form.to_params())
            )
        context = {
            **search_context(self, request, form),
            "opts": Candidate._meta,
            "title": f"Saved search: {saved.name}",
            "saved_search": saved,
            "previous_run": previous_run if "seen" not in request.GET else None,
            "new_ids": new_ids,
            "new_count": len(new_ids),
        }
        return TemplateResponse(request, "candidates/find.html", context)
