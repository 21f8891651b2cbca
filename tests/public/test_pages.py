"""The home page and the job board: what a visitor sees, filters, and flat query counts."""

import pytest
from django.urls import reverse

from roles.models import Pillar, RemotePolicy, RoleStatus, Seniority
from tests.factories import RoleFactory, SkillFactory
from tests.factories import seeded_pillar as pillar


@pytest.mark.django_db
def test_the_home_page_shows_the_pitch_every_pillar_and_the_calls_to_action(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        page = client.get(reverse("public:home")).content.decode()
    assert "don't staff the full lifecycle" in page
    for p in Pillar.objects.all():
        assert p.name in page
        assert p.owns.split(",")[0] in page
    assert "Spark, Kafka, Airflow" in page
    for name in ("intake", "contact", "job_list"):
        assert f'href="{reverse(f"public:{name}")}"' in page


@pytest.mark.django_db
def test_the_job_board_lists_only_open_published_roles_and_filters_them(client):
    shown = RoleFactory(
        title="Edge ML Engineer",
        pillar=pillar("embedded-ai-engineer"),
        seniority=Seniority.LEAD,
        remote_policy=RemotePolicy.REMOTE,
        published_on_job_board=True,
    )
    RoleFactory(
        title="Data Platform Engineer",
        pillar=pillar("data-engineer"),
        published_on_job_board=True,
        remote_policy=RemotePolicy.ONSITE,
    )
    RoleFactory(title="Secret Draft Role", status=RoleStatus.DRAFT, published_on_job_board=True)
    RoleFactory(title="Unpublished Role", published_on_job_board=False)
    url = reverse("public:job_list")

    page = client.get(url).content.decode()
    assert "Edge ML Engineer" in page and "Data Platform Engineer" in page
    assert "Secret Draft Role" not in page and "Unpublished Role" not in page

    for params in ({"pillar": "embedded-ai-engineer"}, {"seniority": "lead"}, {"remote": "remote"}):
        page = client.get(url, params).content.decode()
        assert "Edge ML Engineer" in page and "Data Platform Engineer" not in page, params
    # Unknown filter values are ignored, not an error.
    assert client.get(url, {"pillar": "<script>", "page": "x"}).status_code == 200

    detail = client.get(reverse("public:job_detail", args=[shown.slug])).content.decode()
    assert "Apply for this role" in detail
    assert "internal" not in detail.lower()


@pytest.mark.django_db
def test_the_role_page_never_shows_the_client_fees_or_internal_notes(client):
    role = RoleFactory(
        published_on_job_board=True,
        internal_notes="Client pays 25% — confidential",
        description="Build our perception stack.",
    )
    role.required_skills.add(SkillFactory(name="ONNX Runtime"))
    page = client.get(reverse("public:job_detail", args=[role.slug])).content.decode()
    assert "Build our perception stack." in page and "ONNX Runtime" in page
    assert "confidential" not in page
    assert role.client.name not in page


@pytest.mark.django_db
def test_the_job_board_query_count_does_not_grow_with_the_roles(client, django_assert_max_num_queries):
    url = reverse("public:job_list")
    RoleFactory.create_batch(5, published_on_job_board=True)
    with django_assert_max_num_queries(10) as small:
        client.get(url)
    RoleFactory.create_batch(45, published_on_job_board=True)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.context["page"].paginator.count == 50
    # pillars for the filter, the count, the page of roles (with their pillar)
    assert len(small.captured_queries) == 3


@pytest.mark.django_db
def test_static_files_are_served_without_any_external_resource(client):
    page = client.get(reverse("public:home")).content.decode()
    assert "/static/public/site.css" in page
    assert "https://" not in page.split("<body")[0]  # no CDN in the head
