"""Importing spreadsheets: a preview by line, nothing stored until the file is clean, then all rows or none."""

import csv
import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.contrib.postgres.search import SearchQuery
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from candidates.merging import candidate_merge
from candidates.models import Candidate, CandidateSkill, Consent, ConsentMethod
from clients.models import Client, Contact
from imports import columns
from imports.importers import IMPORTERS
from imports.services import import_plan, import_run
from roles.models import Role, RoleStatus, Seniority, Skill
from tests import factories

pytestmark = pytest.mark.django_db
SOURCE = "Legacy CRM export, legitimate interest"


def csv_bytes(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def people(count: int) -> list[dict[str, str]]:
    return [
        {
            "Name": f"Person {n}",
            "EMAIL": f"person{n}@example.org",
            "phone": f"07700 9{n:05d}",
            "primary_pillar": "ml-engineer",
            "skills": "Python, pytorch" if n % 2 else "",
            "seniority": "Senior",
        }
        for n in range(count)
    ]


@pytest.fixture
def skills():
    factories.SkillFactory(name="Python", slug="python")
    factories.SkillFactory(name="PyTorch", slug="pytorch")


def test_a_5000_row_file_with_bad_rows_and_known_people_is_previewed_by_line_then_imported_exactly(skills):
    known = factories.CandidateFactory(
        email="Person7@Example.org", name="Person Seven", phone="", location="", primary_pillar=None
    )
    known_by_phone = factories.CandidateFactory(email="other@mail.example", phone="+447700900042")
    rows = people(5000)
    rows[9]["EMAIL"] = "not-an-email"  # line 11
    rows[19]["primary_pillar"] = "Astrology"  # line 21
    rows[29]["skills"] = "Python, Cobol"  # line 31
    rows.append(dict(rows[100], Name="Person 100 again", phone=""))  # the same person twice: line 5002
    content = csv_bytes(rows)

    plan = import_plan(kind="candidates", content=content, filename="people.csv")

    assert plan.counts == {"created": 4995, "updated": 1, "duplicates": 2, "errors": 3}
    assert plan.errors() == [
        (11, "email: “not-an-email” is not a valid email address"),
        (21, "primary_pillar: unknown pillar “Astrology”"),
        (31, "skills: unknown skills: Cobol"),
    ]
    by_line = {row.line: row for row in plan.rows}
    assert by_line[9].action == "update" and by_line[9].target_id == known.pk
    assert by_line[44].action == "duplicate" and by_line[44].target_id == known_by_phone.pk
    assert by_line[5002].action == "duplicate" and by_line[5002].first_line == 102
    # Confirming a file that still has errors stores nothing at all.
    assert not import_run(kind="candidates", content=content, filename="people.csv", source=SOURCE).ok
    assert Candidate.objects.count() == 2

    for index in (9, 19, 29):
        rows[index] = dict(rows[index], EMAIL=f"fixed{index}@example.org", primary_pillar="", skills="")
    plan = import_run(kind="candidates", content=csv_bytes(rows), filename="people.csv", source=SOURCE)

    assert plan.ok and plan.counts == {"created": 4998, "updated": 1, "duplicates": 2, "errors": 0}
    assert Candidate.objects.count() == 5000
    known.refresh_from_db()
    assert known.name == "Person Seven" and known.phone == "+447700900007"  # kept, and empty fields filled
    assert known.primary_pillar.slug == "ml-engineer"
    last = known.history.first()  # the fill-in is a change in the known person's history, with the source
    assert (last.history_type, last.history_change_reason) == ("~", f"Imported: {SOURCE}")
    assert Candidate.objects.get(email="person3@example.org").phone == "+447700900003"  # phones normalised
    assert CandidateSkill.objects.filter(candidate__email="person1@example.org").count() == 2
    # Every person brought in or linked has the stated basis on record.
    assert Consent.objects.filter(method=ConsentMethod.IMPORT, note=SOURCE).count() == 5000
    assert (
        Candidate.objects.get(email="person5@example.org").history.first().history_change_reason.startswith("Imported")
    )


def test_candidates_need_a_stated_source():
    with pytest.raises(Exception, match="lawful basis"):
        import_run(kind="candidates", content=csv_bytes(people(1)), filename="p.csv", source=" ")


def test_an_unknown_column_or_a_missing_required_one_is_reported_for_the_file():
    plan = import_plan(kind="candidates", content=b"name,shoe_size\nAda,5\n", filename="p.csv")
    assert not plan.ok and "Unknown columns: shoe_size" in plan.errors()[0][1]
    plan = import_plan(kind="roles", content=b"title\nML Lead\n", filename="r.csv")
    assert "Required columns missing: client, pillar" in plan.errors()[0][1]


def test_xlsx_files_are_read_like_csv(skills):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["name", "email", "notice_period_days"])
    sheet.append(["Ada", "ada@example.org", 30])
    out = io.BytesIO()
    book.save(out)
    plan = import_run(kind="candidates", content=out.getvalue(), filename="p.xlsx", source=SOURCE)
    assert plan.ok and Candidate.objects.get().notice_period_days == 30


def test_clients_contacts_and_roles_import(skills):
    factories.ClientFactory(name="Acme Robotics Ltd", website="https://www.acme.example")
    clients = csv_bytes(
        [
            {"name": "Acme Robotics", "website": "acme.example", "location": "Bristol"},
            {"name": "Globex", "website": "", "location": ""},
        ]
    )
    plan = import_run(kind="clients", content=clients, filename="c.csv")
    assert plan.counts == {"created": 1, "updated": 1, "duplicates": 0, "errors": 0}
    assert Client.objects.get(name="Acme Robotics Ltd").location == "Bristol"

    contacts = csv_bytes([{"client": "globex", "name": "Hank", "email": "HANK@globex.example", "phone": ""}])
    assert import_run(kind="contacts", content=contacts, filename="c.csv").ok
    assert Contact.objects.get().email == "hank@globex.example"

    roles = [
        {"client": "Globex", "title": "ML Lead", "pillar": "ML Engineer", "salary_min": "90000", "salary_max": "80000"},
        {"client": "Initech", "title": "Data Eng", "pillar": "data-engineer", "salary_min": "", "salary_max": ""},
    ]
    plan = import_plan(kind="roles", content=csv_bytes(roles), filename="r.csv")
    assert plan.errors() == [
        (2, "salary_min (90000) is more than salary_max (80000)"),
        (3, "client: unknown client “Initech” (give its name or website as on file)"),
    ]
    roles = [dict(roles[0], salary_max="120000", status="open", required_skills="python")]
    assert import_run(kind="roles", content=csv_bytes(roles), filename="r.csv").ok
    role = Role.objects.get()
    assert (
        role.status == RoleStatus.OPEN and role.opened_on and [s.name for s in role.required_skills.all()] == ["Python"]
    )


def test_the_command_prints_a_summary_and_fails_without_storing_on_any_error(tmp_path, skills, capsys):
    rows = people(3)
    rows[1]["EMAIL"] = "broken@"
    path = tmp_path / "people.csv"
    path.write_bytes(csv_bytes(rows))
    with pytest.raises(CommandError):
        call_command("import_csv", "candidates", str(path), "--source", SOURCE, "--no-progress")
    captured = capsys.readouterr()
    assert "created 2, updated 0, duplicates 0, errors 1" in captured.out
    assert "line 3: email:" in captured.err
    assert Candidate.objects.count() == 0

    rows[1]["EMAIL"] = "fine@example.org"
    path.write_bytes(csv_bytes(rows))
    call_command("import_csv", "candidates", str(path), "--source", SOURCE, "--dry-run", "--no-progress")
    assert "created 3, updated 0, duplicates 0, errors 0 (dry run: nothing stored)" in capsys.readouterr().out
    assert Candidate.objects.count() == 0
    call_command("import_csv", "candidates", str(path), "--source", SOURCE, "--no-progress")
    assert capsys.readouterr().out.strip() == "created 3, updated 0, duplicates 0, errors 0"
    assert Candidate.objects.count() == 3
    with pytest.raises(CommandError, match="lawful basis"):
        call_command("import_csv", "candidates", str(path), "--no-progress")


def test_the_documented_columns_are_the_columns_read():
    docs = (Path(__file__).resolve().parents[2] / "docs" / "import.md").read_text()
    for kind, importer in IMPORTERS.items():
        assert list(importer().columns) == importer.column_names
        assert ", ".join(importer.column_names).replace("*", "") in docs.replace("**", "").replace("\n  ", " "), kind


def test_cells_are_read_as_a_person_types_them():
    assert columns.decimal("£85,000") == Decimal("85000")
    assert columns.choice(Seniority.choices)("Lead / Staff") == "lead"
    with pytest.raises(ValidationError, match="not a date"):
        columns.date("25/11/2026")
    with pytest.raises(ValidationError, match="0 or more"):
        columns.decimal("-5")


def test_an_anonymised_record_cannot_be_merged():
    kept, duplicate = factories.CandidateFactory(), factories.CandidateFactory(anonymised_at=timezone.now())
    with pytest.raises(ValidationError, match="anonymised"):
        candidate_merge(kept=kept, duplicate=duplicate)


@pytest.mark.postgres
def test_imported_and_linked_people_are_found_by_their_skills_in_search(skills):
    known = factories.CandidateFactory(email="known@example.org", name="Known Person")
    rows = [
        {
            "name": "Ada Import",
            "email": "ada@example.org",
            "skills": "PyTorch, Python",
            "primary_pillar": "ml-engineer",
            "other_pillars": "data-engineer",
            "current_title": "Vision lead",
        },
        {"name": "Known Person", "email": "KNOWN@example.org", "skills": "PyTorch", "other_pillars": ""},
        {"name": "Grace Newname", "email": "grace@example.org", "skills": "", "other_pillars": "", "current_title": ""},
    ]
    assert import_run(kind="candidates", content=csv_bytes(rows), filename="p.csv", source=SOURCE).ok

    # The search document is kept by database triggers: set-based writes must leave it right too.
    found = Candidate.objects.filter(search_document=SearchQuery("pytorch", config="sonitec_search"))
    assert set(found.values_list("email", flat=True)) == {"ada@example.org", known.email}
    # New people's documents, skill ids and name words are written by the import itself, exactly as the
    # triggers would write them.
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT count(*) FROM candidates_candidate c
                WHERE search_document IS DISTINCT FROM candidate_search_document(c)
                   OR skill_ids IS DISTINCT FROM candidate_skill_ids(c.id)"""
        )
        assert cursor.fetchone()[0] == 0
        cursor.execute("SELECT count(*) FROM candidate_name_word WHERE word IN ('grace', 'newnam')")
        assert cursor.fetchone()[0] == 2
    ada = Candidate.objects.get(email="ada@example.org")
    assert sorted(ada.skills.values_list("name", flat=True)) == ["PyTorch", "Python"]
    assert Candidate.objects.filter(search_document=SearchQuery("data", config="sonitec_search"), pk=ada.pk).exists()
    # The triggers are on again after the import.
    grace = Candidate.objects.get(email="grace@example.org")
    CandidateSkill.objects.create(candidate=grace, skill=Skill.objects.get(slug="pytorch"), level="working", years=1)
    assert found.filter(pk=grace.pk).exists()
