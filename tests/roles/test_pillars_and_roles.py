from decimal import Decimal

import pytest
from django.db import IntegrityError

from roles.models import Pillar, Skill
from tests.factories import RoleFactory

pytestmark = pytest.mark.django_db


def test_the_six_pillars_are_seeded_in_order_with_their_tools():
    pillars = list(Pillar.objects.all())
    assert [p.name for p in pillars] == [
        "Data Engineer",
        "ML Engineer",
        "MLOps Engineer",
        "Embedded AI Engineer",
        "AI Security Engineer",
        "AI/ML Leader",
    ]
    data = pillars[0]
    assert "Airflow" in data.typical_tools
    assert "60%" in data.failure_prevented
    assert "defence" in Pillar.objects.get(slug="embedded-ai-engineer").industries.lower()


@pytest.mark.parametrize(
    "tool",
    [
        "Spark",
        "Kafka",
        "Airflow",
        "Snowflake",
        "dbt",
        "Databricks",
        "PyTorch",
        "TensorFlow",
        "Kubeflow",
        "SageMaker",
        "Vertex AI",
        "Kubernetes",
        "TinyML",
        "ONNX",
        "TensorRT",
        "OWASP for ML",
        "NIST AI RMF",
        "MITRE ATLAS",
    ],
)
def test_every_tool_the_seed_names_is_a_skill(tool):
    assert Skill.objects.filter(name=tool).exists()


def test_a_skill_shared_by_pillars_is_one_skill_linked_to_both():
    databricks = Skill.objects.get(name="Databricks")
    assert set(databricks.pillars.values_list("slug", flat=True)) == {"data-engineer", "mlops-engineer"}


def test_skill_names_are_unique_whatever_the_case():
    with pytest.raises(IntegrityError):
        Skill.objects.create(name="pytorch", slug="pytorch-2")


@pytest.mark.parametrize(
    "fields",
    [
        {"salary_min": Decimal("90000"), "salary_max": Decimal("80000")},
        {"day_rate_min": Decimal("900"), "day_rate_max": Decimal("500")},
        {"fee_percent": Decimal("101")},
        {"fee_percent": Decimal("-1")},
        {"flat_fee": Decimal("-5")},
        {"headcount": 0},
    ],
)
def test_the_database_refuses_inconsistent_roles(fields):
    with pytest.raises(IntegrityError):
        RoleFactory(**fields)


def test_role_slugs_are_unique_even_for_the_same_title():
    first, second = RoleFactory(title="ML Engineer"), RoleFactory(title="ML Engineer")
    assert first.slug != second.slug
    assert first.slug.startswith("ml-engineer-")
