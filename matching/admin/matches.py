from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from candidates.models import Candidate
from roles.models import Role
from sonitec.admin_tools import ReadOnlyAdmin

from ..models import MatchAddition, MatchRankingLog, RankingChannel
from ..services import match_add_to_pipeline, matches_page_show

PAGE_SIZE = 25


@admin.register(MatchRankingLog)
class MatchRankingLogAdmin(ReadOnlyAdmin):
    list_display = ["shown_at", "role", "shown_by", "channel", "shown_count", "top_score"]
    list_filter = ["channel", "role__pillar"]  # a list of every role would cost a query per role
    list_select_related = ["role__client", "shown_by"]
    date_hierarchy = "shown_at"
    fields = ["role", "shown_by", "shown_at", "channel", "parameters", "results"]

    @admin.display(description="candidates shown")
    def shown_count(self, obj):
        return len(obj.results)

    @admin.display(description="top score")
    def top_score(self, obj):
        return max((row.get("score", 0) for row in obj.results), default="")

    def get_urls(self):
        view = self.admin_site.admin_view(self.matches_view)
        return [path("role/<int:role_id>/matches/", view, name="matching_role_matches"), *super().get_urls()]

    def matches_view(self, request, role_id: int):
        """A role's Matches: candidates ranked by an explainable score, each addable to the pipeline in a click."""
        role = get_object_or_404(Role.objects.select_related("client", "pillar"), pk=role_id)
        if not request.user.has_perm("roles.view_role"):
            raise PermissionDenied
        here = reverse("admin:matching_role_matches", args=[role.pk])
        if request.method == "POST":
            return self._add(request, role, here)
        raw_page = request.GET.get("page", "1")
        number = max(1, int(raw_page)) if raw_page.isdigit() else 1
        page = matches_page_show(
            role=role, number=number, size=PAGE_SIZE, by=request.user, channel=RankingChannel.ADMIN
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": Role._meta,
            "title": f"Matches: {role}",
            "role": role,
            "requirements": page.requirements,
            "rows": [(page.first_position + offset, match) for offset, match in enumerate(page.shown)],
            "number": number,
            "has_next": page.has_next,
            "ranking": page.ranking,
            "can_add": request.user.has_perm("pipelines.add_submission"),
            "log_url": reverse("admin:matching_matchrankinglog_changelist") + f"?role__id__exact={role.pk}",
        }
        return TemplateResponse(request, "matching/matches.html", context)

    def _add(self, request, role: Role, here: str):
        if not request.user.has_perm("pipelines.add_submission"):
            raise PermissionDenied
        candidate_id = request.POST.get("candidate_id", "")
        ranking_id = request.POST.get("ranking_id", "")
        candidate = get_object_or_404(Candidate, pk=int(candidate_id)) if candidate_id.isdigit() else None
        ranking = MatchRankingLog.objects.filter(pk=int(ranking_id)).first() if ranking_id.isdigit() else None
        if candidate is None:
            messages.error(request, "Choose a candidate to add.")
            return HttpResponseRedirect(here)
        try:
            submission = match_add_to_pipeline(role=role, candidate=candidate, by=request.user, ranking=ranking)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            url = reverse("admin:pipelines_submission_change", args=[submission.pk])
            messages.success(
                request, format_html('{} added to the pipeline at “Sourced”. <a href="{}">Open</a>', candidate, url)
            )
        return HttpResponseRedirect(
            here + (f"?page={request.POST['page']}" if request.POST.get("page", "").isdigit() else "")
        )


@admin.register(MatchAddition)
class MatchAdditionAdmin(ReadOnlyAdmin):
    list_display = ["added_at", "role", "candidate", "score", "added_by", "ranking"]
    list_filter = ["role__pillar"]
    list_select_related = ["role__client", "candidate", "added_by", "ranking"]
    raw_id_fields = ["candidate", "submission", "ranking"]
