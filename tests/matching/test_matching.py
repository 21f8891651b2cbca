"""A role's matches: the good fit on top with reasons and gaps, exclusions, the ranking log, adding to the pipeline."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from candidates.models import Candidate
from matching.models import MatchAddition, MatchRankingLog
from matching.selectors import WEIGHTS, role_matches
from matching.services import match_add_to_pipeline
from pipelines.models import Stage, Submission
from roles.models import Clearance
from tests.factories import CandidateFactory, SubmissionFactory, UserFactory, seeded_pillar
from tests.search.conftest import give_skills, skill


@pytest.fixture
def embedded_role(role):
    role.required_skills.set([skill("onnx"), skill("tensorrt"), skill("tinyml")])
    role.nice_to_have_skills.set([skill("hardware-integration")])
    role.location = "Bristol"
    role.security_clearance = Clearance.SC
    role.salary_min, role.salary_max = Decimal("85000"), Decimal("100000")
    role.target_date = timezone.localdate() + datetime.timedelta(days=30)
    role.save()
    return role


@pytest.fixture
def crowd(people):
    """Embedded people who fit less well than Lena."""
    pillar = seeded_pillar("embedded-ai-engineer")
    weaker = []
    for number in range(6):
        person = CandidateFactory(
            name=f"Embedded Person {number}",
            primary_pillar=pillar,
            seniority="mid",
            desired_salary=Decimal("130000"),
            right_to_work="sponsorship",
        )
        give_skills(person, "onnx", level="working", years="1")
        weaker.append(person)
    return weaker


def test_weights_sum_to_100():
    assert sum(WEIGHTS.values()) == 100


def test_the_good_fit_is_first_with_reasons_and_gaps(embedded_role, crowd, people):
    matches = role_matches(role=embedded_role)
    top = matches[0]
    assert top.candidate.name == "Lena Usman"
    assert top.score >= 85 and all(match.score <= top.score for match in matches)
    assert "ONNX, TensorRT, TinyML: 3 of 3 required skills, advanced" in top.reasons
    assert "asks £95k, within £85k–£100k" in top.reasons
    assert "SC cleared" in top.reasons
    assert "based in Bristol" in top.reasons
    assert any(reason.endswith("before target date") for reason in top.reasons)
    weaker = next(match for match in matches if match.candidate.name == "Embedded Person 0")
    assert "no TensorRT" in weaker.gaps and "needs sponsorship" in weaker.gaps
    assert "asks £130k, above £85k–£100k" in weaker.gaps
    assert any(gap.startswith("needs SC clearance") for gap in weaker.gaps)


def test_excluded_people_are_never_matched(embedded_role, crowd, people, client_company):
    SubmissionFactory(candidate=crowd[0], role=embedded_role)
    crowd[1].off_limits_clients.add(client_company)
    names = {match.candidate.name for match in role_matches(role=embedded_role)}
    assert "Dora Blocked" not in names  # do not contact
    assert "Anonymised person" not in names
    assert crowd[0].name not in names  # already in the pipeline
    assert crowd[1].name not in names  # off-limits for the role's client
    assert "Lena Usman" in names


def test_a_role_without_required_skills_matches_its_pillar(role, people):
    names = [match.candidate.name for match in role_matches(role=role)]
    assert names == ["Lena Usman"]


def test_adding_a_match_goes_through_the_pipeline_and_is_logged(embedded_role, people, recruiter):
    lena = people["lena"]
    submission = match_add_to_pipeline(role=embedded_role, candidate=lena, by=recruiter)
    assert submission.stage == Stage.SOURCED
    assert submission.stage_changes.get().to_stage == Stage.SOURCED
    assert MatchAddition.objects.get().submission == submission
    with pytest.raises(ValidationError, match="already in this role's pipeline"):
        match_add_to_pipeline(role=embedded_role, candidate=lena, by=recruiter)


def test_do_not_contact_cannot_be_added(embedded_role, people, recruiter):
    with pytest.raises(ValidationError, match="do not contact"):
        match_add_to_pipeline(role=embedded_role, candidate=people["blocked"], by=recruiter)
    assert not Submission.objects.exists()


# ---- the Matches page and the API -------------------------------------------------------------------------


def test_matches_page_shows_reasons_logs_the_list_and_adds_in_one_click(admin_client, embedded_role, crowd, people):
    url = reverse("admin:matching_role_matches", args=[embedded_role.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("Lena Usman") < page.index("Embedded Person")
    assert "3 of 3 required skills" in page and "needs sponsorship" in page
    log = MatchRankingLog.objects.get()
    assert log.role == embedded_role and log.shown_by.username == "recruiter"
    assert log.results[0]["candidate_id"] == people["lena"].pk and log.results[0]["reasons"]
    assert log.parameters["required_skills"] == ["onnx", "tensorrt", "tinyml"]

    response = admin_client.post(url, {"candidate_id": people["lena"].pk, "ranking_id": log.pk})
    assert response.status_code == 302
    submission = Submission.objects.get(candidate=people["lena"], role=embedded_role)
    assert submission.stage == Stage.SOURCED
    addition = MatchAddition.objects.get()
    assert addition.ranking == log and addition.score == log.results[0]["score"]
    # Once in the pipeline she is no longer a match.
    admin_client.get(url)  # shows the success message once
    assert f'id="match-{people["lena"].pk}"' not in admin_client.get(url).content.decode()


def test_role_page_and_board_link_to_matches(admin_client, embedded_role):
    matches_url = reverse("admin:matching_role_matches", args=[embedded_role.pk])
    button = reverse("admin:roles_role_open_matches", args=[embedded_role.pk])
    assert button in admin_client.get(reverse("admin:roles_role_change", args=[embedded_role.pk])).content.decode()
    assert admin_client.get(button).url == matches_url
    assert matches_url in admin_client.get(reverse("admin:roles_role_board", args=[embedded_role.pk])).content.decode()


def test_the_ranking_log_survives_anonymisation_without_personal_data(admin_client, embedded_role, people):
    lena = people["lena"]
    admin_client.get(reverse("admin:matching_role_matches", args=[embedded_role.pk]))
    Candidate.objects.filter(pk=lena.pk).update(
        name="Anonymised", email="", phone="", notes="", anonymised_at=timezone.now()
    )
    log = MatchRankingLog.objects.get()
    text = str(log.results) + str(log.parameters)
    assert lena.pk in [row["candidate_id"] for row in log.results]
    for personal in ("Lena", "Usman", "lena.usman@mail.example", lena.phone):
        assert personal not in text
    log_page = admin_client.get(reverse("admin:matching_matchrankinglog_change", args=[log.pk]))
    assert log_page.status_code == 200


def test_api_matches_and_add(recruiter, embedded_role, crowd, people):
    client = APIClient()
    client.force_login(recruiter)
    url = f"/api/v1/staff/roles/{embedded_role.pk}/matches/"
    body = client.get(url, {"page_size": 3}).json()
    assert body["results"][0]["candidate"]["name"] == "Lena Usman"
    assert body["results"][0]["position"] == 1 and body["next"]
    assert "no TensorRT" in body["results"][1]["gaps"]
    assert MatchRankingLog.objects.get(pk=body["ranking_log_id"]).channel == "api"
    second = client.get(body["next"]).json()
    assert second["results"][0]["position"] == 4
    # The log keeps the page as shown: its number and size, and each person at the position they were shown.
    log = MatchRankingLog.objects.get(pk=second["ranking_log_id"])
    assert log.parameters["page"] == 2 and log.parameters["page_size"] == 3
    assert [(row["position"], row["score"]) for row in log.results] == [
        (row["position"], row["score"]) for row in second["results"]
    ]
    response = client.post(url, {"candidate_id": people["lena"].pk, "ranking_log_id": body["ranking_log_id"]})
    assert response.status_code == 201, response.content
    assert response.json()["stage"] == "sourced"
    again = client.post(url, {"candidate_id": people["lena"].pk}, format="json")
    assert again.status_code == 400


def test_api_matches_need_permission(embedded_role):
    client = APIClient()
    client.force_login(UserFactory(is_staff=True, is_superuser=False))
    assert client.get(f"/api/v1/staff/roles/{embedded_role.pk}/matches/").status_code == 403


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_matches_query_counts_do_not_grow_with_page_size(admin_client, recruiter, embedded_role, crowd, people):
    api = APIClient()
    api.force_login(recruiter)
    url = f"/api/v1/staff/roles/{embedded_role.pk}/matches/"
    page_url = reverse("admin:matching_role_matches", args=[embedded_role.pk])
    api.get(url)  # each user's first request stores their permissions (sonitec/auth_cache.py)
    admin_client.get(page_url)
    assert _count(api, url + "?page_size=1") == _count(api, url + "?page_size=50")
    few = _count(admin_client, page_url)
    for number in range(30):
        person = CandidateFactory(name=f"Extra {number}", primary_pillar=seeded_pillar("embedded-ai-engineer"))
        give_skills(person, "tinyml")
    assert _count(admin_client, page_url) == few
