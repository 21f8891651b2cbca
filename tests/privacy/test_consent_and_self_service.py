"""Consents expire per purpose and expired counts as absent; every candidate email carries a signed link to a
self-service page where people see their consents, withdraw them at once, and ask for a copy or erasure."""

import datetime
import re

import pytest
from dateutil.relativedelta import relativedelta
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from candidates.models import ConsentPurpose
from candidates.selectors import candidate_self_service_token, consent_is_current
from messaging.followups import followups_dispatch_due, followups_schedule_reengage
from messaging.models import FollowUp, FollowUpStatus, Message, RuleKey
from pipelines.models import Stage
from pipelines.services import submission_representation_problems
from privacy.models import PrivacyRequest, PrivacyRequestKind
from tests.factories import (
    CandidateFactory,
    ConsentFactory,
    FollowUpFactory,
    RoleFactory,
    SubmissionFactory,
    seeded_rule,
)

NOW = timezone.now()


def months_ago(months: int) -> datetime.datetime:
    return NOW - datetime.timedelta(days=31 * months)


@pytest.mark.django_db
def test_data_processing_consent_lasts_from_the_last_contact(settings):
    settings.CONSENT_DATA_PROCESSING_MONTHS = 24
    candidate = CandidateFactory(last_activity_at=months_ago(25))
    ConsentFactory(candidate=candidate, purpose=ConsentPurpose.DATA_PROCESSING, given_at=months_ago(30))
    assert not consent_is_current(candidate=candidate)
    candidate.last_activity_at = months_ago(3)  # a meaningful contact renews the clock
    candidate.save()
    assert consent_is_current(candidate=candidate)


@pytest.mark.django_db
def test_marketing_consent_expires_and_then_no_reengagement_is_scheduled(settings):
    settings.CONSENT_MARKETING_MONTHS = 24
    fresh = CandidateFactory(last_activity_at=months_ago(12))
    stale = CandidateFactory(last_activity_at=months_ago(12))
    ConsentFactory(candidate=fresh, purpose=ConsentPurpose.MARKETING, given_at=months_ago(20))
    ConsentFactory(candidate=stale, purpose=ConsentPurpose.MARKETING, given_at=months_ago(25))

    followups_schedule_reengage()

    scheduled = set(FollowUp.objects.filter(rule__key=RuleKey.REENGAGE).values_list("candidate_id", flat=True))
    assert scheduled == {fresh.pk}


@pytest.mark.django_db
def test_representation_consent_lapses_some_days_after_the_role_closes(settings):
    settings.CONSENT_REPRESENTATION_DAYS_AFTER_CLOSE = 30
    role = RoleFactory(closed_on=timezone.localdate() - datetime.timedelta(days=31))
    submission = SubmissionFactory(role=role, stage=Stage.SHORTLISTED)
    ConsentFactory(candidate=submission.candidate, purpose=ConsentPurpose.REPRESENTATION, role=role)
    assert any(
        "no recorded consent" in problem for problem in submission_representation_problems(submission=submission)
    )
    role.closed_on = timezone.localdate() - datetime.timedelta(days=10)
    role.save()
    assert not submission_representation_problems(submission=submission)


@pytest.mark.django_db
def test_every_candidate_email_carries_the_self_service_link():
    candidate = CandidateFactory(email="ada@example.org")
    ConsentFactory(candidate=candidate, purpose=ConsentPurpose.DATA_PROCESSING)
    FollowUpFactory(candidate=candidate)

    followups_dispatch_due()

    body = Message.objects.get(to_email="ada@example.org").body
    link = re.search(r"https?://\S+/privacy/me/(\S+)/", body)
    assert link is not None
    assert signing.loads(link.group(1), salt="candidates.self-service")["candidate"] == candidate.pk


@pytest.fixture
def candidate(db):
    candidate = CandidateFactory(name="Ada Byron", email="ada@example.org")
    ConsentFactory(candidate=candidate, purpose=ConsentPurpose.DATA_PROCESSING)
    ConsentFactory(candidate=candidate, purpose=ConsentPurpose.MARKETING)
    return candidate


def self_service_url(candidate) -> str:
    return reverse("public:privacy_self_service", args=[candidate_self_service_token(candidate=candidate)])


@pytest.mark.django_db
def test_the_page_lists_the_consents_held(client, candidate):
    page = client.get(self_service_url(candidate)).content.decode()
    assert "Hold and process personal data" in page and "Receive news and job alerts" in page
    assert "in force" in page


@pytest.mark.django_db
def test_withdrawing_marketing_stops_it_at_once(client, candidate):
    url = self_service_url(candidate)

    response = client.post(url, {"action": "withdraw", "purposes": [ConsentPurpose.MARKETING]})

    assert response.status_code == 302
    assert not consent_is_current(candidate=candidate, purpose=ConsentPurpose.MARKETING)
    assert consent_is_current(candidate=candidate, purpose=ConsentPurpose.DATA_PROCESSING)
    assert "withdrawn" in client.get(url).content.decode()
    assert followups_schedule_reengage() == 0


@pytest.mark.django_db
def test_asking_for_erasure_creates_a_task_for_the_data_protection_owner(client, candidate, settings):
    settings.DPO_EMAIL = "dpo@sonitec.example"
    url = self_service_url(candidate)

    client.post(url, {"action": "erasure"})
    client.post(url, {"action": "erasure"})  # asking twice is one task

    task = PrivacyRequest.objects.get()
    assert task.kind == PrivacyRequestKind.ERASURE and task.candidate == candidate
    assert task.due_on == timezone.localdate() + relativedelta(months=1)
    message = Message.objects.get(to_email="dpo@sonitec.example")
    assert "erasure" in message.subject.lower() and str(task.due_on) in message.subject


@pytest.mark.django_db
def test_a_tampered_or_erased_link_shows_nothing(client, candidate):
    token = candidate_self_service_token(candidate=candidate)
    assert client.get(reverse("public:privacy_self_service", args=[token + "x"])).status_code == 404
    candidate.anonymised_at = timezone.now()
    candidate.save()
    assert client.get(reverse("public:privacy_self_service", args=[token])).status_code == 404


@pytest.mark.django_db
def test_a_pending_marketing_followup_is_cancelled_on_withdrawal(client, candidate):
    followup = FollowUpFactory(candidate=candidate, rule=seeded_rule(RuleKey.REENGAGE))
    client.post(self_service_url(candidate), {"action": "withdraw", "purposes": [ConsentPurpose.MARKETING]})
    followup.refresh_from_db()
    assert followup.status == FollowUpStatus.CANCELLED


@pytest.mark.django_db
def test_the_privacy_page_states_the_periods_the_code_uses(client, settings):
    settings.RETENTION_MONTHS = 37
    settings.RECORDS_KEEP_MONTHS = 13
    settings.CONSENT_MARKETING_MONTHS = 19
    settings.SPAM_RETENTION_DAYS = 11
    settings.ACCESS_LOG_MONTHS = 29
    page = client.get(reverse("public:privacy")).content.decode()
    for name in [
        "RETENTION_MONTHS",
        "RETENTION_RENEWAL_ANSWER_DAYS",
        "RECORDS_KEEP_MONTHS",
        "LEAD_RETENTION_MONTHS",
        "SPAM_RETENTION_DAYS",
        "CONSENT_DATA_PROCESSING_MONTHS",
        "CONSENT_MARKETING_MONTHS",
        "CONSENT_REPRESENTATION_DAYS_AFTER_CLOSE",
        "ACCESS_LOG_MONTHS",
    ]:
        assert f'data-setting="{name}">{getattr(settings, name)}<' in page, name
