"""Every list endpoint runs the same number of queries at page size 1 and 200."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from partners.webhooks import webhook_subscribe
from pipelines.models import StageChange
from roles.models import PartnerVisibility
from tests.factories import (
    ActivityFactory,
    CandidateFactory,
    ContactFactory,
    PlacementFactory,
    RoleFactory,
    SkillFactory,
    SubmissionFactory,
)

ROWS = 3  # more rows than the small page, so the large page holds several


@pytest.fixture
def data(acme, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    pillar_skills = SkillFactory.create_batch(ROWS)
    for index in range(ROWS):
        role = RoleFactory(partner_visibility=PartnerVisibility.ALL)
        role.required_skills.add(*pillar_skills[:2])
        role.nice_to_have_skills.add(pillar_skills[-1])
        submission = SubmissionFactory(role=role, source="partner", source_partner=acme.partner)
        StageChange.objects.create(submission=submission, from_stage="", to_stage="sourced")
        StageChange.objects.create(submission=submission, from_stage="sourced", to_stage="screened")
        webhook_subscribe(partner=acme.partner, url=f"http://127.0.0.1:9/{index}", events=["role.published"])
        ContactFactory()
        CandidateFactory()
        PlacementFactory()
        ActivityFactory()


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries), len(response.json()["results"])


PARTNER_LISTS = ["/api/v1/pillars/", "/api/v1/skills/", "/api/v1/roles/", "/api/v1/submissions/", "/api/v1/webhooks/"]
STAFF_LISTS = [
    "/api/v1/staff/clients/",
    "/api/v1/staff/contacts/",
    "/api/v1/staff/candidates/",
    "/api/v1/staff/roles/",
    "/api/v1/staff/submissions/",
    "/api/v1/staff/placements/",
    "/api/v1/staff/activities/",
]


@pytest.mark.parametrize("url", PARTNER_LISTS)
def test_partner_lists_query_count_does_not_grow_with_page_size(acme, data, url):
    # The key's first use also records last_used_at, and the next one caches its lookup: keep both out of the count.
    acme.client.get("/api/v1/pillars/")
    acme.client.get("/api/v1/pillars/")
    small, small_rows = count(acme.client, f"{url}?page_size=1")
    large, large_rows = count(acme.client, f"{url}?page_size=200")
    assert small_rows == 1 and large_rows >= ROWS
    assert small == large


@pytest.mark.parametrize("url", STAFF_LISTS)
def test_staff_lists_query_count_does_not_grow_with_page_size(recruiter, data, url):
    client = APIClient()
    client.force_login(recruiter)
    client.get(url)  # the first request caches what authentication reads
    small, small_rows = count(client, f"{url}?page_size=1")
    large, large_rows = count(client, f"{url}?page_size=200")
    assert small_rows == 1 and large_rows >= ROWS
    assert small == large


def test_cursor_pages_walk_every_row_once(acme, data):
    seen, url = [], "/api/v1/roles/?page_size=2"
    while url:
        page = acme.client.get(url).json()
        seen += [row["id"] for row in page["results"]]
        url = page["next"]
    assert len(seen) == len(set(seen)) == ROWS


def test_bad_page_size_is_a_field_error(acme):
    for value in ("0", "201", "x"):
        response = acme.client.get(f"/api/v1/roles/?page_size={value}")
        assert response.status_code == 400
        assert "page_size" in response.json()["error"]["fields"]
