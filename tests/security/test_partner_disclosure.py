"""A partner learns nothing about records it may not see: not from filters, not from the candidate POST."""

import pytest

from candidates.models import Consent, ConsentPurpose
from pipelines.models import Activity, Stage, Submission
from pipelines.services import submission_representation_problems
from roles.models import PartnerVisibility
from tests.factories import CandidateFactory, RoleFactory, SubmissionFactory

BODY = {"name": "Ada", "consent": True, "consent_notice_version": "2026-01"}


def test_submission_filter_answers_the_same_for_an_unknown_role_and_a_hidden_one(acme, rival):
    hidden = RoleFactory(partner_visibility=PartnerVisibility.SELECTED)
    hidden.partners.add(rival.partner)
    SubmissionFactory(role=hidden, source="partner", source_partner=rival.partner)
    unknown = acme.client.get("/api/v1/submissions/", {"role": 987654})
    invisible = acme.client.get("/api/v1/submissions/", {"role": hidden.pk})
    assert unknown.status_code == invisible.status_code == 200
    assert unknown.json() == invisible.json()
    assert invisible.json()["results"] == []


def test_submission_filter_by_role_finds_the_partners_own(acme, public_role):
    mine = SubmissionFactory(role=public_role, source="partner", source_partner=acme.partner)
    response = acme.client.get("/api/v1/submissions/", {"role": public_role.pk})
    assert [row["id"] for row in response.json()["results"]] == [mine.pk]


@pytest.mark.parametrize("holder", ["rival", "recruiter"])
def test_candidate_post_answers_the_same_when_the_person_is_in_the_pipeline_through_someone_else(
    acme, rival, public_role, holder
):
    fresh = acme.client.post(
        "/api/v1/candidates/", {**BODY, "email": "new@example.org", "role_ids": [public_role.pk]}, format="json"
    )
    known = CandidateFactory(email="known@example.org")
    source_partner = rival.partner if holder == "rival" else None
    theirs = SubmissionFactory(
        candidate=known,
        role=public_role,
        source="partner" if source_partner else "sourced",
        source_partner=source_partner,
    )
    again = acme.client.post(
        "/api/v1/candidates/", {**BODY, "email": known.email, "role_ids": [public_role.pk]}, format="json"
    )
    assert fresh.status_code == again.status_code == 201
    assert fresh.json() == again.json() == {"received": True, "role_ids": [public_role.pk]}
    assert Submission.objects.get(candidate=known) == theirs
    assert Activity.objects.get(submission=theirs).subject == "Also submitted by partner Acme Jobs"


def test_a_partners_attestation_does_not_clear_the_consent_gate_of_a_submission_it_does_not_own(acme, public_role):
    known = CandidateFactory(email="known@example.org")
    recruiters = SubmissionFactory(candidate=known, role=public_role, stage=Stage.SCREENED)
    acme.client.post("/api/v1/candidates/", {**BODY, "email": known.email, "role_ids": [public_role.pk]}, format="json")
    # Even an attestation stored for this role (as older versions did) does not count for the recruiter's submission.
    Consent.objects.create(
        candidate=known, purpose=ConsentPurpose.REPRESENTATION, role=public_role, method="partner", partner=acme.partner
    )
    problems = submission_representation_problems(submission=recruiters)
    assert any("no recorded consent" in problem for problem in problems)


def test_a_partners_attestation_clears_the_gate_for_its_own_submission(acme, public_role):
    response = acme.client.post(
        "/api/v1/candidates/", {**BODY, "email": "ada@example.org", "role_ids": [public_role.pk]}, format="json"
    )
    assert response.status_code == 201
    own = Submission.objects.get(source_partner=acme.partner)
    assert not any("consent" in problem for problem in submission_representation_problems(submission=own))
