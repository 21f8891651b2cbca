"""Feeds of open published roles for job boards: RSS 2.0 (/jobs/feed.xml), Atom (/jobs/feed.atom) and JSON Feed
1.1 (/jobs/feed.json). They take the job board's filters (pillar, seniority, remote, location) as query parameters."""

import datetime

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils import feedgenerator, timezone

from . import selectors
from .models import Pillar, Role

FEED_MAX_ITEMS = 500
FEED_TITLE = "Sonitec: open AI roles"
FEED_DESCRIPTION = "Open roles across the six pillars of the AI lifecycle, recruited by Sonitec."


def feed_roles(request: HttpRequest) -> list[Role]:
    slugs = set(Pillar.objects.values_list("slug", flat=True))
    filters = selectors.job_board_filters(request.GET, pillar_slugs=slugs)
    return list(selectors.job_board_roles(filters=filters)[:FEED_MAX_ITEMS])


def pay_text(role: Role) -> str:
    for low, high, unit in (
        (role.salary_min, role.salary_max, "a year"),
        (role.day_rate_min, role.day_rate_max, "a day"),
    ):
        if low or high:
            figures = "–".join(f"{value:,.0f}" for value in (low, high) if value)
            return f"{role.currency} {figures} {unit}"
    return ""


def summary(role: Role) -> str:
    parts = [
        role.pillar.name,
        role.get_seniority_display(),
        role.get_employment_type_display(),
        role.get_remote_policy_display(),
    ]
    if role.location:
        parts.append(role.location)
    pay = pay_text(role)
    if pay:
        parts.append(pay)
    return " · ".join(parts)


def published_at(role: Role) -> datetime.datetime:
    if role.opened_on:
        return timezone.make_aware(datetime.datetime.combine(role.opened_on, datetime.time(9)))
    return role.created_at


class JobsRssFeed(Feed):
    title = FEED_TITLE
    description = FEED_DESCRIPTION
    feed_type: type[feedgenerator.SyndicationFeed] = feedgenerator.Rss201rev2Feed

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return None

    def link(self):
        return reverse("public:job_list")

    def items(self):
        return feed_roles(self.request)

    def item_title(self, item: Role) -> str:
        return item.title

    def item_description(self, item: Role) -> str:
        return f"{summary(item)}\n\n{item.description}".strip()

    def item_link(self, item: Role) -> str:
        return reverse("public:job_detail", args=[item.slug])

    def item_pubdate(self, item: Role) -> datetime.datetime:
        return published_at(item)

    def item_updateddate(self, item: Role) -> datetime.datetime:
        return item.updated_at

    def item_categories(self, item: Role) -> list[str]:
        return [
            item.pillar.name,
            item.get_seniority_display(),
            item.get_employment_type_display(),
            item.get_remote_policy_display(),
        ]


class JobsAtomFeed(JobsRssFeed):
    feed_type = feedgenerator.Atom1Feed
    subtitle = FEED_DESCRIPTION


def jobs_json_feed(request: HttpRequest) -> JsonResponse:
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1); each item carries the role's facts in `_job`."""
    items = []
    for role in feed_roles(request):
        url = request.build_absolute_uri(reverse("public:job_detail", args=[role.slug]))
        items.append(
            {
                "id": url,
                "url": url,
                "title": role.title,
                "summary": summary(role),
                "content_text": role.description or role.pillar.summary,
                "date_published": published_at(role).isoformat(),
                "date_modified": role.updated_at.isoformat(),
                "tags": [role.pillar.name, role.get_seniority_display(), role.get_remote_policy_display()],
                "_job": {
                    "pillar": role.pillar.slug,
                    "seniority": role.seniority,
                    "employment_type": role.employment_type,
                    "remote_policy": role.remote_policy,
                    "location": role.location,
                    "currency": role.currency,
                    "salary_min": role.salary_min,
                    "salary_max": role.salary_max,
                    "day_rate_min": role.day_rate_min,
                    "day_rate_max": role.day_rate_max,
                },
            }
        )
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": FEED_TITLE,
        "description": FEED_DESCRIPTION,
        "home_page_url": request.build_absolute_uri(reverse("public:job_list")),
        "feed_url": request.build_absolute_uri(request.get_full_path()),
        "language": "en-GB",
        "items": items,
    }
    return JsonResponse(feed, content_type="application/feed+json", json_dumps_params={"ensure_ascii": False})
