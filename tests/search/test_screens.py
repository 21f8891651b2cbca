"""The search screens: the admin candidate list, the Find candidates page, saved searches, talent pools, the API."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from candidates.models import CandidateStatus
from matching.models import SavedSearch, TalentPool, TalentPoolMember
from matching.services import talent_pool_add, talent_pool_add_to_role, talent_pool_create
from pipelines.models import Stage, Submission
from tests.factories import CandidateFactory, SubmissionFactory, seeded_pillar

from .conftest import give_skills

FIND = "/admin/candidates/candidate/find/"


def test_admin_list_search_is_ranked_and_finds_skills(admin_client, people):
    response = admin_client.get("/admin/candidates/candidate/", {"q": "pytorch"})
    page = response.content.decode()
    assert "Omar Haddad" in page and "Priya Raman" in page and "Lena Usman" not in page


def test_admin_list_still_finds_an_exact_email(admin_client, people):
    page = admin_client.get("/admin/candidates/candidate/", {"q": "LENA.USMAN@mail.example"}).content.decode()
    assert "Lena Usman" in page


def test_find_page_shows_hits_with_snippets(admin_client, people):
    response = admin_client.get(FIND, {"q": "jetson", "pillar": "embedded-ai-engineer"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Lena Usman" in page and "<mark>" in page and "Omar Haddad" not in page


def test_find_page_filters_without_text(admin_client, people):
    page = admin_client.get(FIND, {"skills": "pytorch", "skill_level": "expert"}).content.decode()
    assert "Priya Raman" in page and "Omar Haddad" not in page


def test_find_page_explains_bad_filters(admin_client, people):
    page = admin_client.get(FIND, {"skills": "pytorch,cobol"}).content.decode()
    assert "Unknown skill: cobol" in page


def test_find_page_filters_are_picked_from_lists(admin_client, people, role, client_company):
    """Pillars, skills, roles and clients are chosen, not typed as slugs and ids; ticking two skills sends the
    parameter twice, which means both, as "a,b" does in the API."""
    page = admin_client.get(FIND).content.decode()
    assert '<option value="embedded-ai-engineer">' in page and '<select name="skills" ' in page
    assert f'<option value="{role.pk}">{client_company.name}: {role.title}</option>' in page
    assert f'<option value="{client_company.pk}">{client_company.name}</option>' in page
    ticked = admin_client.get(f"{FIND}?skills=pytorch&skills=model-serving-frameworks").content.decode()
    assert "Priya Raman" in ticked and "Omar Haddad" not in ticked
    assert '<option value="pytorch" selected>' in ticked
    skills_list = ticked.split('<select name="skills" ')[1].split("</select>")[0]
    first_two = [part.split(">")[0] for part in skills_list.split("<option value=")[1:3]]
    assert sorted(first_two) == ['"model-serving-frameworks" selected', '"pytorch" selected']  # ticked ones first


def test_candidate_list_links_to_find_page(admin_client, people):
    assert FIND in admin_client.get("/admin/candidates/candidate/").content.decode()


def _count(client, url, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


def test_search_pages_query_counts_do_not_grow_with_the_results(admin_client, recruiter, people):
    api = APIClient()
    api.force_login(recruiter)
    admin_client.get(FIND)  # each user's first request stores their permissions (sonitec/auth_cache.py)
    api.get("/api/v1/staff/candidates/")
    find_few = _count(admin_client, FIND, {"q": "engineer"})
    list_few = _count(admin_client, "/admin/candidates/candidate/", {"q": "engineer"})
    api_small = _count(api, "/api/v1/staff/candidates/", {"q": "engineer", "page_size": 1})
    for number in range(30):
        person = CandidateFactory(name=f"Engineer {number}", current_title="Data Engineer")
        give_skills(person, "spark", "kafka")
    assert _count(admin_client, FIND, {"q": "engineer"}) == find_few
    assert _count(admin_client, "/admin/candidates/candidate/", {"q": "engineer"}) == list_few
    assert _count(api, "/api/v1/staff/candidates/", {"q": "engineer", "page_size": 50}) == api_small


# ---- staff API ----------------------------------------------------------------------------------------------


@pytest.fixture
def api(recruiter):
    client = APIClient()
    client.force_login(recruiter)
    return client


def test_api_search_is_ranked_with_highlights(api, people):
    body = api.get("/api/v1/staff/candidates/", {"q": "drones"}).json()
    names = [row["name"] for row in body["results"]]
    assert set(names) == {"Lena Usman", "Priya Raman"}
    assert all(row["search_rank"] is not None for row in body["results"])
    assert any("<mark>" in row["highlight"] for row in body["results"])
    assert "search_document" not in body["results"][0]


def test_api_search_filters(api, people, role, client_company):
    SubmissionFactory(candidate=people["omar"], role=role)
    get = lambda **params: {row["name"] for row in api.get("/api/v1/staff/candidates/", params).json()["results"]}  # noqa: E731
    assert get(skills="pytorch,model-serving-frameworks") == {"Priya Raman"}
    assert get(skills_any="tensorrt,tensorflow") == {"Lena Usman", "Omar Haddad"}
    assert get(pillar="embedded-ai-engineer") == {"Lena Usman"}
    assert get(q="pytorch", not_in_role=str(role.pk)) == {"Priya Raman"}
    assert get(max_salary="100000", currency="GBP") == {"Lena Usman", "Omar Haddad"}
    assert get(clearance="sc") == {"Lena Usman"}
    assert get(remote="hybrid") == {"Lena Usman"}
    assert get(q="onnx", include_do_not_contact="true") == {"Lena Usman", "Dora Blocked"}


def test_api_search_rejects_unknown_slugs_and_bad_pages(api, people):
    response = api.get("/api/v1/staff/candidates/", {"skills": "cobol"})
    assert response.status_code == 400 and "skills" in response.json()["error"]["fields"]
    response = api.get("/api/v1/staff/candidates/", {"q": "x", "page": "0"})
    assert response.status_code == 400


def test_api_search_pages(api, people):
    first = api.get("/api/v1/staff/candidates/", {"q": "engineer", "page_size": 1}).json()
    assert len(first["results"]) == 1 and first["next"] and first["previous"] is None
    second = api.get(first["next"]).json()
    assert second["results"][0]["id"] != first["results"][0]["id"] and second["previous"]


def test_api_list_without_search_is_unchanged(api, people):
    body = api.get("/api/v1/staff/candidates/").json()
    assert len(body["results"]) == 5  # everyone, for sync: do-not-contact and anonymised too


def test_search_parameters_are_in_the_schema(api):
    schema = api.get("/api/schema/?format=json").json()
    parameters = {p["name"] for p in schema["paths"]["/api/v1/staff/candidates/"]["get"]["parameters"]}
    assert {
        "q",
        "pillar",
        "skills",
        "skills_any",
        "available_by",
        "max_salary",
        "max_day_rate",
        "currency",
    } <= parameters
    assert {"remote", "clearance", "not_in_role", "not_off_limits_for", "seniority"} <= parameters
    assert "/api/v1/staff/roles/{id}/matches/" in schema["paths"]


# ---- saved searches ---------------------------------------------------------------------------------------


def test_save_a_search_and_see_who_is_new_when_it_runs_again(admin_client, people):
    response = admin_client.post(
        reverse("admin:matching_savedsearch_save"), {"name": "PyTorch people", "query": "q=pytorch"}
    )
    assert response.status_code == 302
    saved = SavedSearch.objects.get(name="PyTorch people")
    assert saved.query == {"q": "pytorch"} and len(saved.seen_ids) == 2
    newcomer = CandidateFactory(name="New Torch", current_title="ML Engineer")
    give_skills(newcomer, "pytorch")
    page = admin_client.get(reverse("admin:matching_savedsearch_run", args=[saved.pk])).content.decode()
    assert "1 new" in page and "New Torch" in page and "Omar Haddad" in page
    page = admin_client.get(reverse("admin:matching_savedsearch_run", args=[saved.pk])).content.decode()
    assert "0 new" in page


def test_saving_needs_a_name_and_something_to_search(admin_client, people):
    admin_client.post(reverse("admin:matching_savedsearch_save"), {"name": "", "query": "q=pytorch"})
    admin_client.post(reverse("admin:matching_savedsearch_save"), {"name": "Nothing", "query": ""})
    assert not SavedSearch.objects.exists()


# ---- talent pools ------------------------------------------------------------------------------------------


def test_add_from_search_results_to_a_new_pool(admin_client, people):
    ids = [people["lena"].pk, people["priya"].pk]
    response = admin_client.post(
        reverse("admin:matching_talentpool_add_candidates"),
        {"candidate_ids": ids, "pool_chosen": "1", "new_pool": "Embedded AI, SC cleared, Bristol"},
    )
    assert response.status_code == 302
    pool = TalentPool.objects.get()
    assert pool.name == "Embedded AI, SC cleared, Bristol"
    assert set(pool.members.values_list("candidate_id", flat=True)) == set(ids)


def test_candidate_page_offers_add_to_pool(admin_client, people):
    page = admin_client.get(reverse("admin:candidates_candidate_change", args=[people["lena"].pk])).content.decode()
    button = reverse("admin:candidates_candidate_add_to_pool", args=[people["lena"].pk])
    assert f'href="{button}"' in page and "Add to pool" in page
    pressed = admin_client.get(button)
    assert pressed.url == reverse("admin:matching_talentpool_add_candidates") + f"?candidate_ids={people['lena'].pk}"
    chooser = admin_client.get(
        reverse("admin:matching_talentpool_add_candidates"), {"candidate_ids": people["lena"].pk}
    )
    assert "Lena Usman" in chooser.content.decode()


def test_a_pool_goes_into_a_pipeline_all_or_nothing(admin_client, recruiter, people, role):
    pool = talent_pool_create(name="Embedded", owner=recruiter)
    talent_pool_add(pool=pool, candidate_ids=[people["lena"].pk, people["priya"].pk], by=recruiter)
    SubmissionFactory(candidate=people["priya"], role=role)
    created, already = talent_pool_add_to_role(pool=pool, role=role, by=recruiter)
    assert [s.candidate for s in created] == [people["lena"]] and already == 1
    assert Submission.objects.get(candidate=people["lena"], role=role).stage == Stage.SOURCED

    blocked_pool = talent_pool_create(name="Mixed", owner=recruiter)
    fresh = CandidateFactory(name="Fresh Face")
    blocked = CandidateFactory(name="Blocked Now", status=CandidateStatus.DO_NOT_CONTACT)
    talent_pool_add(pool=blocked_pool, candidate_ids=[fresh.pk, blocked.pk], by=recruiter)
    url = reverse("admin:matching_talentpool_to_role", args=[blocked_pool.pk])
    page = admin_client.post(url, {"role": role.pk}).content.decode()
    assert "Nobody was added" in page and "Blocked Now is marked do not contact" in page
    assert not Submission.objects.filter(candidate__in=[fresh, blocked]).exists()
    TalentPoolMember.objects.filter(candidate=blocked).delete()
    assert admin_client.post(url, {"role": role.pk}).status_code == 302
    assert Submission.objects.filter(candidate=fresh, role=role, stage=Stage.SOURCED).exists()


def test_pools_list_and_page(admin_client, recruiter, people):
    pool = talent_pool_create(name="Leaders", owner=recruiter)
    talent_pool_add(pool=pool, candidate_ids=[people["omar"].pk], by=recruiter)
    assert "Leaders" in admin_client.get(reverse("admin:matching_talentpool_changelist")).content.decode()
    assert admin_client.get(reverse("admin:matching_talentpool_change", args=[pool.pk])).status_code == 200
    assert seeded_pillar  # the shared fixtures seed pillars
