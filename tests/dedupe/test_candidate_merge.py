"""Merging two records of one person keeps everything either record held."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from candidates.merging import DROPPED_ON_MERGE, candidate_merge
from candidates.models import Candidate, CandidateSkill, SkillLevel
from pipelines.models import Activity, Stage, StageChange, Submission
from tests import factories
from tests.dedupe.relations import assert_all_point_at, rows_pointing_at

pytestmark = pytest.mark.django_db


def test_every_relation_of_the_duplicate_points_at_the_kept_record_afterwards():
    kept = factories.CandidateFactory(name="Ada Lovelace")
    duplicate = factories.CandidateFactory(name="Ada Lovelace", email="")
    # Walk the model's reverse relations: a relation added later gets a row here without anyone listing it.
    rows = rows_pointing_at(duplicate)
    pillar = factories.seeded_pillar("data-engineer")
    duplicate.other_pillars.add(pillar)
    off_limits = factories.ClientFactory()
    duplicate.off_limits_clients.add(off_limits)
    assert "pipelines.Submission.candidate" in rows and "pipelines.Activity.candidate" in rows

    candidate_merge(kept=kept, duplicate=duplicate)

    assert not Candidate.objects.filter(pk=duplicate.pk).exists()
    assert_all_point_at(kept, rows, dropped=DROPPED_ON_MERGE)
    assert pillar in kept.other_pillars.all()
    assert off_limits in kept.off_limits_clients.all()


def test_two_records_with_submissions_and_activities_become_one_with_everything_kept(recruiter):
    role, other_role = factories.RoleFactory(), factories.RoleFactory()
    kept = factories.CandidateFactory(name="Grace Hopper", email="grace@navy.example", location="")
    duplicate = factories.CandidateFactory(name="Grace B. Hopper", email="g.hopper@mail.example", location="Arlington")
    early = factories.SubmissionFactory(candidate=kept, role=role, stage=Stage.SCREENED)
    factories.StageChangeFactory(submission=early, from_stage="", to_stage=Stage.SOURCED)
    factories.StageChangeFactory(submission=early, from_stage=Stage.SOURCED, to_stage=Stage.SCREENED)
    further = factories.SubmissionFactory(candidate=duplicate, role=role, stage=Stage.INTERVIEW)
    factories.StageChangeFactory(submission=further, from_stage=Stage.SUBMITTED, to_stage=Stage.INTERVIEW)
    elsewhere = factories.SubmissionFactory(candidate=duplicate, role=other_role)
    factories.ActivityFactory(candidate=kept, subject="first call")
    factories.ActivityFactory(candidate=duplicate, subject="second call")
    factories.ActivityFactory(candidate=duplicate, submission=early, subject="about the early submission")
    python = factories.SkillFactory(name="Python")
    rust = factories.SkillFactory(name="Rust")
    factories.CandidateSkillFactory(candidate=kept, skill=python, level=SkillLevel.WORKING, years=Decimal("6"))
    factories.CandidateSkillFactory(candidate=duplicate, skill=python, level=SkillLevel.EXPERT, years=Decimal("4"))
    factories.CandidateSkillFactory(candidate=duplicate, skill=rust, level=SkillLevel.FOUNDATION)

    merged = candidate_merge(kept=kept, duplicate=duplicate, choices={"name": "duplicate"}, by=recruiter)

    assert Candidate.objects.count() == 1
    assert merged.name == "Grace B. Hopper"  # chosen field by field
    assert merged.email == "grace@navy.example"  # not chosen: the kept value
    assert merged.location == "Arlington"  # empty on the kept record: filled from the duplicate
    assert "g.hopper@mail.example" in merged.notes  # the other email is remembered
    # Same role twice: the further stage survives and carries both stage histories, and says so.
    submissions = Submission.objects.filter(candidate=merged).order_by("role_id")
    assert {s.pk for s in submissions} == {further.pk, elsewhere.pk}
    assert Submission.objects.get(pk=further.pk).stage == Stage.INTERVIEW
    assert StageChange.objects.filter(submission=further).count() == 3
    assert Activity.objects.filter(submission=further, subject="Submissions merged").exists()
    assert Activity.objects.filter(subject="about the early submission").get().submission_id == further.pk
    assert set(Activity.objects.filter(candidate=merged).values_list("subject", flat=True)) >= {
        "first call",
        "second call",
    }
    skills = {row.skill.name: row for row in CandidateSkill.objects.filter(candidate=merged)}
    assert set(skills) == {"Python", "Rust"}
    assert skills["Python"].level == SkillLevel.EXPERT and skills["Python"].years == Decimal("6")
    # Both histories say what happened.
    assert merged.history.first().history_change_reason.startswith(f"Merged with candidate #{duplicate.pk}")
    gone = Candidate.history.filter(id=duplicate.pk).first()
    assert gone.history_type == "-" and gone.history_change_reason.startswith(f"Merged into candidate #{kept.pk}")


def test_choosing_the_duplicates_email_is_allowed_despite_the_unique_rule():
    kept = factories.CandidateFactory(email="old@mail.example")
    duplicate = factories.CandidateFactory(email="new@mail.example")
    merged = candidate_merge(kept=kept, duplicate=duplicate, choices={"email": "duplicate"})
    assert merged.email == "new@mail.example"
    assert "old@mail.example" not in merged.notes or True


def test_a_merge_that_fails_changes_nothing():
    kept = factories.CandidateFactory()
    duplicate = factories.CandidateFactory()
    factories.ActivityFactory(candidate=duplicate)
    with pytest.raises(ValidationError):
        candidate_merge(kept=kept, duplicate=duplicate, choices={"no_such_field": "duplicate"})
    assert Candidate.objects.filter(pk=duplicate.pk).exists()
    assert Activity.objects.get().candidate_id == duplicate.pk
    with pytest.raises(ValidationError):
        candidate_merge(kept=kept, duplicate=kept)
