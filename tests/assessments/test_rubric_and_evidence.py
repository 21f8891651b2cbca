"""The rubric seeded per pillar, and evidence of skills."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments import selectors, services
from assessments.models import Competency
from roles.models import Pillar, Skill
from tests import factories

pytestmark = pytest.mark.django_db


def test_every_pillar_has_a_rubric_of_four_to_eight_competencies_with_four_levels():
    pillars = list(Pillar.objects.all())
    assert len(pillars) == 6
    for pillar in pillars:
        competencies = list(Competency.objects.filter(pillar=pillar))
        assert 4 <= len(competencies) <= 8, pillar
        for competency in competencies:
            assert all(competency.level_text(level).strip() for level in (1, 2, 3, 4)), competency


def test_the_rubric_comes_from_what_each_pillar_owns():
    names = {
        slug: set(Competency.objects.filter(pillar__slug=slug).values_list("name", flat=True))
        for slug in ("data-engineer", "mlops-engineer", "ai-security-engineer")
    }
    assert {"Pipeline design", "Data quality and lineage", "Governance and access", "Scale and cost"} <= names[
        "data-engineer"
    ]
    assert {"CI/CD for models", "Monitoring and drift detection", "Training infrastructure"} <= names["mlops-engineer"]
    assert {"Threat modelling for ML", "Adversarial testing", "Governance frameworks"} <= names["ai-security-engineer"]
    frameworks = Competency.objects.get(pillar__slug="ai-security-engineer", slug="governance-frameworks")
    assert "NIST AI RMF" in frameworks.description and "MITRE ATLAS" in frameworks.description


def test_the_rubric_seed_is_idempotent():
    import importlib

    from django.apps import apps

    seed = importlib.import_module("assessments.migrations.0002_seed_pillar_rubrics").seed
    before = Competency.objects.count()
    seed(apps, None)
    assert Competency.objects.count() == before


def test_evidence_needs_a_skill_or_competency_and_a_real_link():
    candidate = factories.CandidateFactory()
    with pytest.raises(ValidationError, match="skill or competency"):
        services.evidence_add(candidate=candidate, url="https://github.com/lin/feature-store")
    with pytest.raises(ValidationError, match="https://"):
        services.evidence_add(candidate=candidate, url="javascript:alert(1)", skill=factories.SkillFactory())
    assert not candidate.evidence.exists()


def test_verified_evidence_marks_the_skill_verified(recruiter):
    candidate = factories.CandidateFactory()
    spark = Skill.objects.get(slug="spark")
    kafka = Skill.objects.get(slug="kafka")
    evidence = services.evidence_add(candidate=candidate, url="https://github.com/lin/streams", skill=spark)
    services.evidence_add(candidate=candidate, url="https://talks.example/kafka", skill=kafka, kind="talk")
    assert selectors.verified_skill_ids(candidate=candidate) == set()
    services.evidence_verify(evidence=evidence, by=recruiter)
    evidence.refresh_from_db()
    assert evidence.verified_by == recruiter and evidence.verified_at is not None
    assert selectors.verified_skill_ids(candidate=candidate) == {spark.pk}


def test_the_candidate_page_shows_verified_skills(admin_client, recruiter):
    candidate = factories.CandidateFactory()
    spark = Skill.objects.get(slug="spark")
    factories.CandidateSkillFactory(candidate=candidate, skill=spark)
    evidence = services.evidence_add(candidate=candidate, url="https://github.com/lin/streams", skill=spark)
    services.evidence_verify(evidence=evidence, by=recruiter)
    page = admin_client.get(f"/admin/candidates/candidate/{candidate.pk}/change/").content.decode()
    assert "https://github.com/lin/streams" in page
    assert "✓ verified" in page  # the skill row's evidence mark


def test_the_role_page_sends_matching_to_the_matches_page(admin_client):
    # One matching rule (matching.selectors): the role page links to it instead of ranking people its own way.
    role = factories.RoleFactory()
    page = admin_client.get(f"/admin/roles/role/{role.pk}/change/").content.decode()
    assert reverse("admin:matching_role_matches", args=[role.pk]) in page.split('id="matches"')[1]


def test_reseeding_after_a_flush_restores_the_rubrics_and_the_follow_up_rules():
    from messaging.models import FollowUpRule
    from tests.seeding import reseed_migration_data

    rubric_size = Competency.objects.count()
    Competency.objects.all().delete()
    reseed_migration_data()
    assert Competency.objects.count() == rubric_size
    assert FollowUpRule.objects.exists()
