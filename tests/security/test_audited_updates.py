"""Every change a service makes shows in the record's History and in an `updated_since` sync, including the
changes services make to many rows at once (sonitec.audit.audited_update)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from candidates.models import Candidate, CandidateStatus, ConsentPurpose
from clients.merging import client_merge
from clients.models import Contact
from pipelines.models import ActivityKind, Submission
from pipelines.services import activity_log, placement_end, submission_move
from tests import factories

pytestmark = pytest.mark.django_db
BODY = {"name": "Ada", "email": "ada@example.org", "consent": True, "consent_notice_version": "2026-01"}


@pytest.fixture
def staff(recruiter):
    client = APIClient()
    client.force_authenticate(recruiter)
    return client


@pytest.fixture
def since():
    """The moment before the service runs: everything it changes must be fetched by `updated_since`."""
    moment = timezone.now()
    return moment.isoformat()


def synced(staff, path: str, since: str) -> set[int]:
    response = staff.get(f"/api/v1/staff/{path}/", {"updated_since": since, "page_size": 100})
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def history(record) -> list:
    return list(record.history.order_by("-history_date", "-history_id"))


def test_placing_shows_the_candidate_placed_and_the_other_submissions_needing_a_decision(recruiter, staff):
    role = factories.RoleFactory(headcount=1)
    placed, other = factories.SubmissionFactory(role=role, stage="offer"), factories.SubmissionFactory(role=role)
    factories.ConsentFactory(candidate=placed.candidate, purpose=ConsentPurpose.REPRESENTATION, role=role)
    since = timezone.now().isoformat()

    submission_move(
        submission=placed,
        to_stage="placed",
        by=recruiter,
        start_date=datetime.date.today() - datetime.timedelta(days=1),
        agreed_salary=Decimal("100000"),
    )

    candidate = Candidate.objects.get(pk=placed.candidate_id)
    assert history(candidate)[0].status == CandidateStatus.PLACED
    assert candidate.pk in synced(staff, "candidates", since)
    assert history(Submission.objects.get(pk=other.pk))[0].needs_decision is True
    assert other.pk in synced(staff, "submissions", since)

    since = timezone.now().isoformat()
    placement_end(placement=placed.placement, ended_on=datetime.date.today(), reason="Left in week one", by=recruiter)
    assert history(candidate)[0].status == CandidateStatus.ACTIVE
    assert candidate.pk in synced(staff, "candidates", since)


def test_a_partners_new_candidate_records_the_partner_in_history(acme, staff, since):
    assert acme.client.post("/api/v1/candidates/", BODY, format="json").status_code == 201
    candidate = Candidate.objects.get()
    assert history(candidate)[0].source_partner_id == acme.partner.pk
    assert candidate.pk in synced(staff, "candidates", since)


def test_logging_an_activity_resyncs_the_candidate_whose_last_activity_moved(staff):
    candidate = factories.CandidateFactory()
    since = timezone.now().isoformat()
    activity_log(author=None, kind=ActivityKind.NOTE, body="Called", candidate=candidate)
    assert candidate.pk in synced(staff, "candidates", since)


def test_merging_clients_records_the_contacts_that_moved_or_stopped_being_primary(recruiter, staff):
    kept, duplicate = factories.ClientFactory(), factories.ClientFactory()
    factories.ContactFactory(client=kept, is_primary=True)
    moved = factories.ContactFactory(client=duplicate, is_primary=True)
    since = timezone.now().isoformat()

    client_merge(kept=kept, duplicate=duplicate, by=recruiter)

    moved = Contact.objects.get(pk=moved.pk)
    assert (moved.client_id, moved.is_primary) == (kept.pk, False)
    latest = history(moved)[0]
    assert (latest.client_id, latest.is_primary) == (kept.pk, False)
    assert moved.pk in synced(staff, "contacts", since)
