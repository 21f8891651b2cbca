"""The candidate search as recruiters use it: text, structured filters, who is left out, and snippets.

The tests without a marker hold on both databases; PostgreSQL-only behaviour (ranking, misspellings, phrases,
trigram, triggers) is under the `postgres` marker.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from candidates.models import Candidate, CandidateCvText, CandidateSkill
from candidates.selectors import CandidateSearch, candidate_search, candidate_search_highlights
from roles.models import Pillar, Skill
from tests.factories import CandidateFactory, SubmissionFactory, seeded_pillar

from .conftest import give_skills, skill


def names(**params) -> list[str]:
    return [candidate.name for candidate in candidate_search(params=CandidateSearch(**params))]


def test_a_skill_finds_the_people_who_hold_it(people):
    assert set(names(q="PyTorch")) == {"Omar Haddad", "Priya Raman"}
    assert names(q="tensorrt") == ["Lena Usman"]


def test_words_from_a_cv_find_the_person(people):
    assert set(names(q="drones")) == {"Lena Usman", "Priya Raman"}
    assert names(q="Jetson") == ["Lena Usman"]


def test_minus_excludes_a_word(people):
    assert names(q="drones -pytorch") == ["Lena Usman"]


def test_part_of_an_email_finds_the_person(people):
    assert names(q="haddad.example") == ["Omar Haddad"]


def test_do_not_contact_and_anonymised_people_are_left_out_by_default(people):
    assert names(q="onnx") == ["Lena Usman"]
    assert set(names(q="onnx", include_do_not_contact=True)) == {"Lena Usman", "Dora Blocked"}


def test_structured_filters_combine_with_the_text(people, role):
    embedded = seeded_pillar("embedded-ai-engineer")
    assert names(pillar=embedded) == ["Lena Usman"]
    assert set(names(skills=[skill("pytorch")])) == {"Omar Haddad", "Priya Raman"}
    assert names(skills=[skill("pytorch"), skill("model-serving-frameworks")]) == ["Priya Raman"]
    assert set(names(skills_any=[skill("tensorrt"), skill("tensorflow")])) == {"Lena Usman", "Omar Haddad"}
    assert names(skills=[skill("pytorch")], skill_level="advanced") == ["Priya Raman"]
    assert names(skills=[skill("pytorch")], skill_years=Decimal("5")) == ["Priya Raman"]
    assert names(q="pytorch", seniority="mid") == ["Omar Haddad"]
    assert set(names(max_salary=Decimal("100000"), currency="GBP")) == {"Lena Usman", "Omar Haddad"}
    assert names(max_salary=Decimal("100000"), currency="EUR") == []
    assert set(names(clearance="bpss")) == {"Lena Usman", "Priya Raman"}  # SC is at least BPSS
    assert names(clearance="sc") == ["Lena Usman"]
    assert names(location="brist") == ["Lena Usman"]
    assert names(right_to_work="yes") == ["Lena Usman"]
    assert names(available_by=timezone.localdate() + datetime.timedelta(days=20), pillar=embedded) == ["Lena Usman"]
    assert names(available_by=timezone.localdate() + datetime.timedelta(days=5), pillar=embedded) == []


def test_pipeline_and_off_limits_exclusions(people, role, client_company):
    SubmissionFactory(candidate=people["omar"], role=role)
    people["priya"].off_limits_clients.add(client_company)
    assert names(q="pytorch", not_in_role_id=role.pk) == ["Priya Raman"]
    assert names(q="pytorch", not_off_limits_for_id=client_company.pk) == ["Omar Haddad"]


def test_snippets_show_where_the_text_matched(people):
    lena = people["lena"]
    snippets = candidate_search_highlights(candidate_ids=[lena.pk], q="jetson")
    assert "<mark>Jetson</mark>" in snippets[lena.pk]


def test_snippets_escape_the_candidates_text(people):
    lena = people["lena"]
    CandidateCvText.objects.filter(candidate=lena).update(text="<script>alert(1)</script> jetson")
    snippet = candidate_search_highlights(candidate_ids=[lena.pk], q="jetson")[lena.pk]
    assert "<script>" not in snippet and "<mark>jetson</mark>" in snippet


# ---- PostgreSQL: ranking, misspellings, phrases, the search document's triggers ------------------------


@pytest.mark.postgres
def test_a_misspelt_name_finds_the_person_first(people):
    CandidateFactory(name="Lena Evans", current_title="Data Engineer")
    CandidateFactory(name="Lena Usmanova", current_title="Data Engineer")
    found = names(q="Lena Usmn")
    assert found[0] == "Lena Usman"
    assert "Lena Evans" not in found
    assert names(q="Usmn")[0] == "Lena Usman"


@pytest.mark.postgres
def test_a_quoted_phrase_must_appear_as_written(people):
    assert names(q='"edge inference"') == ["Lena Usman"]
    assert names(q='"inference edge"') == []


@pytest.mark.postgres
def test_or_finds_either(people):
    assert set(names(q="jetson or tensorflow")) == {"Lena Usman", "Omar Haddad"}


@pytest.mark.postgres
def test_stemming_finds_other_forms(people):
    assert names(q="quantised") == ["Lena Usman"]  # "quantising" in the CV


@pytest.mark.postgres
def test_a_name_outranks_a_mention_in_notes(people):
    CandidateFactory(name="Sam Drones", current_title="Data Engineer")
    found = names(q="drones")
    assert found[0] == "Sam Drones"
    assert set(found) == {"Sam Drones", "Lena Usman", "Priya Raman"}


@pytest.mark.postgres
def test_recent_activity_breaks_a_tie(people):
    old = CandidateFactory(name="Old Kafka", current_title="Data Engineer")
    new = CandidateFactory(name="New Kafka", current_title="Data Engineer")
    give_skills(old, "kafka")
    give_skills(new, "kafka")
    Candidate.objects.filter(pk=old.pk).update(last_activity_at=timezone.now() - datetime.timedelta(days=300))
    Candidate.objects.filter(pk=new.pk).update(last_activity_at=timezone.now())
    assert names(q="spark or kafka")[:2] == ["New Kafka", "Old Kafka"]


@pytest.mark.postgres
def test_the_document_follows_every_change_in_the_same_transaction(people):
    omar = people["omar"]
    assert names(q="kubeflow") == []
    CandidateSkill.objects.create(candidate=omar, skill=skill("kubeflow"))
    assert names(q="kubeflow") == ["Omar Haddad"]
    CandidateSkill.objects.filter(candidate=omar, skill__slug="kubeflow").delete()
    assert names(q="kubeflow") == []
    # Other pillars, CV text, the candidate's own fields, and a renamed skill
    omar.other_pillars.add(Pillar.objects.get(slug="ai-security-engineer"))
    assert "Omar Haddad" in names(q="security")
    CandidateCvText.objects.create(candidate=omar, cv_name="cvs/o.pdf", text="Built a zeppelin telemetry stack")
    assert names(q="zeppelin") == ["Omar Haddad"]
    Candidate.objects.filter(pk=omar.pk).update(current_company="Quasar Widgets")
    assert names(q="quasar") == ["Omar Haddad"]
    Skill.objects.filter(slug="tensorflow").update(name="TensorFlowX")
    assert names(q="tensorflowx") == ["Omar Haddad"]


@pytest.mark.postgres
def test_a_stale_instance_saved_later_does_not_undo_the_document(people):
    omar = Candidate.objects.get(pk=people["omar"].pk)
    CandidateSkill.objects.create(candidate=omar, skill=skill("kubeflow"))
    omar.location = "Leeds"
    omar.save()
    assert names(q="kubeflow leeds") == ["Omar Haddad"]


@pytest.mark.postgres
def test_bulk_inserts_are_searchable(db):
    created = Candidate.objects.bulk_create(
        [Candidate(name=f"Bulk Person {n}", current_title="Zorblax") for n in range(5)]
    )
    CandidateSkill.objects.bulk_create([CandidateSkill(candidate=c, skill=skill("dbt")) for c in created])
    assert len(names(q="zorblax dbt")) == 5


@pytest.mark.postgres
def test_the_search_indexes_exist(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'candidates_candidate'")
        indexes = dict(cursor.fetchall())
    assert "USING gin (search_document)" in indexes["candidate_search_document_gin"]
    assert "gin_trgm_ops" in indexes["candidate_name_trgm"]
    assert "gin_trgm_ops" in indexes["candidate_email_trgm"]
    assert "gin (skill_ids, seniority, location gin_trgm_ops)" in indexes["candidate_skill_filters_gin"]


@pytest.mark.postgres
def test_skill_filters_follow_skill_changes_in_the_same_transaction(people):
    # The skill id array behind the skill filters and matching is written by the same triggers as the document.
    omar = people["omar"]
    assert names(skills=[skill("kubeflow")]) == []
    CandidateSkill.objects.create(candidate=omar, skill=skill("kubeflow"))
    assert names(skills=[skill("kubeflow"), skill("pytorch")]) == ["Omar Haddad"]
    assert "Omar Haddad" in names(skills_any=[skill("kubeflow"), skill("onnx")])
    CandidateSkill.objects.filter(candidate=omar, skill__slug="kubeflow").delete()
    assert names(skills=[skill("kubeflow")]) == []


@pytest.mark.postgres
def test_every_connection_scans_from_the_start_of_the_table(db):
    """Broad text is ranked within the first RANK_WINDOW matches a scan finds. A synchronized scan (PostgreSQL's
    default for tables over a quarter of shared_buffers, so not reproducible with test data) starts where another
    scan is, which at a million candidates made two runs of "TensorRT" share 6 of 250 people: pages overlapped and
    saved searches saw strangers as new. Each connection turns it off, and JIT with it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('synchronize_seqscans'), current_setting('jit')")
        assert cursor.fetchone() == ("off", "off")
