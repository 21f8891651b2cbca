"""The "Find candidates" admin page: the search's text and filters, ranked results with snippets explaining each
hit. Thin: candidates.forms parses, candidates.selectors searches."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import HttpRequest, QueryDict
from django.template.response import TemplateResponse
from django.utils.safestring import SafeString
from unfold.widgets import UnfoldAdminSelectMultipleWidget, UnfoldAdminSelectWidget

from clients.models import Client
from roles.models import Pillar, Role, RoleStatus, Skill
from sonitec.admin_tools import themed

from ..forms import CandidateSearchForm, CommaJoinedValues
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


# The filters shown at once; the others wait under "More filters" (open when one of them is set).
MAIN_FILTERS = ["q", "pillar", "skills", "location", "seniority", "clearance", "remote", "max_salary", "currency"]


class SkillsPicker(CommaJoinedValues, UnfoldAdminSelectMultipleWidget):
    """A list to tick skills in, sending the same comma-separated slugs the API takes."""

    def format_value(self, value):
        if isinstance(value, str):
            return [slug for slug in value.split(",") if slug]
        return super().format_value(value)


def with_pickers(form: CandidateSearchForm) -> CandidateSearchForm:
    """The form as recruiters fill it in: pillars, skills, roles and clients picked from lists (the query keeps
    the slugs and ids the API documents). Four queries, whatever the results."""
    form = themed(form)
    pillars = [("", "any"), *Pillar.objects.values_list("slug", "name")]
    form.fields["pillar"].widget = UnfoldAdminSelectWidget(choices=pillars)
    form.fields["pillar"].help_text = "Their main pillar or another one."
    skills = list(Skill.objects.order_by("name").values_list("slug", "name"))
    for name in ("skills", "skills_any"):
        picker = SkillsPicker(attrs={"size": 6})
        # The ticked skills head the list, so the six lines shown say what the search asks for.
        ticked = set(picker.value_from_datadict(form.data, form.files, name).split(",")) if form.is_bound else set()
        picker.choices = sorted(skills, key=lambda choice: choice[0] not in ticked)
        form.fields[name].widget = picker
    form.fields["skills"].help_text = "All of these (Ctrl or ⌘ to pick several)."
    form.fields["skills_any"].help_text = "At least one of these."
    open_roles = Role.objects.filter(status=RoleStatus.OPEN).select_related("client").order_by("client__name", "title")
    form.fields["not_in_role"].widget = UnfoldAdminSelectWidget(
        choices=[("", "—"), *((role.pk, f"{role.client.name}: {role.title}") for role in open_roles)]
    )
    form.fields["not_in_role"].help_text = "Leave out the people already in this role's pipeline."
    form.fields["not_off_limits_for"].widget = UnfoldAdminSelectWidget(
        choices=[("", "—"), *Client.objects.order_by("name").values_list("pk", "name")]
    )
    form.fields["not_off_limits_for"].help_text = "Leave out the people off-limits for this client."
    form.fields["currency"].help_text = "Currency of the maximum salary or day rate."
    return form


def search_context(model_admin, request: HttpRequest, form: CandidateSearchForm) -> dict:
    """The context of the results template, shared by the Find page and a saved search's run."""
    page = None
    form = with_pickers(form)
    if form.is_bound and form.is_valid():
        page = search_page(params=form.to_params(), number=page_number(request))
    more = [field for field in form if field.name not in MAIN_FILTERS]
    return {
        **model_admin.admin_site.each_context(request),
        "opts": Candidate._meta,
        "form": form,
        "main_fields": [field for field in form if field.name in MAIN_FILTERS],
        "more_fields": more,
        "more_open": any(field.errors or (form.is_bound and form.data.get(field.name)) for field in more),
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
