"""Retention: people with no lawful basis left are asked once to renew, then anonymised if they do not answer;
legal holds win; old enquiries, intakes and spam are purged; dry runs change nothing; runs are idempotent."""

import datetime
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from candidates.models import Candidate, ConsentPurpose
from leads.models import Enquiry, TriageStatus
from messaging.models import Message
from privacy.models import RenewalOutcome, RenewalRequest, RetentionRun
from privacy.services import consent_renew, retention_run
from tests.factories import (
    CandidateFactory,
    ConsentFactory,
    EnquiryFactory,
    PillarFactory,
    PlacementFactory,
    SubmissionFactory,
)

NOW = timezone.now()
LATER = NOW + datetime.timedelta(days=31)  # past the 30 days a renewal request waits for an answer


def ago(days: int) -> datetime.datetime:
    return NOW - datetime.timedelta(days=days)


def quiet_person(name: str, email: str = "", **extra) -> Candidate:
    """Last contact and consent about 30 months ago: no lawful basis left."""
    candidate = CandidateFactory(
        name=name, email=email or f"{name.split()[0].lower()}@example.org", last_activity_at=ago(900), **extra
    )
    Candidate.objects.filter(pk=candidate.pk).update(created_at=ago(950))
    ConsentFactory(candidate=candidate, purpose=ConsentPurpose.DATA_PROCESSING, given_at=ago(900))
    return candidate


@pytest.fixture
def people(db):
    quiet = quiet_person("Quentin Quiet")
    recent = CandidateFactory(name="Rita Recent", last_activity_at=ago(30))
    ConsentFactory(candidate=recent, purpose=ConsentPurpose.DATA_PROCESSING, given_at=ago(30))
    held = quiet_person("Hector Held")
    placement = PlacementFactory(submission=SubmissionFactory(candidate=held, stage="placed"))
    placement.start_date = timezone.localdate() - datetime.timedelta(days=200)  # within RECORDS_KEEP_MONTHS
    placement.guarantee_ends_on = placement.start_date + datetime.timedelta(days=90)
    placement.save()
    return {"quiet": quiet, "recent": recent, "held": held}


@pytest.mark.django_db
def test_a_dry_run_lists_who_would_be_asked_and_changes_nothing(people, capsys):
    call_command("retention", "--dry-run")

    out = capsys.readouterr().out
    assert "Would ask 1 people" in out and f"#{people['quiet'].pk} Quentin Quiet" in out
    assert "Rita Recent" not in out and "Hector Held" not in out
    assert not Message.objects.exists() and not RenewalRequest.objects.exists() and not RetentionRun.objects.exists()


@pytest.mark.django_db
def test_people_are_asked_once_then_anonymised_if_they_do_not_answer(people):
    quiet = people["quiet"]

    first = retention_run(now=NOW)
    again = retention_run(now=NOW)

    assert (first.renewal_requests_sent, again.renewal_requests_sent) == (1, 0)
    message = Message.objects.get()
    assert message.to_email == quiet.email and "/privacy/me/" in message.body
    assert RenewalRequest.objects.get().outcome == RenewalOutcome.PENDING

    later = retention_run(now=LATER)

    assert later.candidates_anonymised == 1
    quiet.refresh_from_db()
    assert quiet.anonymised_at is not None and quiet.email == ""
    assert RenewalRequest.objects.get().outcome == RenewalOutcome.ANONYMISED
    for other in ("recent", "held"):
        assert Candidate.objects.get(pk=people[other].pk).anonymised_at is None
    assert retention_run(now=LATER).candidates_anonymised == 0
    assert list(RetentionRun.objects.order_by("started_at").values_list("candidates_anonymised", flat=True)) == [
        0,
        0,
        1,
        0,
    ]


@pytest.mark.django_db
def test_renewing_through_the_link_keeps_the_record(people):
    retention_run(now=NOW)
    consent_renew(candidate=people["quiet"])

    retention_run(now=LATER)

    assert Candidate.objects.get(pk=people["quiet"].pk).anonymised_at is None
    assert RenewalRequest.objects.get().outcome == RenewalOutcome.RENEWED


@pytest.mark.django_db
def test_old_enquiries_and_spam_are_purged_but_converted_ones_kept(db, settings):
    settings.LEAD_RETENTION_MONTHS = 24
    settings.SPAM_RETENTION_DAYS = 30
    old = EnquiryFactory(created_at=ago(800))
    converted = EnquiryFactory(created_at=ago(800), status=TriageStatus.CONVERTED)
    old_spam = EnquiryFactory(created_at=ago(40), status=TriageStatus.SPAM)
    new_spam = EnquiryFactory(created_at=ago(10), status=TriageStatus.SPAM)
    answer = Message.objects.create(to_email=old.email, to_name=old.name, subject="Thanks", body="Hi", enquiry=old)

    run = retention_run(now=NOW)

    assert run.enquiries_purged == 2
    assert set(Enquiry.objects.values_list("pk", flat=True)) == {converted.pk, new_spam.pk}
    answer.refresh_from_db()
    assert answer.to_email == "" and answer.enquiry is None
    assert old_spam.pk not in set(Enquiry.objects.values_list("pk", flat=True))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_ask_each_person_once():
    pillar = PillarFactory()  # transactional tests that ran before may have flushed the seeded pillars
    for number in range(6):
        quiet_person(f"Person{number} Quiet", email=f"p{number}@example.org", primary_pillar=pillar)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            retention_run(now=NOW, batch_size=2)
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert RenewalRequest.objects.count() == 6
    assert Message.objects.count() == 6
    assert sum(RetentionRun.objects.values_list("renewal_requests_sent", flat=True)) == 6


@pytest.mark.django_db
def test_on_demo_data_the_dry_run_lists_people_to_ask_and_to_anonymise(capsys):
    call_command("seed_demo", candidates=200, submissions=100, seed=3, verbosity=0)
    capsys.readouterr()

    call_command("retention", "--dry-run")

    out = capsys.readouterr().out
    asked = int(out.split("Would ask ")[1].split(" ")[0])
    anonymised = int(out.split("Would anonymise ")[1].split(" ")[0])
    assert asked > 0 and anonymised > 0
    assert not Candidate.objects.exclude(anonymised_at=None).exists()
