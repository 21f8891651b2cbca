"""A partner sees only what is theirs: roles published to them, their own submissions and subscriptions."""

import pytest

from partners.models import WebhookSubscription
from pipelines.models import Submission
from roles.models import PartnerVisibility, RoleStatus
from tests.factories import RoleFactory, SubmissionFactory


@pytest.fixture
def roles(acme, rival):
    to_all = RoleFactory(title="To all", partner_visibility=PartnerVisibility.ALL)
    to_acme = RoleFactory(title="To Acme", partner_visibility=PartnerVisibility.SELECTED)
    to_acme.partners.add(acme.partner)
    to_rival = RoleFactory(title="To Rival", partner_visibility=PartnerVisibility.SELECTED)
    to_rival.partners.add(rival.partner)
    unpublished = RoleFactory(title="Unpublished", partner_visibility=PartnerVisibility.NONE)
    draft = RoleFactory(title="Draft", partner_visibility=PartnerVisibility.ALL, status=RoleStatus.DRAFT)
    filled = RoleFactory(title="Filled", partner_visibility=PartnerVisibility.ALL, status=RoleStatus.FILLED)
    return {
        "to_all": to_all,
        "to_acme": to_acme,
        "to_rival": to_rival,
        "unpublished": unpublished,
        "draft": draft,
        "filled": filled,
    }


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_roles_list_and_detail_show_only_open_roles_published_to_the_partner(acme, rival, roles):
    assert ids(acme.client.get("/api/v1/roles/")) == {roles["to_all"].pk, roles["to_acme"].pk}
    assert ids(rival.client.get("/api/v1/roles/")) == {roles["to_all"].pk, roles["to_rival"].pk}
    for name in ("to_rival", "unpublished", "draft", "filled"):
        response = acme.client.get(f"/api/v1/roles/{roles[name].pk}/")
        assert response.status_code == 404, name
        assert response.json()["error"]["code"] == "not_found"
    assert acme.client.get(f"/api/v1/roles/{roles['to_acme'].pk}/").status_code == 200


def test_role_published_to_all_and_selected_is_listed_once(acme, rival):
    role = RoleFactory(partner_visibility=PartnerVisibility.ALL)
    role.partners.add(acme.partner, rival.partner)
    assert [row["id"] for row in acme.client.get("/api/v1/roles/").json()["results"]] == [role.pk]


def test_roles_hide_fees_notes_client_and_contacts(acme, roles):
    body = acme.client.get(f"/api/v1/roles/{roles['to_all'].pk}/").json()
    for hidden in (
        "fee_percent",
        "flat_fee",
        "fee_type",
        "guarantee_days",
        "internal_notes",
        "client",
        "hiring_contact",
        "owner",
        "partners",
        "rebate_policy",
    ):
        assert hidden not in body


def test_submissions_only_the_partners_own(acme, rival, roles):
    mine = SubmissionFactory(role=roles["to_all"], source="partner", source_partner=acme.partner)
    theirs = SubmissionFactory(role=roles["to_all"], source="partner", source_partner=rival.partner)
    recruiters = SubmissionFactory(role=roles["to_all"])
    assert ids(acme.client.get("/api/v1/submissions/")) == {mine.pk}
    assert acme.client.get(f"/api/v1/submissions/{mine.pk}/").status_code == 200
    for other in (theirs, recruiters):
        assert acme.client.get(f"/api/v1/submissions/{other.pk}/").status_code == 404


def test_webhook_subscriptions_only_the_partners_own(acme, rival, receiver):
    created = rival.client.post("/api/v1/webhooks/", {"url": receiver.url, "events": ["role.published"]}, format="json")
    assert created.status_code == 201
    theirs = created.json()["id"]
    assert ids(acme.client.get("/api/v1/webhooks/")) == set()
    assert acme.client.get(f"/api/v1/webhooks/{theirs}/").status_code == 404
    assert acme.client.delete(f"/api/v1/webhooks/{theirs}/").status_code == 404
    assert WebhookSubscription.objects.filter(pk=theirs).exists()
    assert rival.client.delete(f"/api/v1/webhooks/{theirs}/").status_code == 204
    assert not WebhookSubscription.objects.filter(pk=theirs).exists()


@pytest.mark.parametrize("name", ["to_rival", "unpublished", "draft"])
def test_submitting_to_a_role_not_published_to_the_partner_is_refused_like_a_missing_one(acme, roles, name):
    body = {"name": "Ada", "email": "ada@example.org", "consent": True, "consent_notice_version": "2026-01"}
    hidden = acme.client.post("/api/v1/candidates/", {**body, "role_ids": [roles[name].pk]}, format="json")
    missing = acme.client.post("/api/v1/candidates/", {**body, "role_ids": [999999]}, format="json")
    assert hidden.status_code == missing.status_code == 400
    assert hidden.json()["error"]["fields"]["role_ids"] == [f"Unknown role id(s): {roles[name].pk}."]
    assert not Submission.objects.exists()
