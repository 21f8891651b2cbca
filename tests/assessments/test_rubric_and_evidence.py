"""The rubric seeded per pillar, and evidence of skills."""

import pytest
from django.core.exceptions import ValidationError

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


def test_verified_skills_weigh_more_in_matching(recruiter, django_assert_num_queries):
    spark, kafka, dbt = (Skill.objects.get(slug=slug) for slug in ("spark", "kafka", "dbt"))
    role = factories.RoleFactory(pillar=factories.seeded_pillar("data-engineer"))
    role.required_skills.add(spark, kafka)
    role.nice_to_have_skills.add(dbt)
    claims = factories.CandidateFactory(name="Claims Both")
    proves = factories.CandidateFactory(name="Proves One")
    nice_only = factories.CandidateFactory(name="Nice Only")
    in_pipeline = factories.CandidateFactory(name="Already In")
    for candidate, skill in ((claims, spark), (claims, kafka), (proves, spark), (nice_only, dbt), (in_pipeline, spark)):
        factories.CandidateSkillFactory(candidate=candidate, skill=skill)
    evidence = services.evidence_add(candidate=proves, url="https://github.com/proves/spark-jobs", skill=spark)
    factories.SubmissionFactory(candidate=in_pipeline, role=role)
    assert [(m.candidate.name, m.score) for m in selectors.role_candidate_matches(role=role)] == [
        ("Claims Both", 4),
        ("Proves One", 2),
        ("Nice Only", 1),
    ]
    services.evidence_verify(evidence=evidence, by=recruiter)
    # the role's required and nice-to-have skills; the ranking; the candidates
    with django_assert_num_queries(4):
        matches = selectors.role_candidate_matches(role=role)
    # One verified skill now scores as much as two claimed ones, and wins the tie.
    assert [(m.candidate.name, m.score, m.verified_skills) for m in matches] == [
        ("Proves One", 4, 1),
        ("Claims Both", 4, 0),
        ("Nice Only", 1, 0),
    ]


def test_reseeding_after_a_flush_restores_the_rubrics_and_the_follow_up_rules():
    from messaging.models import FollowUpRule
    from tests.seeding import reseed_migration_data

    rubric_size = Competency.objects.count()
    Competency.objects.all().delete()
    reseed_migration_data()
    assert Competency.objects.count() == rubric_size
    assert FollowUpRule.objects.exists()
