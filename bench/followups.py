"""Benchmark of the follow-up engine against real PostgreSQL, Redis and Celery worker processes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sonitec_bench REDIS_URL=redis://127.0.0.1:6379/9 \
        .venv/bin/python bench/followups.py [--followups 100000] [--processes 2]

Use a scratch database and Redis db: the script migrates the database, writes its rows, removes them at the
end, and empties the Celery queues of that Redis db. It seeds N due follow-ups (enquiry acknowledgements, each
to its own address), vacuums and analyses the tables it rewrites, starts one Celery worker with 2 processes and
the file (or locmem) email backend (the engine's cost, not a mail server's), enqueues the dispatch task as beat
would, and waits until every message is sent. It prints the time, the rate and the CPU time of the worker's
processes, and checks exactly once: N messages, one per follow-up, each sent after one claim, and (file backend)
each written to a mail file once.
"""

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sonitec.settings")

import django  # noqa: E402

django.setup()

import redis  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402

from leads.models import Enquiry  # noqa: E402
from messaging.models import FollowUp, FollowUpRule, FollowUpStatus, Message, MessageStatus, RuleKey  # noqa: E402
from messaging.tasks import followups_dispatch_task  # noqa: E402

MARK = "bench-followups"
QUEUES = ("celery", "default", "email", "webhooks", "unacked", "unacked_index")


def purge_queues() -> None:
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.delete(*QUEUES)


def cleanup() -> None:
    FollowUp.objects.filter(dedupe_key__startswith=MARK).delete()
    Message.objects.filter(subject__startswith=MARK).delete()
    Enquiry.objects.filter(company=MARK).delete()
    purge_queues()


def seed(count: int) -> FollowUpRule:
    rule = FollowUpRule.objects.select_related("template").get(key=RuleKey.ENQUIRY_ACK)
    now = timezone.now()
    run = f"{now:%H%M%S}"  # fresh addresses each run: an address gets one acknowledgement a day
    enquiries = Enquiry.objects.bulk_create(
        [
            Enquiry(
                name=f"Person {n}",
                email=f"e{n}-{run}@bench.example",
                company=MARK,
                message="Hello.",
                consent_at=now,
                consent_notice_version="bench",
            )
            for n in range(count)
        ],
        batch_size=5000,
    )
    FollowUp.objects.bulk_create(
        [FollowUp(rule=rule, due_at=now, enquiry=e, dedupe_key=f"{MARK}:{e.pk}") for e in enquiries],
        batch_size=5000,
    )
    return rule


def vacuum_analyze() -> None:
    """What autovacuum does for tables this size in production: drop the rows earlier runs deleted and update the
    planner's statistics. Each run deletes and writes hundreds of thousands of rows, and a development server may
    run with autovacuum off, which would leave the planner costing the seeded tables as empty."""
    with connection.cursor() as cursor:
        for model in (Enquiry, FollowUp, Message):
            cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")


BACKENDS = {
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
}


def start_worker(processes: int, backend: str, mail_dir: str, log: Path) -> subprocess.Popen:
    celery = str(Path(sys.executable).with_name("celery"))
    process = subprocess.Popen(
        [
            celery,
            "-A",
            "sonitec",
            "worker",
            "--pool=prefork",
            f"--concurrency={processes}",
            "--loglevel=warning",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            f"--hostname=bench{processes}@%h",
        ],
        cwd=ROOT,
        start_new_session=True,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        env={
            **os.environ,
            "EMAIL_BACKEND": BACKENDS[backend],
            "EMAIL_URL": f"filemail://{mail_dir}",
            "LOG_LEVEL": "WARNING",
        },
    )
    # The worker is ready once it answers a ping.
    deadline = time.monotonic() + 60
    while not followups_dispatch_task.app.control.ping(timeout=0.5):
        if process.poll() is not None or time.monotonic() > deadline:
            sys.exit(f"worker failed:\n{log.read_text()[-3000:]}")
    return process


def worker_cpu(session: int) -> float:
    """CPU seconds used so far by the worker's processes (the worker and its pool run in their own session).
    Linux only: read from /proc."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        if int(fields[3]) == session:
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # user and system time
    return total


def delivered(mail_dir: str) -> Counter[int]:
    """How many times each message was written out, from the X-Sonitec-Message header of every mail file."""
    pattern = re.compile(rb"^X-Sonitec-Message: (\d+)\r?$", re.MULTILINE)
    counts: Counter[int] = Counter()
    for path in Path(mail_dir).iterdir():
        counts.update(int(pk) for pk in pattern.findall(path.read_bytes()))
    return counts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--followups", type=int, default=100_000)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument(
        "--backend", choices=BACKENDS, default="file", help="file: every email is written out and counted"
    )
    args = parser.parse_args()
    if not settings.REDIS_URL or settings.DATABASES["default"]["ENGINE"] != "sonitec.postgresql":
        sys.exit("Set DATABASE_URL (PostgreSQL) and REDIS_URL: this measures the real services.")
    call_command("migrate", verbosity=0)
    cleanup()
    count = args.followups
    rule = seed(count)
    vacuum_analyze()
    # Tag the messages for the clean-up and the count: the seeded subject does not start with MARK.
    rule.template.subject, saved = f"{MARK} {{{{ enquiry.name }}}}", rule.template.subject
    rule.template.save()
    mail_dir = tempfile.mkdtemp(prefix="bench-mail-")
    log = Path(mail_dir).with_suffix(".log")
    worker = start_worker(args.processes, args.backend, mail_dir, log)
    ours = Message.objects.filter(subject__startswith=MARK)
    try:
        cpu_at_start = worker_cpu(worker.pid)  # after Django's start-up in the worker
        started = time.perf_counter()
        followups_dispatch_task.delay()
        dispatched_at = None
        # Two index look-ups a poll (any follow-up still pending? any message not yet sent?), so polling often
        # costs the database next to nothing; counting every message each time did. The counts come at the end.
        pending = FollowUp.objects.filter(dedupe_key__startswith=MARK, status=FollowUpStatus.PENDING)
        unsent = ours.filter(status__in=[MessageStatus.QUEUED, MessageStatus.SENDING])
        while dispatched_at is None or unsent.exists():
            if time.perf_counter() - started > args.timeout:
                sys.exit(f"not done after {args.timeout} s: {Counter(ours.values_list('status', flat=True))}")
            if worker.poll() is not None:
                sys.exit(f"worker stopped:\n{log.read_text()[-3000:]}")
            if dispatched_at is None and not pending.exists():
                dispatched_at = time.perf_counter() - started
                continue  # the messages were committed with the follow-ups: look at them at once
            time.sleep(0.2)
        elapsed = time.perf_counter() - started
        cpu = worker_cpu(worker.pid) - cpu_at_start
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait()
        rule.template.subject = saved
        rule.template.save()

    per_enquiry = ours.values("enquiry").annotate(n=Count("id")).filter(n__gt=1).count()
    claimed_twice = ours.exclude(attempts=1).count()  # each message claimed once, so sent by one worker once
    written = delivered(mail_dir) if args.backend == "file" else Counter(ours.values_list("pk", flat=True))
    twice = sum(1 for n in written.values() if n > 1)
    print(
        f"{count:,} due follow-ups dispatched and sent by {args.processes} worker processes in {elapsed:.1f} s "
        f"({count / elapsed:,.0f} messages/s; dispatch done after {dispatched_at:.1f} s)"
    )
    print(f"worker CPU: {cpu:.1f} s in all, {cpu / count * 1000:.2f} ms a message (dispatch, send and Celery)")
    print(
        f"exactly once: {ours.count():,} messages, {ours.filter(status=MessageStatus.SENT).count():,} sent, "
        f"{claimed_twice} claimed twice, {per_enquiry} enquiries with two messages"
        + (f", {len(written):,} written to mail files, {twice} written twice" if args.backend == "file" else "")
    )
    ok = ours.count() == count == len(written) and not (twice or per_enquiry or claimed_twice)
    cleanup()
    shutil.rmtree(mail_dir)
    log.unlink()
    sys.exit(0 if ok else "exactly once: FAILED")


if __name__ == "__main__":
    main()
