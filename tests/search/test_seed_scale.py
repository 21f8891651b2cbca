"""seed_demo's bulk load on PostgreSQL (COPY, set-based search documents) gives the same searchable data."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from candidates.models import Candidate, CandidateCvText, CandidateSkill
from candidates.selectors import CandidateSearch, candidate_search
from matching.selectors import role_matches
from roles.models import Role
from sonitec.management.commands import seed_demo


@pytest.mark.postgres
def test_the_bulk_load_is_searchable_and_plants_a_findable_fit(db, monkeypatch):
    monkeypatch.setattr(seed_demo, "COPY_FROM", 10)
    call_command("seed_demo", candidates=60, roles=6, clients=2, seed=3, stdout=io.StringIO(), stderr=io.StringIO())
    assert Candidate.objects.count() == 60
    assert not Candidate.objects.filter(search_document__isnull=True).exists()
    assert CandidateSkill.objects.count() >= 59 * 2 and CandidateCvText.objects.exists()
    # Every bulk-loaded document and skill id array is exactly what the triggers would write.
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT count(*) FROM candidates_candidate c
                WHERE search_document IS DISTINCT FROM candidate_search_document(c)
                   OR skill_ids IS DISTINCT FROM candidate_skill_ids(c.id)"""
        )
        assert cursor.fetchone()[0] == 0
    found = [c.name for c in candidate_search(params=CandidateSearch(q="Lena Usmn"))]
    assert found[0] == "Lena Usman"
    assert [c.name for c in candidate_search(params=CandidateSearch(q='"autonomous drones"'))][0] == "Lena Usman"
    # A bulk-loaded candidate's document is the one the triggers would write.
    someone = Candidate.objects.exclude(name="Lena Usman").order_by("pk").first()
    skill = someone.candidate_skills.select_related("skill").first().skill
    assert someone.pk in [
        c.pk
        for c in candidate_search(
            params=CandidateSearch(q=f'"{skill.name}" {someone.name}', include_do_not_contact=True)
        )
    ]
    # The triggers are back on after the load.
    CandidateSkill.objects.filter(candidate=someone).delete()
    assert someone.pk not in [
        c.pk for c in candidate_search(params=CandidateSearch(q=f'"{skill.name}"', include_do_not_contact=True))
    ]
    role = Role.objects.get(title="Senior Embedded AI Engineer", location="Bristol")
    assert role_matches(role=role)[0].candidate.name == "Lena Usman"
