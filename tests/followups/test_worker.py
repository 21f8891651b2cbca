"""Against a real Redis and real Celery worker processes (not eager mode): exactly once, through worker
crashes and a Redis outage; transient errors retried, permanent ones failed.

The worker records each delivery in a table, in the same transaction that marks the message sent
(tests/followups/mailbackends.py), so the test can count deliveries per message.
"""

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import kombu.pools
import pytest
import redis
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from messaging import outbox
from messaging.models import Message, MessageStatus
from sonitec import events
from sonitec.celery import app as celery_app
from tests import factories
from tests.seeding import reseed_migration_data

from .mailbackends import SENT_TABLE

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _seeded_rows(request, django_db_setup):
    """A transactional test empties every table, seeded rows included, when it ends (see conftest.py)."""
    reseed_migration_data()
    request.node.stash[RESEED_AFTER] = True


ROOT = Path(__file__).resolve().parents[2]
CELERY = str(Path(sys.executable).with_name("celery"))
PRIVATE_REDIS_PORT = 6390
RESEED_AFTER = pytest.StashKey[bool]()


def _database_url() -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def sent_table():
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {SENT_TABLE} (id serial PRIMARY KEY, message_id integer, "
            "to_email text, pid integer)"
        )
        cursor.execute(f"TRUNCATE {SENT_TABLE}")
    yield
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {SENT_TABLE}")


def deliveries() -> dict[int, int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT message_id, count(*) FROM {SENT_TABLE} GROUP BY message_id")  # noqa: S608
        return dict(cursor.fetchall())


class Broker:
    """Points this process's Celery app at a Redis URL (and back), dropping pooled connections."""

    def __init__(self, url: str):
        self.url = url

    def use(self):
        celery_app.conf.broker_url = self.url
        celery_app.conf.task_always_eager = False
        celery_app.conf.broker_connection_retry = False
        celery_app.conf.broker_connection_max_retries = 0
        self.reset()

    @staticmethod
    def reset():
        kombu.pools.reset()  # closes and forgets every pooled connection and producer
        celery_app._pool = None
        celery_app.amqp._producer_pool = None

    def purge(self):
        client = redis.Redis.from_url(self.url)
        client.delete("celery", "unacked", "unacked_index")
        client.close()


@pytest.fixture
def broker():
    saved = {
        k: celery_app.conf[k]
        for k in ("broker_url", "task_always_eager", "broker_connection_retry", "broker_connection_max_retries")
    }
    made = []

    def use(url: str) -> Broker:
        b = Broker(url)
        b.use()
        b.purge()
        made.append(b)
        return b

    yield use
    for key, value in saved.items():
        celery_app.conf[key] = value
    Broker.reset()


@pytest.fixture
def workers(tmp_path):
    """Start Celery worker processes in their own process group; all are SIGKILLed at the end."""
    started = []

    def start(redis_url: str, *, concurrency: int = 2, **env) -> subprocess.Popen:
        log = tmp_path / f"worker-{uuid.uuid4().hex[:6]}.log"
        process = subprocess.Popen(
            [
                CELERY,
                "-A",
                "sonitec",
                "worker",
                "--pool=prefork",
                f"--concurrency={concurrency}",
                "--loglevel=info",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                f"--hostname=test-{uuid.uuid4().hex[:8]}@%h",
            ],
            cwd=ROOT,
            start_new_session=True,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            env={
                **os.environ,
                "DEBUG": "1",
                "DATABASE_URL": _database_url(),
                "REDIS_URL": redis_url,
                "EMAIL_BACKEND": "tests.followups.mailbackends.RecordingBackend",
                "OUTBOX_RETRY_BASE_SECONDS": "0.2",
                "CONN_MAX_AGE": "0",
                **env,
            },
        )
        started.append(process)
        deadline = time.monotonic() + 30
        while " ready." not in log.read_text():
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"the worker did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.1)
        return process

    yield start
    for process in started:
        kill(process)


def kill(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def wait_until(check, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def queue_messages(count: int, prefix: str = "person") -> list[int]:
    with transaction.atomic():
        return [
            outbox.message_queue(to_email=f"{prefix}{n}@mail.example", subject=f"Message {n}", body="Hello.").pk
            for n in range(count)
        ]


def sent_count(ids) -> int:
    return Message.objects.filter(pk__in=ids, status=MessageStatus.SENT).count()


def test_200_messages_each_sent_exactly_once_even_with_every_task_delivered_twice(sent_table, broker, workers):
    broker(settings.REDIS_URL)
    workers(settings.REDIS_URL, concurrency=4)
    ids = queue_messages(200)
    outbox._enqueue(ids)  # every message's task a second time: the claim must stop the second send
    wait_until(lambda: sent_count(ids) == 200, timeout=40, what="200 messages sent")
    assert deliveries() == {pk: 1 for pk in ids}


def test_a_worker_killed_mid_batch_loses_nothing_and_sends_nothing_twice(sent_table, broker, workers):
    broker(settings.REDIS_URL)
    first = workers(settings.REDIS_URL, concurrency=4, RECORDING_BACKEND_DELAY="0.02")
    ids = queue_messages(200)
    wait_until(lambda: sent_count(ids) >= 40, timeout=30, what="the batch to be under way")
    kill(first)  # SIGKILL to the whole process group: tasks in flight die with it
    assert sent_count(ids) < 200
    # What the killed worker held stays unacknowledged in Redis for the visibility timeout; the periodic sweep
    # (run here directly) puts abandoned "sending" messages back and enqueues everything queued again.
    outbox.outbox_sweep(stale_after=timezone.timedelta(0), sending_timeout=timezone.timedelta(0))
    workers(settings.REDIS_URL, concurrency=4)
    wait_until(lambda: sent_count(ids) == 200, timeout=40, what="all 200 sent after the restart")
    assert deliveries() == {pk: 1 for pk in ids}


def test_a_transient_error_is_retried_and_a_permanent_one_ends_failed(sent_table, broker, workers):
    broker(settings.REDIS_URL)
    workers(settings.REDIS_URL)
    flaky = queue_messages(1, prefix="flaky2-")[0]
    bounce = queue_messages(1, prefix="bounce-")[0]
    wait_until(
        lambda: Message.objects.filter(pk__in=[flaky, bounce], status__in=["sent", "failed"]).count() == 2,
        timeout=20,
        what="both messages to settle",
    )
    flaky_row, bounce_row = Message.objects.get(pk=flaky), Message.objects.get(pk=bounce)
    assert (flaky_row.status, flaky_row.attempts) == (MessageStatus.SENT, 3)
    assert (bounce_row.status, bounce_row.attempts) == (MessageStatus.FAILED, 1)
    assert "550" in bounce_row.last_error
    assert deliveries() == {flaky: 1}


@pytest.fixture
def private_redis(tmp_path):
    """A Redis of our own that the test may stop and start again (never the shared one)."""
    if shutil.which("redis-server") is None:
        pytest.skip("needs redis-server")
    processes = []

    def start():
        process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(PRIVATE_REDIS_PORT),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(tmp_path),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        processes.append(process)
        client = redis.Redis(port=PRIVATE_REDIS_PORT)
        wait_until(lambda: _pings(client), timeout=10, what="the private Redis")
        return process

    def stop():
        for process in processes:
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=10)

    start.stop = stop
    yield start
    stop()


def _pings(client) -> bool:
    try:
        return client.ping()
    except redis.ConnectionError:
        return False


def test_an_enquiry_submitted_while_redis_is_down_is_acknowledged_once_it_is_back(
    sent_table, broker, workers, private_redis
):
    url = f"redis://127.0.0.1:{PRIVATE_REDIS_PORT}/0"
    private_redis()
    broker(url)
    private_redis.stop()

    with transaction.atomic():
        enquiry = factories.EnquiryFactory(email="ada@engines.example")
        events.enquiry_received(enquiry)
    # The enquiry is stored and its acknowledgement waits in the outbox; the visitor saw no error.
    message = Message.objects.get(enquiry=enquiry)
    assert message.status == MessageStatus.QUEUED

    private_redis()
    Broker.reset()
    workers(url)
    outbox.outbox_sweep(stale_after=timezone.timedelta(0))  # what beat runs every minute
    wait_until(
        lambda: Message.objects.get(pk=message.pk).status == MessageStatus.SENT,
        timeout=20,
        what="the acknowledgement to be sent",
    )
    assert deliveries() == {message.pk: 1}
