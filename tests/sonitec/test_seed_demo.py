import io

import pytest
from django.core.management import call_command

from candidates.models import Candidate, CandidateSkill
from clients.models import Client, Contact
from leads.models import Enquiry, Intake
from messaging.models import FollowUp, Message
from pipelines.models import Activity, Placement, Stage, StageChange, Submission
from roles.models import Pillar, Role
from sonitec.models import User

pytestmark = pytest.mark.django_db


def seed(**options) -> None:
    call_command("seed_demo", stdout=io.StringIO(), stderr=io.StringIO(), **options)


def test_seed_demo_builds_a_realistic_agency():
    seed(clients=6, roles=12, candidates=120, submissions=150, seed=7)
    assert Role.objects.values("pillar").distinct().count() == Pillar.objects.count() == 6
    assert Candidate.objects.count() == 120
    assert set(Submission.objects.values_list("stage", flat=True)) == set(Stage.values)
    assert Placement.objects.exists()
    # Partners see open roles straight away; drafts are never shared.
    assert Role.objects.filter(status="open", partner_visibility="all").exists()
    assert not Role.objects.filter(status="draft", partner_visibility="all").exists()
    # Every submission's history ends at its current stage.
    for submission in Submission.objects.prefetch_related("stage_changes")[:50]:
        assert list(submission.stage_changes.all())[-1].to_stage == submission.stage
    # Candidates' skills come from their own pillar.
    skill = CandidateSkill.objects.select_related("candidate", "skill").first()
    assert skill.skill.pillars.filter(pk=skill.candidate.primary_pillar_id).exists()


def _snapshot():
    return (
        list(Candidate.objects.order_by("pk").values_list("name", "primary_pillar__slug", "seniority")),
        list(Role.objects.order_by("pk").values_list("title", "client__name", "status")),
        list(Submission.objects.order_by("pk").values_list("stage", flat=True)),
    )


def test_seed_demo_is_deterministic_for_a_seed():
    seed(clients=3, roles=6, candidates=40, seed=11)
    first = _snapshot()
    for model in (
        Message,
        FollowUp,
        Activity,
        Enquiry,
        Intake,
        Placement,
        StageChange,
        Submission,
        Candidate,
        Role,
        Contact,
        Client,
    ):
        model.objects.all().delete()
    seed(clients=3, roles=6, candidates=40, seed=11)
    assert _snapshot() == first


def test_demo_setup_creates_a_superuser_once_and_prints_the_login(monkeypatch):
    monkeypatch.setenv("DEMO_ADMIN_PASSWORD", "a demo password 123")
    out = io.StringIO()
    call_command("demo_setup", stdout=out, stderr=io.StringIO())
    assert "username: admin" in out.getvalue()
    assert "a demo password 123" in out.getvalue()
    monkeypatch.delenv("DEMO_ADMIN_PASSWORD")
    again = io.StringIO()
    call_command("demo_setup", stdout=again, stderr=io.StringIO())
    assert User.objects.filter(is_superuser=True).count() == 1
    assert User.objects.get(username="admin").check_password("a demo password 123")
    assert "unchanged" in again.getvalue()
