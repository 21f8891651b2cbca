import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from candidates.models import CandidateCvText, CandidateSkill, CandidateStatus, RightToWork
from roles.models import Clearance, RemotePolicy, Skill
from tests.factories import CandidateFactory, ClientFactory, RoleFactory, seeded_pillar


def skill(slug: str) -> Skill:
    return Skill.objects.get(slug=slug)


def give_skills(candidate, *slugs: str, level: str = "advanced", years: str = "4") -> None:
    for slug in slugs:
        CandidateSkill.objects.create(candidate=candidate, skill=skill(slug), level=level, years=Decimal(years))


@pytest.fixture
def people(db):
    """A small, known population: each person is findable by something the others lack."""
    now = timezone.now()
    lena = CandidateFactory(
        name="Lena Usman",
        email="lena.usman@mail.example",
        current_title="Embedded AI Engineer",
        current_company="Kestrel Robotics",
        location="Bristol",
        primary_pillar=seeded_pillar("embedded-ai-engineer"),
        seniority="senior",
        security_clearance=Clearance.SC,
        right_to_work=RightToWork.YES,
        remote_preference=RemotePolicy.HYBRID,
        desired_salary=Decimal("95000"),
        available_from=timezone.localdate() + datetime.timedelta(days=10),
        last_activity_at=now - datetime.timedelta(days=2),
    )
    give_skills(lena, "onnx", "tensorrt", "tinyml")
    CandidateCvText.objects.create(
        candidate=lena,
        cv_name="cvs/lena.pdf",
        text="Led edge inference on autonomous drones, quantising vision models for Jetson boards.",
    )
    omar = CandidateFactory(
        name="Omar Haddad",
        email="omar@haddad.example",
        current_title="ML Engineer",
        current_company="Nova Labs",
        location="London",
        primary_pillar=seeded_pillar("ml-engineer"),
        seniority="mid",
        desired_salary=Decimal("70000"),
        last_activity_at=now - datetime.timedelta(days=40),
    )
    give_skills(omar, "pytorch", "tensorflow", level="working", years="2")
    priya = CandidateFactory(
        name="Priya Raman",
        email="priya@raman.example",
        current_title="ML Platform Engineer",
        current_company="Helix Analytics",
        location="Manchester",
        primary_pillar=seeded_pillar("ml-engineer"),
        seniority="senior",
        desired_salary=Decimal("120000"),
        security_clearance=Clearance.BPSS,
        notes="Strong on PyTorch serving; prefers drones projects.",
        last_activity_at=now - datetime.timedelta(days=5),
    )
    give_skills(priya, "pytorch", "model-serving-frameworks", level="expert", years="6")
    blocked = CandidateFactory(
        name="Dora Blocked",
        current_title="Embedded AI Engineer",
        primary_pillar=seeded_pillar("embedded-ai-engineer"),
        status=CandidateStatus.DO_NOT_CONTACT,
    )
    give_skills(blocked, "onnx")
    gone = CandidateFactory(
        name="Anonymised person",
        email="",
        current_title="Embedded AI Engineer",
        anonymised_at=now,
    )
    give_skills(gone, "onnx")
    return {"lena": lena, "omar": omar, "priya": priya, "blocked": blocked, "gone": gone}


@pytest.fixture
def client_company(db):
    return ClientFactory(name="Kestrel Robotics")


@pytest.fixture
def role(db, client_company):
    return RoleFactory(
        client=client_company, title="Embedded AI Engineer", pillar=seeded_pillar("embedded-ai-engineer")
    )
