"""Public pages about pillars and roles: the home page and the job board."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from candidates.forms import ApplyForm

from .models import Pillar, RemotePolicy, Role, RoleStatus, Seniority

JOBS_PER_PAGE = 20


def published_roles() -> QuerySet[Role]:
    """Roles a visitor may see: open and published on the job board."""
    return Role.objects.filter(status=RoleStatus.OPEN, published_on_job_board=True)


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "public/home.html", {"pillars": Pillar.objects.all()})


def job_list(request: HttpRequest) -> HttpResponse:
    pillars = list(Pillar.objects.all())
    pillar_slugs = {pillar.slug for pillar in pillars}
    # Unknown filter values are ignored rather than answered with an error: these are bookmarkable links.
    chosen = {
        "pillar": request.GET.get("pillar", "") if request.GET.get("pillar") in pillar_slugs else "",
        "seniority": request.GET.get("seniority", "") if request.GET.get("seniority") in Seniority.values else "",
        "remote": request.GET.get("remote", "") if request.GET.get("remote") in RemotePolicy.values else "",
    }
    roles = published_roles().select_related("pillar").order_by("-opened_on", "-created_at", "-id")
    if chosen["pillar"]:
        roles = roles.filter(pillar__slug=chosen["pillar"])
    if chosen["seniority"]:
        roles = roles.filter(seniority=chosen["seniority"])
    if chosen["remote"]:
        roles = roles.filter(remote_policy=chosen["remote"])
    page = Paginator(roles, JOBS_PER_PAGE).get_page(request.GET.get("page"))
    query = urlencode({key: value for key, value in chosen.items() if value})
    return render(
        request,
        "public/job_list.html",
        {
            "page": page,
            "pillars": pillars,
            "seniorities": Seniority.choices,
            "remote_policies": RemotePolicy.choices,
            "chosen": chosen,
            "query": query,
        },
    )


def job_detail_context(role: Role, form) -> dict:
    return {
        "role": role,
        "form": form,
        "required_skills": list(role.required_skills.all()),
        "nice_to_have_skills": list(role.nice_to_have_skills.all()),
    }


def job_detail(request: HttpRequest, slug: str) -> HttpResponse:
    role = get_object_or_404(published_roles().select_related("pillar"), slug=slug)
    return render(request, "public/job_detail.html", job_detail_context(role, ApplyForm()))
