"""Merging two records of one company, or of one person at a client, keeps everything either held."""

import pytest
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from clients.merging import client_merge, contact_merge
from clients.models import Client, Contact
from pipelines.models import Placement
from tests import factories
from tests.dedupe.relations import assert_all_point_at, rows_pointing_at

pytestmark = pytest.mark.django_db


def test_every_relation_of_a_merged_client_points_at_the_kept_client():
    kept = factories.ClientFactory(name="Acme Robotics", website="https://acme.example")
    duplicate = factories.ClientFactory(name="ACME Robotics Ltd", website="https://www.acme.example")
    rows = rows_pointing_at(duplicate)
    assert "roles.Role.client" in rows and "clients.Contact.client" in rows

    client_merge(kept=kept, duplicate=duplicate)

    assert not Client.objects.filter(pk=duplicate.pk).exists()
    assert_all_point_at(kept, rows)
    assert "Merged with client" in kept.history.first().history_change_reason


def test_every_relation_of_a_merged_contact_points_at_the_kept_contact():
    kept = factories.ContactFactory(email="wile@acme.example")
    duplicate = factories.ContactFactory(email="WILE@acme.example")
    # A scorecard is by a recruiter or by a client's interviewer, never both.
    rows = rows_pointing_at(duplicate, extra={"assessments.Scorecard.client_interviewer": {"interviewer": None}})
    assert "roles.Role.hiring_contact" in rows and "messaging.Message.contact" in rows

    contact_merge(kept=kept, duplicate=duplicate)

    assert not Contact.objects.filter(pk=duplicate.pk).exists()
    assert_all_point_at(kept, rows)


def test_staff_api_lists_and_merges_duplicate_clients_with_their_placements(recruiter):
    kept = factories.ClientFactory(name="Acme Robotics", website="https://acme.example")
    duplicate = factories.ClientFactory(name="Acme Robotics Ltd", website="acme.example/careers")
    placement = factories.PlacementFactory(submission__role__client=duplicate)
    api = APIClient()
    api.force_login(recruiter)

    response = api.get(f"/api/v1/staff/clients/{kept.pk}/duplicates/")
    assert response.status_code == 200
    assert response.json() == [
        {
            "id": duplicate.pk,
            "name": "Acme Robotics Ltd",
            "reasons": ["same website domain", "same name"],
            "confidence": 98,
        }
    ]

    viewer = factories.UserFactory(is_staff=True)
    viewer.user_permissions.add(*Permission.objects.filter(codename__in=["view_client", "change_client"]))
    other = APIClient()
    other.force_login(viewer)
    url = f"/api/v1/staff/clients/{kept.pk}/merge/"
    assert other.post(url, {"duplicate_id": duplicate.pk}, format="json").status_code == 403

    response = api.post(url, {"duplicate_id": duplicate.pk}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["id"] == kept.pk
    # A placement is reported under its role's client: it now counts for the kept client.
    assert list(Placement.objects.filter(submission__role__client=kept)) == [placement]


def test_staff_api_lists_and_merges_duplicate_contacts(recruiter):
    kept = factories.ContactFactory(name="Wile E.", email="wile@acme.example", phone="+447700900001")
    duplicate = factories.ContactFactory(name="Wile Coyote", email="w.coyote@acme.example", phone="+447700900001")
    factories.ActivityFactory(candidate=None, client=duplicate.client, contact=duplicate)
    api = APIClient()
    api.force_login(recruiter)

    response = api.get(f"/api/v1/staff/contacts/{kept.pk}/duplicates/")
    assert response.json() == [
        {"id": duplicate.pk, "name": "Wile Coyote", "reasons": ["same phone number"], "confidence": 85}
    ]
    response = api.post(
        f"/api/v1/staff/contacts/{kept.pk}/merge/",
        {"duplicate_id": duplicate.pk, "choices": {"name": "duplicate"}},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["name"] == "Wile Coyote"
    assert list(Contact.objects.values_list("pk", flat=True)) == [kept.pk]
    assert kept.activities.count() == 1
