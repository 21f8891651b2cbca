"""Reads of the public job board: which roles it shows, their filters, similar roles, and the schema.org
JobPosting structured data job boards and search engines read from each job page."""

import datetime
from typing import Any

from django.conf import settings
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.html import escape, linebreaks

from .models import EmploymentType, Pillar, RemotePolicy, Role, RoleStatus, Seniority

LOCATION_FILTER_MAX = 80
# When a role has no target date, or it has passed while the role is still open, its advert stays valid this long.
DEFAULT_VALIDITY = datetime.timedelta(days=30)
GONE_STATUSES = (RoleStatus.FILLED, RoleStatus.CANCELLED)
# schema.org / Google employmentType values.
EMPLOYMENT_TYPES: dict[str, list[str]] = {
    EmploymentType.PERMANENT: ["FULL_TIME"],
    EmploymentType.CONTRACT: ["CONTRACTOR"],
    EmploymentType.INTERIM: ["CONTRACTOR", "TEMPORARY"],
}


def published_roles() -> QuerySet[Role]:
    """Roles a visitor may see: open and published on the job board."""
    return Role.objects.filter(status=RoleStatus.OPEN, published_on_job_board=True)


def job_board_filters(params, *, pillar_slugs: set[str]) -> dict[str, str]:
    """The filters of a job-board request. Unknown values are ignored rather than answered with an error:
    these are bookmarkable links."""
    location = " ".join((params.get("location") or "").split())[:LOCATION_FILTER_MAX]
    return {
        "pillar": params.get("pillar", "") if params.get("pillar") in pillar_slugs else "",
        "seniority": params.get("seniority", "") if params.get("seniority") in Seniority.values else "",
        "remote": params.get("remote", "") if params.get("remote") in RemotePolicy.values else "",
        "location": location,
    }


def job_board_roles(*, filters: dict[str, str] | None = None) -> QuerySet[Role]:
    """Open published roles, newest first, narrowed by pillar, seniority, working pattern and location."""
    roles = published_roles().select_related("pillar").order_by("-opened_on", "-created_at", "-id")
    filters = filters or {}
    if filters.get("pillar"):
        roles = roles.filter(pillar__slug=filters["pillar"])
    if filters.get("seniority"):
        roles = roles.filter(seniority=filters["seniority"])
    if filters.get("remote"):
        roles = roles.filter(remote_policy=filters["remote"])
    if filters.get("location"):
        # Remote roles are open wherever the visitor is.
        roles = roles.filter(Q(location__icontains=filters["location"]) | Q(remote_policy=RemotePolicy.REMOTE))
    return roles


def gone_role(*, slug: str) -> Role | None:
    """A role that was on the job board and is now filled or cancelled (its page answers 410 Gone)."""
    return (
        Role.objects.filter(slug=slug, status__in=GONE_STATUSES, published_on_job_board=True)
        .select_related("pillar")
        .first()
    )


def similar_open_roles(*, role: Role, limit: int = 5) -> list[Role]:
    """Open published roles like this one: same pillar first, then same seniority, newest first. One query."""
    return list(
        published_roles()
        .exclude(pk=role.pk)
        .select_related("pillar")
        .annotate(
            same_pillar=Case(
                When(pillar_id=role.pillar_id, then=Value(1)), default=Value(0), output_field=IntegerField()
            ),
            same_seniority=Case(
                When(seniority=role.seniority, then=Value(1)), default=Value(0), output_field=IntegerField()
            ),
        )
        .order_by("-same_pillar", "-same_seniority", "-opened_on", "-id")[:limit]
    )


def _date_posted(role: Role) -> datetime.date:
    return role.opened_on or timezone.localdate(role.created_at)


def _valid_through(role: Role, today: datetime.date) -> datetime.date:
    if role.target_date and role.target_date >= today:
        return role.target_date
    return today + DEFAULT_VALIDITY


def _description_html(role: Role, required_skills: list[str]) -> str:
    parts = [
        linebreaks(role.description, autoescape=True) if role.description else f"<p>{escape(role.pillar.summary)}</p>"
    ]
    if required_skills:
        parts.append(
            "<p>What you'll need:</p><ul>" + "".join(f"<li>{escape(s)}</li>" for s in required_skills) + "</ul>"
        )
    return "\n".join(parts)


def _country() -> str:
    return getattr(settings, "JOB_BOARD_COUNTRY", "GB")


def job_posting(
    *, role: Role, url: str, home_url: str, required_skills: list[str] | None = None, today: datetime.date | None = None
) -> dict[str, Any]:
    """The schema.org JobPosting of a role, with the properties Google requires (title, description, datePosted,
    hiringOrganization, jobLocation, or applicantLocationRequirements with jobLocationType TELECOMMUTE for remote
    roles) and the recommended ones we have (validThrough, employmentType, baseSalary, identifier).

    The hiring organisation is the agency: clients are not named on the public board.
    """
    today = today or timezone.localdate()
    posting: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": role.title,
        "description": _description_html(role, required_skills or []),
        "datePosted": _date_posted(role).isoformat(),
        "validThrough": f"{_valid_through(role, today).isoformat()}T23:59:59",
        "employmentType": EMPLOYMENT_TYPES.get(role.employment_type, ["OTHER"]),
        "hiringOrganization": {"@type": "Organization", "name": "Sonitec", "sameAs": home_url},
        "identifier": {"@type": "PropertyValue", "name": "Sonitec", "value": role.slug},
        "directApply": True,
        "url": url,
        "industry": "Artificial intelligence",
        "occupationalCategory": role.pillar.name,
    }
    if required_skills:
        posting["skills"] = ", ".join(required_skills)
    if role.remote_policy == RemotePolicy.REMOTE:
        posting["jobLocationType"] = "TELECOMMUTE"
        posting["applicantLocationRequirements"] = {"@type": "Country", "name": _country()}
    else:
        address: dict[str, str] = {"@type": "PostalAddress", "addressCountry": _country()}
        if role.location:
            address["addressLocality"] = role.location
        posting["jobLocation"] = {"@type": "Place", "address": address}
    salary = _base_salary(role)
    if salary:
        posting["baseSalary"] = salary
    return posting


def _base_salary(role: Role) -> dict[str, Any] | None:
    for low, high, unit in (
        (role.salary_min, role.salary_max, "YEAR"),
        (role.day_rate_min, role.day_rate_max, "DAY"),
    ):
        if low or high:
            value: dict[str, Any] = {"@type": "QuantitativeValue", "unitText": unit}
            if low and high and low != high:
                value["minValue"], value["maxValue"] = float(low), float(high)
            else:
                value["value"] = float(low or high)  # type: ignore[arg-type]
            return {"@type": "MonetaryAmount", "currency": role.currency, "value": value}
    return None


def pillars() -> list[Pillar]:
    return list(Pillar.objects.all())
