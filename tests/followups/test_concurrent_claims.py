"""Two workers claiming batches at the same moment, on PostgreSQL (row locks, SKIP LOCKED): never the same row."""

import threading

import pytest
from django.db import connections, transaction
from django.utils import timezone

from messaging import outbox
from messaging.models import Message, MessageStatus
from tests import factories
from tests.seeding import reseed_migration_data

from .test_worker import RESEED_AFTER

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _seeded_rows(request, django_db_setup):
    """An earlier transactional test may have flushed the seeded rows; this test's closing flush will too."""
    reseed_migration_data()
    request.node.stash[RESEED_AFTER] = True


def in_thread(target, *args):
    """Run target in a thread with its own database connection; returns (thread, results)."""
    results: list = []

    def run():
        try:
            results.append(target(*args))
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, results


def test_concurrent_claimers_never_claim_the_same_message_and_skip_rows_being_claimed():
    ids = [factories.MessageFactory(to_email=f"p{n}@mail.example").pk for n in range(60)]

    # A claimer holding locks on the first ten (mid-claim) makes another skip them, without waiting.
    locked, release = threading.Event(), threading.Event()

    def hold_locks():
        with transaction.atomic():
            list(Message.objects.select_for_update().filter(pk__in=ids[:10]))
            locked.set()
            release.wait(10)

    holder, _ = in_thread(hold_locks)
    assert locked.wait(10)
    try:
        assert outbox.messages_claim(ids=ids[:20], now=timezone.now()) == ids[10:20]
    finally:
        release.set()
        holder.join()

    # Two claimers racing for the same forty messages share them out: together all, no message twice.
    barrier = threading.Barrier(2)

    def claim():
        barrier.wait()
        return outbox.messages_claim(ids=ids[20:], now=timezone.now())

    threads = [in_thread(claim) for _ in range(2)]
    for thread, _ in threads:
        thread.join()
    first, second = (results[0] for _, results in threads)
    assert not set(first) & set(second)
    assert sorted(first + second) == ids[20:]
    assert Message.objects.filter(pk__in=ids[:10], status=MessageStatus.QUEUED).count() == 10
