"""Plain list pages run SQL compiled once per shape of page (sonitec/api/compiled.py): whoever asks, and wherever
their cursor stands, they get their own rows, exactly as the ORM would list them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from partners.selectors import roles_visible_to_partner
from pipelines.models import StageChange, Submission
from roles.models import PartnerVisibility, Role
from sonitec.api.compiled import PageQuery
from tests.factories import CandidateFactory, RoleFactory, SubmissionFactory, UserFactory


def walk(client, url):
    """Every row of a list, page after page by its `next` links."""
    seen = []
    while url:
        page = client.get(url).json()
        seen += page["results"]
        url = page["next"]
    return seen


@pytest.fixture
def submissions(acme, rival):
    role = RoleFactory(partner_visibility=PartnerVisibility.ALL)
    made = {}
    for login, count in ((acme, 5), (rival, 3)):
        made[login.partner.pk] = [
            SubmissionFactory(role=role, source="partner", source_partner=login.partner) for _ in range(count)
        ]
    for submission in made[rival.partner.pk]:
        StageChange.objects.create(submission=submission, from_stage="", to_stage="sourced")
    return made


def test_partners_get_their_own_submissions_from_the_same_compiled_pages(acme, rival, submissions):
    # acme's pages compile each shape first; rival's run the same SQL with rival's values.
    for login in (acme, rival):
        listed = walk(login.client, "/api/v1/submissions/?page_size=2")
        expected = Submission.objects.filter(source_partner=login.partner).order_by("-updated_at", "-id")
        assert [row["id"] for row in listed] == [submission.pk for submission in expected]
    rival_rows = walk(rival.client, "/api/v1/submissions/?page_size=2")
    assert all(row["stage_history"][0]["to_stage"] == "sourced" for row in rival_rows)


def test_backward_pages_list_the_same_rows(acme, submissions):
    pages = [acme.client.get("/api/v1/submissions/?page_size=2").json()]
    while pages[-1]["next"]:
        pages.append(acme.client.get(pages[-1]["next"]).json())
    back = acme.client.get(pages[-1]["previous"]).json()
    assert back["results"] == pages[-2]["results"]


def test_roles_published_to_one_partner_stay_its_own(acme, rival):
    everyone = RoleFactory(partner_visibility=PartnerVisibility.ALL)
    selected = RoleFactory(partner_visibility=PartnerVisibility.SELECTED)
    selected.partners.add(rival.partner)
    acme_ids = [row["id"] for row in walk(acme.client, "/api/v1/roles/?page_size=1")]
    rival_ids = [row["id"] for row in walk(rival.client, "/api/v1/roles/?page_size=1")]
    assert acme_ids == [everyone.pk]
    assert sorted(rival_ids) == sorted([everyone.pk, selected.pk])


def test_staff_candidate_pages_walk_every_candidate_once(db):
    made = CandidateFactory.create_batch(5)
    client = APIClient()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    listed = walk(client, "/api/v1/staff/candidates/?page_size=2")
    assert [row["id"] for row in listed] == sorted((candidate.pk for candidate in made), reverse=True)


def test_a_list_that_does_not_take_its_owner_as_a_parameter_is_refused(acme):
    # Were the stand-in owner not a parameter, every partner would be served the stand-in's rows.
    pages = PageQuery("ignores its owner", lambda owner: Role.objects.values("id"), model=Role, owner=acme.partner)
    with pytest.raises(ValueError, match="not a parameter"):
        pages.order_by("-id")[0:2]
    listed = PageQuery(
        "uses its owner",
        lambda owner: roles_visible_to_partner(partner=owner).values("id"),
        model=Role,
        owner=acme.partner,
    )
    assert listed.order_by("-id")[0:2] == []


@pytest.mark.postgres
def test_on_postgresql_a_page_runs_as_a_prepared_statement_and_is_logged_with_its_values(acme, submissions):
    with CaptureQueriesContext(connection) as queries:
        for _ in range(2):
            assert acme.client.get("/api/v1/submissions/?page_size=2").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE statement LIKE '%%pipelines_submission%%'")
        prepared = [statement for (statement,) in cursor.fetchall()]
    assert len(prepared) == 1 and "$1" in prepared[0]  # one statement, parsed and planned once for both pages
    page_sql = [query["sql"] for query in queries if "pipelines_submission" in query["sql"]]
    assert len(page_sql) == 2 and f'"source_partner_id" = {acme.partner.pk}' in page_sql[0]
