"""Who may be the same person or company: the rules, their reasons and confidence, and where they show."""

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from rest_framework.test import APIClient

from candidates.models import Candidate, CandidateDuplicate
from candidates.selectors import candidate_duplicates
from candidates.services import candidate_duplicates_scan
from clients.merging import client_merge, contact_merge
from clients.models import ClientDuplicate, Contact
from clients.selectors import client_duplicates, contact_duplicates
from pipelines.models import Activity
from roles.models import Role
from sonitec.celery import app
from sonitec.merging import duplicate_pair_dismiss
from sonitec.normalise import email_identity, profile_key, trigram_similarity
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "email,identity",
    [
        ("Jane.Doe+jobs@GoogleMail.com", "janedoe@gmail.com"),
        ("jane.doe@gmail.com", "janedoe@gmail.com"),
        ("jane.doe+x@outlook.com", "jane.doe@outlook.com"),  # plus tags only; dots matter there
        ("jane.doe+x@acme.example", "jane.doe+x@acme.example"),  # unknown providers are left alone
    ],
)
def test_email_identity(email, identity):
    assert email_identity(email) == identity


@pytest.mark.parametrize(
    "url,key",
    [
        ("https://uk.linkedin.com/in/Jane-Doe/?trk=abc", "linkedin.com/in/jane-doe"),
        ("linkedin.com/in/jane-doe", "linkedin.com/in/jane-doe"),
        ("http://www.github.com/JaneDoe/", "github.com/janedoe"),
        ("https://github.com/JaneDoe/project", "github.com/janedoe"),
        ("https://example.com/in/jane", ""),
    ],
)
def test_profile_key(url, key):
    assert profile_key(url) == key


def test_each_rule_finds_the_person_and_says_why():
    jane = factories.CandidateFactory(
        name="Jane Doe",
        email="jane.doe@gmail.com",
        phone="+447700900123",
        linkedin_url="https://www.linkedin.com/in/jane-doe",
        current_company="Acme",
        location="Bristol",
    )
    factories.CandidateFactory(name="Someone Else", email="else@mail.example", phone="+447700900999")

    def reasons(**data):
        return {s.candidate.pk: (s.reasons, s.confidence) for s in candidate_duplicates(data=data)}

    assert reasons(email="JANE.DOE@gmail.com")[jane.pk] == (["same email address"], 100)
    assert reasons(email="janedoe+cv@googlemail.com")[jane.pk][0] == [
        "same mailbox (email ignoring case, dots and +tags)"
    ]
    assert reasons(phone="07700 900123")[jane.pk] == (["same phone number"], 85)
    assert reasons(linkedin_url="uk.linkedin.com/in/Jane-Doe/")[jane.pk][0] == ["same LinkedIn profile"]
    both = reasons(phone="07700900123", linkedin_url="linkedin.com/in/jane-doe")[jane.pk]
    assert both[1] > 95  # two pieces of evidence are surer than either
    similar = reasons(name="Jane Do", current_company="ACME")
    assert similar[jane.pk][0][0].startswith("similar name") and similar[jane.pk][0][0].endswith("same company")
    assert reasons(name="Jane Do") == {}  # a similar name alone is not enough
    assert reasons(name="Jane Doe", location="Leeds") == {}


def test_trigram_similarity_matches_postgres_scale():
    assert trigram_similarity("Jane Doe", "Jane Doe") == 1.0
    assert 0.5 < trigram_similarity("Jane Doe", "Jane Do") < 1
    assert trigram_similarity("Jane Doe", "Bob Smith") < 0.2


def test_the_scan_lists_pairs_and_a_dismissed_pair_stays_dismissed(recruiter):
    first = factories.CandidateFactory(phone="+447700900500")
    second = factories.CandidateFactory(phone="07700 900500")
    assert candidate_duplicates_scan() == 1
    pair = CandidateDuplicate.objects.get()
    assert (pair.first_id, pair.second_id, pair.reasons) == (first.pk, second.pk, ["same phone number"])

    duplicate_pair_dismiss(pair=pair, by=recruiter)
    assert candidate_duplicates_scan() == 0
    assert CandidateDuplicate.objects.get().status == "not_duplicate"
    assert candidate_duplicates(data=first) == []  # not suggested again anywhere


def test_staff_api_lists_duplicates_and_merges(recruiter):
    kept = factories.CandidateFactory(name="Alan Turing", email="alan@bletchley.example", phone="+447700900001")
    duplicate = factories.CandidateFactory(name="A. Turing", email="turing@mail.example", phone="07700 900001")
    factories.ActivityFactory(candidate=duplicate, subject="call")
    api = APIClient()
    api.force_login(recruiter)

    response = api.get(f"/api/v1/staff/candidates/{kept.pk}/duplicates/")
    assert response.status_code == 200
    assert response.json() == [
        {
            "id": duplicate.pk,
            "name": "A. Turing",
            "email": "turing@mail.example",
            "reasons": ["same phone number"],
            "confidence": 85,
        }
    ]

    viewer = factories.UserFactory(is_staff=True)
    for codename in ("view_candidate", "add_candidate"):
        viewer.user_permissions.add(Permission.objects.get(codename=codename))
    other = APIClient()
    other.force_login(viewer)
    url = f"/api/v1/staff/candidates/{kept.pk}/merge/"
    assert other.post(url, {"duplicate_id": duplicate.pk}, format="json").status_code == 403

    response = api.post(url, {"duplicate_id": kept.pk}, format="json")
    assert response.status_code == 400
    response = api.post(url, {"duplicate_id": duplicate.pk, "choices": {"name": "duplicate"}}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["name"] == "A. Turing"
    assert list(Candidate.objects.values_list("pk", flat=True)) == [kept.pk]
    assert Activity.objects.get().candidate_id == kept.pk


def test_clients_and_contacts_are_found_and_merged():
    acme = factories.ClientFactory(name="Acme Robotics", website="https://acme.example")
    acme_too = factories.ClientFactory(name="ACME Robotics Ltd", website="http://www.acme.example/jobs")
    assert [s.reasons for s in client_duplicates(data=acme)] == [["same website domain", "same name"]]
    primary = factories.ContactFactory(client=acme, email="wile@acme.example", is_primary=True)
    also_primary = factories.ContactFactory(client=acme_too, email="WILE@acme.example", is_primary=True)
    role = factories.RoleFactory(client=acme_too, hiring_contact=also_primary)
    factories.ActivityFactory(candidate=None, client=acme_too, contact=also_primary)
    assert [s.record.pk for s in contact_duplicates(data=primary)] == [also_primary.pk]

    client_merge(kept=acme, duplicate=acme_too)
    role.refresh_from_db()
    assert role.client_id == acme.pk
    assert Contact.objects.filter(client=acme).count() == 2
    assert Activity.objects.get().client_id == acme.pk

    contact_merge(kept=primary, duplicate=also_primary)
    assert Role.objects.get().hiring_contact_id == primary.pk
    assert Activity.objects.get().contact_id == primary.pk
    assert Contact.objects.count() == 1


def test_find_duplicates_command_fills_all_three_lists(capsys):
    factories.CandidateFactory(github_url="https://github.com/octocat")
    factories.CandidateFactory(github_url="http://www.github.com/OctoCat/")
    factories.ClientFactory(website="https://acme.example")
    factories.ClientFactory(website="acme.example/careers")
    factories.ClientFactory(name="Initech Ltd", website="")
    factories.ClientFactory(name="INITECH", website="")
    factories.ContactFactory(email="wile@acme.example")
    factories.ContactFactory(email="Wile@Acme.example")
    call_command("find_duplicates")
    assert capsys.readouterr().out.strip() == "new pairs: candidates 1, clients 2, contacts 1"
    assert CandidateDuplicate.objects.get().reasons == ["same GitHub profile"]
    assert ClientDuplicate.objects.get(reasons=["same name"])
    call_command("find_duplicates")
    assert capsys.readouterr().out.strip() == "new pairs: candidates 0, clients 0, contacts 0"


def test_the_scan_runs_nightly_from_the_beat_schedule():
    app.loader.import_default_modules()
    entry = app.conf.beat_schedule["find-duplicates"]
    factories.ContactFactory(email="wile@acme.example")
    factories.ContactFactory(email="wile@acme.example")
    assert app.tasks[entry["task"]].apply().get() == {"candidates": 0, "clients": 0, "contacts": 1}
