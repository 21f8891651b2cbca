"""The outbox: queued with the caller's transaction, claimed before sending, retried, failed, swept."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from candidates.models import CandidateStatus
from messaging import outbox
from messaging.models import Message, MessageStatus
from tests import factories

pytestmark = pytest.mark.django_db


def queue(**kwargs):
    return outbox.message_queue(**{"to_email": "lin@mail.example", "subject": "Hello", "body": "Hi.", **kwargs})


def test_a_message_is_sent_after_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = queue()
        assert mail.outbox == []
    assert len(callbacks) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, len(mail.outbox)) == (MessageStatus.SENT, 1, 1)
    assert message.sent_at is not None


def test_a_rolled_back_transaction_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            queue()
            raise RuntimeError("the enquiry could not be saved")
    assert not Message.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize("bad", [{"to_email": "not-an-address"}, {"subject": "  "}])
def test_bad_input_is_refused_and_nothing_stored(bad):
    with pytest.raises(ValidationError):
        queue(**bad)
    assert not Message.objects.exists()


def test_a_message_is_sent_once_however_often_its_task_runs():
    message = factories.MessageFactory()
    results = [outbox.message_send(message_id=message.pk) for _ in range(3)]
    assert results == ["sent", "skipped", "skipped"]
    assert len(mail.outbox) == 1


def test_a_message_another_worker_is_sending_is_left_alone():
    message = factories.MessageFactory(status=MessageStatus.SENDING, claimed_at=timezone.now())
    assert outbox.message_send(message_id=message.pk) == "skipped"
    assert mail.outbox == []


def test_a_transient_error_is_retried_later_with_backoff_then_succeeds(settings):
    settings.OUTBOX_RETRY_BASE_SECONDS = 60
    message = factories.MessageFactory(to_email="flaky2-a@mail.example")
    assert outbox.message_send(message_id=message.pk) == "retry"
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.QUEUED, 1)
    assert "SMTPServerDisconnected" in message.last_error
    first_wait = message.next_attempt_at - timezone.now()
    assert datetime.timedelta(seconds=25) < first_wait <= datetime.timedelta(seconds=60)
    assert outbox.message_send(message_id=message.pk) == "skipped"  # not due yet

    Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert outbox.message_send(message_id=message.pk) == "retry"
    message.refresh_from_db()
    assert message.next_attempt_at - timezone.now() > datetime.timedelta(seconds=55)  # doubled, with jitter

    Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert outbox.message_send(message_id=message.pk) == "sent"
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error, len(mail.outbox)) == ("sent", 3, "", 1)


def test_retries_stop_at_the_limit_and_the_message_fails(settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    message = factories.MessageFactory(to_email="flaky9-a@mail.example")
    outbox.message_send(message_id=message.pk)
    Message.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert outbox.message_send(message_id=message.pk) == "failed"
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.FAILED, 2)


def test_a_permanent_error_fails_at_once_with_the_error():
    message = factories.MessageFactory(to_email="bounce-a@mail.example")
    assert outbox.message_send(message_id=message.pk) == "failed"
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.FAILED, 1)
    assert "No such mailbox" in message.last_error


def test_a_failed_message_can_be_retried(django_capture_on_commit_callbacks):
    message = factories.MessageFactory(status=MessageStatus.FAILED, attempts=5, last_error="boom")
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.message_retry(message=message) is True
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert not outbox.message_retry(message=message)  # a sent message is not sent again


def test_do_not_contact_set_after_queueing_still_stops_the_message():
    candidate = factories.CandidateFactory(email="lin@mail.example")
    message = factories.MessageFactory(candidate=candidate, to_email="lin@mail.example")
    candidate.status = CandidateStatus.DO_NOT_CONTACT
    candidate.save()
    assert outbox.message_send(message_id=message.pk) == "cancelled"
    assert mail.outbox == []


def test_the_sweep_sends_lost_and_abandoned_messages_but_not_fresh_ones():
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    lost = factories.MessageFactory(next_attempt_at=long_ago)  # its task never reached a worker
    abandoned = factories.MessageFactory(status=MessageStatus.SENDING, claimed_at=long_ago, attempts=1)
    fresh = factories.MessageFactory()  # its task is surely still in the queue
    in_flight = factories.MessageFactory(status=MessageStatus.SENDING, claimed_at=timezone.now(), attempts=1)
    assert outbox.outbox_sweep() == 2
    statuses = dict(Message.objects.values_list("pk", "status"))
    assert statuses[lost.pk] == statuses[abandoned.pk] == MessageStatus.SENT
    assert (statuses[fresh.pk], statuses[in_flight.pk]) == (MessageStatus.QUEUED, MessageStatus.SENDING)
    assert len(mail.outbox) == 2


def test_retry_delays_grow_exponentially_up_to_a_cap(settings):
    settings.OUTBOX_RETRY_BASE_SECONDS = 10
    settings.OUTBOX_RETRY_MAX_SECONDS = 100
    delays = [outbox.retry_delay(attempts=n) for n in (1, 2, 3, 10)]
    assert 5 <= delays[0] <= 10 and 10 <= delays[1] <= 20 and 20 <= delays[2] <= 40
    assert 50 <= delays[3] <= 100
