"""Sending in batches: one claim and one mail connection per batch, nothing lost or sent twice when a worker
dies mid-batch."""

import datetime

import pytest
from django.core import mail
from django.db import connection

from messaging import outbox
from messaging.models import Message, MessageStatus
from messaging.tasks import messages_send_task
from tests import factories

from . import mailbackends
from .mailbackends import SENT_TABLE

pytestmark = pytest.mark.django_db


def statuses(messages) -> list[str]:
    return list(Message.objects.filter(pk__in=[m.pk for m in messages]).order_by("pk").values_list("status", flat=True))


def test_a_batch_is_sent_over_one_connection_and_each_message_reports_its_outcome(settings):
    settings.EMAIL_BACKEND = "tests.followups.mailbackends.CountingBackend"
    mailbackends.CountingBackend.opened = 0
    batch = [factories.MessageFactory(to_email=f"p{n}@mail.example") for n in range(2)]
    bounce = factories.MessageFactory(to_email="bounce-a@mail.example")
    batch += [factories.MessageFactory(to_email=f"p{n}@mail.example") for n in range(2, 4)]
    done = factories.MessageFactory(status=MessageStatus.SENT, sent_at=bounce.created_at)
    outcome = outbox.messages_send(ids=[m.pk for m in [*batch, bounce, done]])
    assert outcome == {**{m.pk: "sent" for m in batch}, bounce.pk: "failed", done.pk: "skipped"}
    assert sorted(email.to[0] for email in mail.outbox) == [f"p{n}@mail.example" for n in range(4)]
    # One connection, plus a fresh one after the error (a refused message may leave an SMTP session unusable).
    assert mailbackends.CountingBackend.opened == 2
    assert outbox.messages_send(ids=[m.pk for m in batch]) == {m.pk: "skipped" for m in batch}
    assert len(mail.outbox) == 4


def test_messages_are_enqueued_in_batches(settings, monkeypatch):
    settings.OUTBOX_SEND_BATCH_SIZE = 3
    tasks = []
    monkeypatch.setattr(messages_send_task, "apply_async", lambda args, **options: tasks.append(args))
    outbox._enqueue(list(range(1, 8)))
    assert tasks == [([1, 2, 3],), ([4, 5, 6],), ([7],)]


@pytest.fixture
def sent_table():
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {SENT_TABLE} (message_id integer, to_email text, pid integer)")


def deliveries() -> dict[int, int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT message_id, count(*) FROM {SENT_TABLE} GROUP BY message_id")  # noqa: S608
        return dict(cursor.fetchall())


def test_a_worker_dying_mid_batch_loses_nothing_and_sends_nothing_twice(settings, sent_table):
    """The backend records each delivery in the sending transaction, so a death mid-batch undoes what that batch
    delivered; the messages stay "sending" until the sweep hands them to another worker."""
    settings.EMAIL_BACKEND = "tests.followups.mailbackends.CrashingBackend"
    mailbackends.CrashingBackend.crashed = False
    batch = [factories.MessageFactory(to_email=f"{name}@mail.example") for name in ("a", "b", "crash-c", "d")]
    with pytest.raises(SystemExit):
        outbox.messages_send(ids=[m.pk for m in batch])
    assert statuses(batch) == [MessageStatus.SENDING] * 4
    assert deliveries() == {}
    assert outbox.messages_send(ids=[m.pk for m in batch]) == {m.pk: "skipped" for m in batch}  # still claimed

    outbox.outbox_sweep(sending_timeout=datetime.timedelta(0))
    assert statuses(batch) == [MessageStatus.SENT] * 4
    assert deliveries() == {m.pk: 1 for m in batch}
