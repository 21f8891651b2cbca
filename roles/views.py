"""Public pages about pillars and roles: the home page, the job board and its feeds."""

import json
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from candidates.forms import ApplyForm

from . import selectors
from .models import Pillar, RemotePolicy, Role, Seniority

JOBS_PER_PAGE = 20
# JSON inside a <script> element must not be able to close it.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def published_roles() -> QuerySet[Role]:
    """Roles a visitor may see: open and published on the job board."""
    return selectors.published_roles()


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "public/home.html", {"pillars": Pillar.objects.all()})


def job_list(request: HttpRequest) -> HttpResponse:
    pillars = list(Pillar.objects.all())
    chosen = selectors.job_board_filters(request.GET, pillar_slugs={pillar.slug for pillar in pillars})
    roles = selectors.job_board_roles(filters=chosen)
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


def ld_json(data: dict) -> SafeString:
    """JSON for a <script type="application/ld+json"> element, escaped so it cannot end the element early."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return mark_safe(text)  # nosec


def job_detail_context(role: Role, form, request: HttpRequest | None = None) -> dict:
    required_skills = list(role.required_skills.all())
    context = {
        "role": role,
        "form": form,
        "required_skills": required_skills,
        "nice_to_have_skills": list(role.nice_to_have_skills.all()),
    }
    if request is not None:
        context["job_posting"] = ld_json(
            selectors.job_posting(
                role=role,
                url=request.build_absolute_uri(reverse("public:job_detail", args=[role.slug])),
                home_url=request.build_absolute_uri(reverse("public:home")),
                required_skills=[skill.name for skill in required_skills],
            )
        )
    return context


def job_detail(request: HttpRequest, slug: str) -> HttpResponse:
    role = published_roles().select_related("pillar").filter(slug=slug).first()
    if role is not None:
        return render(request, "public/job_detail.html", job_detail_context(role, ApplyForm(), request))
    gone = selectors.gone_role(slug=slug)
    if gone is None:
        raise Http404("No such open role.")
    # Filled or cancelled: 410 tells job boards and search engines to drop the page; people get similar roles.
    similar = selectors.similar_open_roles(role=gone)
    return render(request, "public/job_gone.html", {"role": gone, "similar": similar}, status=410)
