"""The "Find candidates" admin page: the search's text and filters, ranked results with snippets explaining each
hit. Thin: candidates.forms parses, candidates.selectors searches."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import HttpRequest, QueryDict
from django.template.response import TemplateResponse
from django.utils.safestring import SafeString

from sonitec.admin_tools import themed

from ..forms import CandidateSearchForm
from ..models import Candidate
from ..selectors import CandidateSearch, candidate_search, candidate_search_highlights

PAGE_SIZE = 25


@dataclass
class SearchPage:
    rows: list[tuple[Candidate, SafeString | None]]
    number: int
    has_next: bool

    @property
    def ids(self) -> list[int]:
        return [candidate.pk for candidate, _ in self.rows]


def search_page(*, params: CandidateSearch, number: int = 1, page_size: int = PAGE_SIZE) -> SearchPage:
    """One page of results (fetching one extra row to know whether there is a next page: no COUNT)."""
    queryset = candidate_search(params=params).select_related("primary_pillar")
    if not params.text:
        queryset = queryset.order_by(F("last_activity_at").desc(nulls_last=True), "-pk")
    start = (number - 1) * page_size
    found = list(queryset[start : start + page_size + 1])
    shown = found[:page_size]
    snippets = candidate_search_highlights(candidate_ids=[c.pk for c in shown], q=params.q) if params.text else {}
    return SearchPage(
        rows=[(candidate, snippets.get(candidate.pk)) for candidate in shown],
        number=number,
        has_next=len(found) > page_size,
    )


def page_number(request: HttpRequest) -> int:
    raw = request.GET.get("page", "1")
    return max(1, min(int(raw), 400)) if raw.isdigit() else 1


def query_without_page(request: HttpRequest) -> str:
    query: QueryDict = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def search_context(model_admin, request: HttpRequest, form: CandidateSearchForm) -> dict:
    """The context of the results template, shared by the Find page and a saved search's run."""
    page = None
    if form.is_bound and form.is_valid():
        page = search_page(params=form.to_params(), number=page_number(request))
    return {
        **model_admin.admin_site.each_context(request),
        "opts": Candidate._meta,
        "form": themed(form),
        "page": page,
        "query": query_without_page(request),
        "searched": form.is_bound,
    }


def find_candidates(model_admin, request: HttpRequest):
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    form = CandidateSearchForm(request.GET if request.GET else None)
    context = {**search_context(model_admin, request, form), "title": "Find candidates"}
    return TemplateResponse(request, "candidates/find.html", context)
