"""Job adverts job boards can read: JobPosting structured data, 410 for closed roles, RSS/Atom/JSON feeds, and
the board's location filter."""

import datetime
import json
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.urls import reverse

from roles.models import EmploymentType, RemotePolicy, RoleStatus, Seniority
from tests.factories import RoleFactory, SkillFactory
from tests.factories import seeded_pillar as pillar

pytestmark = pytest.mark.django_db

# Google's JobPosting: required properties, and the recommended ones this site always gives.
REQUIRED = {"title", "description", "datePosted", "hiringOrganization"}
RECOMMENDED = {"validThrough", "employmentType", "identifier", "directApply"}
EMPLOYMENT_TYPES = {"FULL_TIME", "PART_TIME", "CONTRACTOR", "TEMPORARY", "INTERN", "VOLUNTEER", "PER_DIEM", "OTHER"}


def structured_data(page: str) -> dict:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert len(blocks) == 1, "one JSON-LD block per job page"
    return json.loads(blocks[0])


def validate_job_posting(data: dict) -> None:
    """The checks of Google's structured data guidelines for JobPosting, as far as a page alone can be checked."""
    assert data["@context"].rstrip("/") == "https://schema.org" and data["@type"] == "JobPosting"
    missing = (REQUIRED | RECOMMENDED) - data.keys()
    assert not missing, missing
    assert data["title"].strip() and data["description"].strip()
    datetime.date.fromisoformat(data["datePosted"])
    assert datetime.datetime.fromisoformat(data["validThrough"]).date() >= datetime.date.today()
    assert set(data["employmentType"]) <= EMPLOYMENT_TYPES
    org = data["hiringOrganization"]
    assert org["@type"] == "Organization" and org["name"] == "Sonitec" and org["sameAs"].startswith("http")
    if data.get("jobLocationType") == "TELECOMMUTE":
        requirement = data["applicantLocationRequirements"]
        assert requirement["@type"] in ("Country", "State") and requirement["name"]
    else:
        place = data["jobLocation"]
        assert place["@type"] == "Place" and place["address"]["@type"] == "PostalAddress"
        assert place["address"]["addressCountry"]
    if "baseSalary" in data:
        salary = data["baseSalary"]
        assert salary["@type"] == "MonetaryAmount" and re.fullmatch(r"[A-Z]{3}", salary["currency"])
        value = salary["value"]
        assert value["@type"] == "QuantitativeValue" and value["unitText"] in ("HOUR", "DAY", "WEEK", "MONTH", "YEAR")
        assert "value" in value or ("minValue" in value and "maxValue" in value)


def test_a_job_page_carries_valid_job_posting_data(client):
    skill = SkillFactory(name="Kubeflow Pipelines", slug="kubeflow-pipelines")
    role = RoleFactory(
        title="Senior MLOps Engineer",
        pillar=pillar("mlops-engineer"),
        description="Own training infrastructure for 40 models.\n\nDrift <alerts> & more.",
        location="Cambridge",
        remote_policy=RemotePolicy.HYBRID,
        salary_min=Decimal("90000"),
        salary_max=Decimal("120000"),
        published_on_job_board=True,
        opened_on=datetime.date(2026, 11, 1),
        target_date=datetime.date.today() + datetime.timedelta(days=45),
    )
    role.required_skills.add(skill)
    page = client.get(reverse("public:job_detail", args=[role.slug])).content.decode()
    data = structured_data(page)
    validate_job_posting(data)
    assert data["title"] == "Senior MLOps Engineer"
    assert "<p>Own training infrastructure for 40 models.</p>" in data["description"]
    assert "&lt;alerts&gt;" in data["description"] and "Kubeflow Pipelines" in data["description"]
    assert data["datePosted"] == "2026-11-01"
    assert data["validThrough"].startswith(role.target_date.isoformat())
    assert data["employmentType"] == ["FULL_TIME"]
    assert data["jobLocation"]["address"] == {
        "@type": "PostalAddress",
        "addressCountry": "GB",
        "addressLocality": "Cambridge",
    }
    assert data["baseSalary"] == {
        "@type": "MonetaryAmount",
        "currency": "GBP",
        "value": {"@type": "QuantitativeValue", "unitText": "YEAR", "minValue": 90000.0, "maxValue": 120000.0},
    }
    assert data["url"].endswith(reverse("public:job_detail", args=[role.slug]))
    assert role.client.name not in json.dumps(data)  # clients are not named on the public board
    assert "</script>" not in json.dumps(data)


def test_a_remote_contract_role_names_where_applicants_may_live_and_its_day_rate(client, settings):
    settings.JOB_BOARD_COUNTRY = "IE"
    role = RoleFactory(
        remote_policy=RemotePolicy.REMOTE,
        employment_type=EmploymentType.CONTRACT,
        salary_min=None,
        salary_max=None,
        day_rate_min=Decimal("650"),
        day_rate_max=Decimal("650"),
        published_on_job_board=True,
        description="",
    )
    data = structured_data(client.get(reverse("public:job_detail", args=[role.slug])).content.decode())
    validate_job_posting(data)
    assert data["jobLocationType"] == "TELECOMMUTE" and "jobLocation" not in data
    assert data["applicantLocationRequirements"] == {"@type": "Country", "name": "IE"}
    assert data["employmentType"] == ["CONTRACTOR"]
    assert data["baseSalary"]["value"] == {"@type": "QuantitativeValue", "unitText": "DAY", "value": 650.0}
    assert data["description"] == f"<p>{role.pillar.summary}</p>".replace("'", "&#x27;")


@pytest.mark.parametrize("status", [RoleStatus.FILLED, RoleStatus.CANCELLED])
def test_a_filled_or_closed_role_answers_410_with_similar_open_roles(client, status):
    closed = RoleFactory(
        title="Lead Data Engineer",
        pillar=pillar("data-engineer"),
        seniority=Seniority.LEAD,
        status=status,
        published_on_job_board=True,
    )
    same_pillar = RoleFactory(
        title="Data Platform Engineer", pillar=pillar("data-engineer"), published_on_job_board=True
    )
    other = RoleFactory(title="Edge ML Engineer", pillar=pillar("embedded-ai-engineer"), published_on_job_board=True)
    RoleFactory(title="Hidden Data Role", pillar=pillar("data-engineer"), published_on_job_board=False)
    response = client.get(reverse("public:job_detail", args=[closed.slug]))
    assert response.status_code == 410
    page = response.content.decode()
    assert "no longer open" in page
    assert page.index(same_pillar.title) < page.index(other.title)
    assert "Hidden Data Role" not in page
    assert "application/ld+json" not in page


@pytest.mark.parametrize(
    "kwargs",
    [
        {"status": RoleStatus.DRAFT},
        {"status": RoleStatus.ON_HOLD},
        {"status": RoleStatus.FILLED, "published_on_job_board": False},
    ],
)
def test_roles_never_on_the_board_stay_404(client, kwargs):
    role = RoleFactory(**{"published_on_job_board": True, **kwargs})
    assert client.get(reverse("public:job_detail", args=[role.slug])).status_code == 404
    assert client.get(reverse("public:job_detail", args=["no-such-role-abc123"])).status_code == 404


@pytest.fixture
def board():
    return {
        "open": RoleFactory(title="Senior ML Engineer", location="London", published_on_job_board=True),
        "remote": RoleFactory(
            title="Remote MLOps Engineer",
            pillar=pillar("mlops-engineer"),
            remote_policy=RemotePolicy.REMOTE,
            published_on_job_board=True,
        ),
        "filled": RoleFactory(title="Filled Role", status=RoleStatus.FILLED, published_on_job_board=True),
        "unpublished": RoleFactory(title="Unpublished Role", published_on_job_board=False),
    }


def test_the_rss_feed_lists_open_published_roles(client, board):
    response = client.get("/jobs/feed.xml")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    items = {item.findtext("title"): item for item in channel.findall("item")}
    assert set(items) == {"Senior ML Engineer", "Remote MLOps Engineer"}
    item = items["Senior ML Engineer"]
    assert item.findtext("link").endswith(reverse("public:job_detail", args=[board["open"].slug]))
    assert "ML Engineer" in [c.text for c in item.findall("category")]
    assert "GBP 80,000–110,000 a year" in item.findtext("description")
    assert item.findtext("pubDate")


def test_the_atom_feed_lists_the_same_roles(client, board):
    response = client.get("/jobs/feed.atom")
    assert response.status_code == 200
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = {e.findtext("a:title", namespaces=ns) for e in ET.fromstring(response.content).findall("a:entry", ns)}
    assert titles == {"Senior ML Engineer", "Remote MLOps Engineer"}


def test_the_json_feed_lists_open_roles_with_their_facts(client, board):
    response = client.get("/jobs/feed.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/feed+json"
    feed = response.json()
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    items = {item["title"]: item for item in feed["items"]}
    assert set(items) == {"Senior ML Engineer", "Remote MLOps Engineer"}
    job = items["Remote MLOps Engineer"]["_job"]
    assert job["pillar"] == "mlops-engineer" and job["remote_policy"] == "remote" and job["salary_min"] == "80000.00"
    assert items["Senior ML Engineer"]["url"] == items["Senior ML Engineer"]["id"]


def test_feeds_take_the_board_filters(client, board):
    feed = client.get("/jobs/feed.json", {"pillar": "mlops-engineer"}).json()
    assert [item["title"] for item in feed["items"]] == ["Remote MLOps Engineer"]


def test_the_feeds_take_the_same_queries_for_few_and_many_roles(client, django_assert_num_queries):
    RoleFactory(published_on_job_board=True)
    # pillar slugs (for the filters); the roles with their pillars
    with django_assert_num_queries(2):
        client.get("/jobs/feed.json")
    for _ in range(10):
        RoleFactory(published_on_job_board=True)
    with django_assert_num_queries(2):
        client.get("/jobs/feed.json")
    with django_assert_num_queries(2):
        client.get("/jobs/feed.xml")


def test_the_board_filters_by_location_keeping_remote_roles(client, board):
    RoleFactory(title="Munich Role", location="Munich", published_on_job_board=True, remote_policy=RemotePolicy.ONSITE)
    page = client.get(reverse("public:job_list"), {"location": "london"}).content.decode()
    assert "Senior ML Engineer" in page and "Remote MLOps Engineer" in page and "Munich Role" not in page
    assert 'value="london"' in page
