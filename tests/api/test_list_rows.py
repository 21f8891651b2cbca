"""Lists built from rows answer exactly what the serializers write for the same records, field by field."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIClient
from rest_framework.utils import json

from candidates.api.serializers import StaffCandidateSerializer
from candidates.models import Candidate, CandidateStatus
from pipelines.api.serializers import PartnerSubmissionSerializer
from pipelines.models import StageChange, Submission
from roles.api.serializers import PartnerRoleSerializer
from roles.models import PartnerVisibility, Role
from sonitec.api.rows import rows_serialized
from tests.factories import (
    CandidateFactory,
    CandidateSkillFactory,
    ClientFactory,
    RoleFactory,
    SkillFactory,
    SubmissionFactory,
    UserFactory,
    seeded_pillar,
)


def as_json(data):
    return json.loads(JSONRenderer().render(data))


@pytest.fixture
def roles(db):
    skills = SkillFactory.create_batch(4)
    made = [
        RoleFactory(
            partner_visibility=PartnerVisibility.ALL,
            salary_min=Decimal("85000"),
            salary_max=Decimal("100000.50"),
            target_date=datetime.date(2027, 1, 31),
        ),
        RoleFactory(partner_visibility=PartnerVisibility.ALL, salary_min=None, salary_max=None, target_date=None),
        RoleFactory(partner_visibility=PartnerVisibility.ALL, day_rate_min=Decimal("650"), day_rate_max=Decimal("750")),
    ]
    made[0].required_skills.set(skills[:3])
    made[0].nice_to_have_skills.set(skills[3:])
    made[2].required_skills.set(skills[1:2])
    return made


def test_partner_role_list_matches_the_serializer(acme, roles):
    listed = acme.client.get("/api/v1/roles/?page_size=200").json()["results"]
    expected = Role.objects.filter(pk__in=[role.pk for role in roles]).order_by("-updated_at", "-id")
    assert listed == as_json(PartnerRoleSerializer(expected, many=True).data)
    assert listed[-1]["salary_min"] == "85000.00" and len(listed[-1]["required_skills"]) == 3


def test_partner_submission_list_matches_the_serializer(acme, roles):
    for role in roles:
        submission = SubmissionFactory(role=role, source="partner", source_partner=acme.partner)
        StageChange.objects.create(submission=submission, from_stage="", to_stage="sourced")
        StageChange.objects.create(submission=submission, from_stage="sourced", to_stage="screened", note="private")
    SubmissionFactory(role=roles[0])  # someone else's
    listed = acme.client.get("/api/v1/submissions/?page_size=200").json()["results"]
    expected = Submission.objects.filter(source_partner=acme.partner).order_by("-updated_at", "-id")
    assert listed == as_json(PartnerSubmissionSerializer(expected, many=True).data)
    assert [len(row["stage_history"]) for row in listed] == [2, 2, 2]
    assert "private" not in str(listed)


@pytest.fixture
def candidates(db, acme):
    owner = UserFactory(is_staff=True)
    full = CandidateFactory(
        name="Ada Lovelace",
        owner=owner,
        source_partner=acme.partner,
        desired_salary=Decimal("95000.5"),
        desired_day_rate=Decimal("700"),
        available_from=datetime.date(2027, 3, 1),
        notice_period_days=30,
        current_company="Analytical Engines",
        last_activity_at=timezone.now(),
    )
    full.other_pillars.set([seeded_pillar("mlops-engineer"), seeded_pillar("data-engineer")])
    full.off_limits_clients.set(ClientFactory.create_batch(2))
    for skill in SkillFactory.create_batch(3):
        CandidateSkillFactory(candidate=full, skill=skill)
    bare = CandidateFactory(name="Grace Hopper", primary_pillar=None, seniority="", current_title="")
    blocked = CandidateFactory(name="Alan Turing", status=CandidateStatus.DO_NOT_CONTACT)
    return [full, bare, blocked]


@pytest.fixture
def staff(candidates):
    client = APIClient()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def serialized(candidates, serializer_class=StaffCandidateSerializer):
    """What the serializer writes for these candidates, newest first (the sync list's order)."""
    ordered = Candidate.objects.filter(pk__in=[c.pk for c in candidates]).order_by("-id")
    return as_json(serializer_class(ordered, many=True).data)


def test_staff_candidate_list_matches_the_serializer(staff, candidates):
    listed = staff.get("/api/v1/staff/candidates/?page_size=100").json()["results"]
    assert listed == serialized(candidates)
    ada = next(row for row in listed if row["name"] == "Ada Lovelace")
    assert len(ada["skills"]) == 3 and len(ada["other_pillars"]) == 2 and len(ada["off_limits_clients"]) == 2
    assert ada["desired_salary"] == "95000.50" and ada["available_from"] == "2027-03-01"


def test_staff_candidate_filters_and_search_match_the_serializer(staff, candidates):
    full, bare, blocked = candidates
    filtered = staff.get(f"/api/v1/staff/candidates/?status={CandidateStatus.DO_NOT_CONTACT}").json()["results"]
    assert filtered == serialized([blocked])
    by_pillar = staff.get("/api/v1/staff/candidates/?pillar=mlops-engineer&page_size=100").json()["results"]
    assert by_pillar == serialized([full])  # a search parameter: do-not-contact people are left out
    found = staff.get("/api/v1/staff/candidates/?q=Analytical").json()["results"]
    assert [{k: v for k, v in row.items() if k not in ("search_rank", "highlight")} for row in found] == serialized(
        [full]
    )
    assert "<mark>" in found[0]["highlight"] and isinstance(found[0]["search_rank"], float)
    assert list(found[0])[:3] == ["id", "search_rank", "highlight"]  # the search serializer's field order


@pytest.mark.parametrize("search", ["", "&pillar=ml-engineer", "&q=mail"])
def test_staff_candidate_pages_query_count_does_not_grow_with_page_size(staff, candidates, search):
    CandidateFactory.create_batch(2)
    staff.get("/api/v1/staff/candidates/")  # the first request caches what authentication reads

    def count(size):
        with CaptureQueriesContext(connection) as queries:
            response = staff.get(f"/api/v1/staff/candidates/?page_size={size}{search}")
        assert response.status_code == 200, response.content
        return len(queries), len(response.json()["results"])

    (small, small_rows), (large, large_rows) = count(1), count(100)
    assert small_rows == 1 and large_rows > 1
    assert small == large


def test_an_unchanged_page_answers_304_not_modified(acme, roles):
    first = acme.client.get("/api/v1/roles/?page_size=200")
    etag = first["ETag"]
    again = acme.client.get("/api/v1/roles/?page_size=200", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    Role.objects.filter(pk=roles[0].pk).update(title="Renamed")
    changed = acme.client.get("/api/v1/roles/?page_size=200", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_the_schema_offers_multipart_only_where_a_file_is_uploaded(client, db):
    schema = client.get("/api/schema/?format=json").json()
    media = {
        (method.upper(), path): set(operation["requestBody"]["content"])
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if "requestBody" in operation
    }
    assert media.pop(("POST", "/api/v1/candidates/")) == {"application/json", "multipart/form-data"}
    assert media and all(types == {"application/json"} for types in media.values()), media


@pytest.mark.parametrize(
    "value", [Decimal("85000.00"), Decimal("0.00"), Decimal("-12.50"), Decimal("100000.5"), Decimal("1E+3"), 650]
)
def test_a_decimal_is_written_as_drf_writes_it_whatever_its_shape(value):
    row = {field: None for field in PartnerRoleSerializer().fields} | {"salary_min": value}
    (written,) = rows_serialized(PartnerRoleSerializer, [row], computed={"pillar": lambda row: None})
    assert written["salary_min"] == PartnerRoleSerializer().fields["salary_min"].to_representation(value)
