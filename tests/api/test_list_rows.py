"""Lists built from rows answer exactly what the serializers write for the same records, field by field."""

import datetime
from decimal import Decimal

import pytest
from rest_framework.renderers import JSONRenderer
from rest_framework.utils import json

from pipelines.api.serializers import PartnerSubmissionSerializer
from pipelines.models import StageChange, Submission
from roles.api.serializers import PartnerRoleSerializer
from roles.models import PartnerVisibility, Role
from tests.factories import RoleFactory, SkillFactory, SubmissionFactory


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
