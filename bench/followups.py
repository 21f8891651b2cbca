"""Benchmark of the follow-up engine against real PostgreSQL and Redis.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sonitec_bench REDIS_URL=redis://127.0.0.1:6379/9 \
        DEBUG=1 .venv/bin/python bench/followups.py [--messages 3000] [--followups 100000]

Use a scratch database and Redis db: the script migrates the database, writes its rows, removes them at the
end, and empties the Celery queue of that Redis db. Measures:
1. messages sent per second by one and by two worker processes (locmem email backend: the engine's cost,
   not a mail server's);
2. how long the dispatcher takes to turn N due follow-ups into queued messages (including enqueueing one
   send task per message on Redis).
"""

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sonitec.settings")

import django  # noqa: E402

django.setup()

import redis  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

from leads.models import Enquiry  # noqa: E402
from messaging import followups, outbox  # noqa: E402
from messaging.models import FollowUp, FollowUpRule, Message, MessageStatus, RuleKey  # noqa: E402

MARK = "bench-followups"


def purge_queue() -> None:
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.delete("celery", "unacked", "unacked_index")


def cleanup() -> None:
    FollowUp.objects.filter(dedupe_key__startswith=MARK).delete()
    Message.objects.filter(subject__startswith=MARK).delete()
    Enquiry.objects.filter(company=MARK).delete()
    purge_queue()


def start_worker(processes: int) -> subprocess.Popen:
    celery = str(Path(sys.executable).with_name("celery"))
    log = Path(f"/tmp/bench-worker-{os.getpid()}.log")  # noqa: S108 - a throwaway log of this run
    process = subprocess.Popen(
        [
            celery,
            "-A",
            "sonitec",
            "worker",
            "--pool=prefork",
            f"--concurrency={processes}",
            "--loglevel=info",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            f"--hostname=bench{processes}@%h",
        ],
        cwd=ROOT,
        start_new_session=True,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        env={**os.environ, "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend", "LOG_LEVEL": "WARNING"},
    )
    while " ready." not in log.read_text():
        if process.poll() is not None:
            sys.exit(f"worker failed:\n{log.read_text()}")
        time.sleep(0.1)
    return process


def bench_send(count: int, processes: int) -> float:
    worker = start_worker(processes)
    try:
        now = timezone.now()
        rows = Message.objects.bulk_create(
            [
                Message(to_email=f"p{n}@bench.example", subject=f"{MARK} {n}", body="Hello.", next_attempt_at=now)
                for n in range(count)
            ],
            batch_size=1000,
        )
        ids = [m.pk for m in rows]
        started = time.perf_counter()
        outbox._enqueue(ids)
        while Message.objects.filter(pk__in=ids, status=MessageStatus.SENT).count() < count:
            time.sleep(0.05)
        elapsed = time.perf_counter() - started
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait()
    assert Message.objects.filter(pk__in=ids, status=MessageStatus.SENT).count() == count
    return count / elapsed


def bench_dispatch(count: int) -> float:
    rule = FollowUpRule.objects.get(key=RuleKey.ENQUIRY_ACK)
    now = timezone.now()
    enquiries = Enquiry.objects.bulk_create(
        [
            Enquiry(
                name=f"Person {n}",
                email=f"e{n}@bench.example",
                company=MARK,
                message="Hello.",
                consent_at=now,
                consent_notice_version="bench",
            )
            for n in range(count)
        ],
        batch_size=2000,
    )
    FollowUp.objects.bulk_create(
        [FollowUp(rule=rule, due_at=now, enquiry=e, dedupe_key=f"{MARK}:{e.pk}") for e in enquiries],
        batch_size=2000,
    )
    # The seeded template's subject does not start with MARK; tag the messages for the clean-up.
    rule.template.subject, saved = f"{MARK} {{{{ enquiry.name }}}}", rule.template.subject
    rule.template.save()
    try:
        started = time.perf_counter()
        dispatched = followups.followups_dispatch_due(now=now)
        elapsed = time.perf_counter() - started
    finally:
        rule.template.subject = saved
        rule.template.save()
    assert dispatched >= count, dispatched
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=3000)
    parser.add_argument("--followups", type=int, default=100_000)
    args = parser.parse_args()
    if not settings.REDIS_URL or settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        sys.exit("Set DATABASE_URL (PostgreSQL) and REDIS_URL: this measures the real services.")
    call_command("migrate", verbosity=0)
    cleanup()
    try:
        for processes in (1, 2):
            rate = bench_send(args.messages, processes)
            print(f"send: {args.messages} messages, {processes} worker process(es): {rate:,.0f} messages/s")
        elapsed = bench_dispatch(args.followups)
        print(
            f"dispatch: {args.followups:,} due follow-ups -> queued messages in {elapsed:,.1f} s "
            f"({args.followups / elapsed:,.0f}/s)"
        )
    finally:
        cleanup()


if __name__ == "__main__":
    main()
