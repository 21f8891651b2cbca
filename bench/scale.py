"""Scale-out: the same mixed workload against 1 and then 2 gunicorn processes, with 1 and then 2 Celery worker
processes, on the same PostgreSQL and Redis. Loopback only, a bounded number of requests per run.

Run (PostgreSQL and Redis required; use a database of its own, the workload adds candidates to it):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sonitec_bench REDIS_URL=redis://127.0.0.1:6379/2 \\
    .venv/bin/python bench/scale.py [--requests 400] [--clients 8] [--port 8201]

The workload, in equal parts: a partner lists published roles (API, 50 a page), a partner submits a candidate
(API POST with an Idempotency-Key), a recruiter searches candidates in the admin, a visitor applies to a role with
a PDF CV (public form, CSRF). Each application queues an acknowledgement email in the outbox, which the Celery
workers send (to an in-memory mail backend). For each configuration it prints throughput, p50/p95 latency and
errors of the web tier, and how long the workers took to empty the outbox.

The load generator runs on the same machine as the servers, PostgreSQL and Redis, so the figures show how the
parts compete for the cores as much as what each adds.
"""

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sonitec.settings")
BIN = Path(sys.executable).parent
SECRET = "bench-only-" + uuid.uuid4().hex * 2
SERVER_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": SECRET,
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "false",
    # The workload is one address hammering the forms and the API: lift the per-IP and per-key limits.
    "PUBLIC_FORM_RATE": "100000/m",
    "API_PARTNER_RATE": "100000/min",
    "API_STAFF_RATE": "100000/min",
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    "GUNICORN_ACCESS_LOG": "",
    "LOG_LEVEL": "WARNING",
}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def setup_django():
    import django

    os.environ.update({k: v for k, v in SERVER_ENV.items() if k not in ("DEBUG",)})
    django.setup()


def prepare(args) -> dict:
    """Migrate, seed a modest CRM if the database is empty, and make a partner key and a staff session."""
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from candidates.models import Candidate
    from partners.services import api_key_create, partner_create
    from roles.models import PartnerVisibility, Role, RoleStatus
    from sonitec.models import User

    if settings.DATABASES["default"]["ENGINE"] != "sonitec.postgresql" or not settings.REDIS_URL:
        sys.exit("bench/scale.py measures the PostgreSQL + Redis stack: set DATABASE_URL and REDIS_URL")
    call_command("migrate", verbosity=0)
    # The servers run with DEBUG off, so they need the hashed static files' manifest.
    subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env={**os.environ, **SERVER_ENV},
        check=True,
    )
    if not Candidate.objects.exists():
        print("seeding: 3,000 candidates, 3,000 submissions, 120 roles ...", flush=True)
        call_command("seed_demo", candidates=3000, submissions=3000, roles=120, clients=20, seed=7, verbosity=0)
    Role.objects.filter(status=RoleStatus.OPEN).update(
        partner_visibility=PartnerVisibility.ALL, published_on_job_board=True
    )
    partner = partner_create(name=f"Bench {uuid.uuid4().hex[:6]}", contact_email="bench@partner.example")
    _, key = api_key_create(partner=partner)
    staff, _ = User.objects.get_or_create(username="bench-recruiter", defaults={"is_staff": True, "is_superuser": True})
    browser = Client()
    browser.force_login(staff)
    open_roles = Role.objects.filter(status=RoleStatus.OPEN)
    return {
        "key": key,
        "session": browser.cookies[settings.SESSION_COOKIE_NAME].value,
        "role_ids": list(open_roles.values_list("pk", flat=True)[:20]),
        "role_slugs": list(open_roles.values_list("slug", flat=True)[:20]),
    }


class Load:
    """Client threads that share a bounded request budget; each request is timed and its status kept."""

    def __init__(self, port: int, fixtures: dict, total: int, clients: int):
        self.port = port
        self.fx = fixtures
        self.remaining = total
        self.lock = threading.Lock()
        self.clients = clients
        self.samples: list[tuple[str, float, int]] = []

    def take(self) -> int | None:
        with self.lock:
            if self.remaining <= 0:
                return None
            self.remaining -= 1
            return self.remaining

    def run(self) -> float:
        threads = [threading.Thread(target=self.client, args=(n,)) for n in range(self.clients)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return time.perf_counter() - started

    def client(self, number: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        csrf = self.csrf_token(conn)
        while (n := self.take()) is not None:
            kind = ("roles", "candidate", "search", "apply")[n % 4]
            started = time.perf_counter()
            try:
                status = getattr(self, kind)(conn, n, csrf)
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                status = 0
            with self.lock:
                self.samples.append((kind, (time.perf_counter() - started) * 1000, status))
        conn.close()

    def request(self, conn, method, path, body=None, headers=None) -> int:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        response.read()
        return response.status

    def csrf_token(self, conn) -> str:
        conn.request("GET", f"/jobs/{self.fx['role_slugs'][0]}/")
        response = conn.getresponse()
        response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie" and value.startswith("csrftoken="):
                return value.split(";", 1)[0].split("=", 1)[1]
        raise RuntimeError("no CSRF cookie on the job page")

    def roles(self, conn, n, csrf) -> int:
        auth = {"Authorization": f"Bearer {self.fx['key']}"}
        return self.request(conn, "GET", "/api/v1/roles/?page_size=50", headers=auth)

    def candidate(self, conn, n, csrf) -> int:
        body = {
            "name": "Bench Candidate",
            "email": f"bench-{uuid.uuid4().hex[:12]}@example.org",
            "consent": True,
            "consent_notice_version": "2026-01",
            "role_ids": [self.fx["role_ids"][n % len(self.fx["role_ids"])]],
        }
        headers = {
            "Authorization": f"Bearer {self.fx['key']}",
            "Content-Type": "application/json",
            "Idempotency-Key": uuid.uuid4().hex,
        }
        return self.request(conn, "POST", "/api/v1/candidates/", json.dumps(body), headers)

    def search(self, conn, n, csrf) -> int:
        term = ("engineer", "data", "ml", "smith", "security")[n % 5]
        headers = {"Cookie": f"sessionid={self.fx['session']}"}
        return self.request(conn, "GET", f"/admin/candidates/candidate/?q={term}", headers=headers)

    def apply(self, conn, n, csrf) -> int:
        boundary = uuid.uuid4().hex
        fields = {
            "csrfmiddlewaretoken": csrf,
            "name": "Bench Applicant",
            "email": f"applicant-{uuid.uuid4().hex[:12]}@example.org",
            "consent": "on",
        }
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n' for k, v in fields.items()
        ]
        body = (
            "".join(parts).encode()
            + (
                f'--{boundary}\r\nContent-Disposition: form-data; name="cv"; filename="cv.pdf"\r\n'
                "Content-Type: application/pdf\r\n\r\n"
            ).encode()
            + PDF
            + f"\r\n--{boundary}--\r\n".encode()
        )
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}", "Cookie": f"csrftoken={csrf}"}
        slug = self.fx["role_slugs"][n % len(self.fx["role_slugs"])]
        return self.request(conn, "POST", f"/jobs/{slug}/apply/", body, headers)


def start(command: list[str], log: Path, extra: dict[str, str]) -> subprocess.Popen:
    env = {**os.environ, **SERVER_ENV, **extra}
    return subprocess.Popen(  # noqa: S603 - our own gunicorn and celery
        command, cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True
    )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_healthy(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/health/")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError("the web server did not become healthy")


def outbox_counts(after_id: int) -> tuple[int, int]:
    from django.db import connection

    from messaging.models import Message, MessageStatus

    connection.close()  # a fresh snapshot each time
    rows = Message.objects.filter(pk__gt=after_id)
    return rows.count(), rows.filter(status=MessageStatus.SENT).count()


def run_config(args, fixtures, web: int, workers: int, results_dir: Path) -> dict:
    from django.db.models import Max

    from messaging.models import Message

    last_message = Message.objects.aggregate(last=Max("pk"))["last"] or 0
    gunicorn = start(
        [str(BIN / "gunicorn"), "--config", "gunicorn.conf.py", "sonitec.wsgi"],
        results_dir / f"gunicorn-{web}.log",
        {"GUNICORN_WORKERS": str(web), "GUNICORN_BIND": f"127.0.0.1:{args.port}"},
    )
    celery = start(
        [
            str(BIN / "celery"),
            "-A",
            "sonitec",
            "worker",
            "--pool=prefork",
            f"--concurrency={workers}",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=WARNING",
            f"--hostname=bench-{uuid.uuid4().hex[:6]}@%h",
        ],
        results_dir / f"celery-{workers}.log",
        {},
    )
    try:
        wait_healthy(args.port)
        time.sleep(3)  # let the worker connect to the broker
        load = Load(args.port, fixtures, args.requests, args.clients)
        elapsed = load.run()
        load_end = time.perf_counter()
        queued, sent = outbox_counts(last_message)
        while sent < queued and time.perf_counter() - load_end < 120:
            time.sleep(0.25)
            queued, sent = outbox_counts(last_message)
        drained_after = time.perf_counter() - load_end
    finally:
        stop(gunicorn)
        stop(celery)
    latencies = sorted(ms for _, ms, _ in load.samples)
    ok = {"roles": {200}, "candidate": {201}, "search": {200}, "apply": {302}}
    errors = sum(1 for kind, _, status in load.samples if status not in ok[kind])
    per_kind = {
        kind: round(statistics.median(ms for k, ms, _ in load.samples if k == kind), 1)
        for kind in ("roles", "candidate", "search", "apply")
    }
    return {
        "web": web,
        "workers": workers,
        "requests": len(load.samples),
        "seconds": round(elapsed, 2),
        "throughput": round(len(load.samples) / elapsed, 1),
        "p50": round(statistics.median(latencies), 1),
        "p95": round(latencies[int(len(latencies) * 0.95) - 1], 1),
        "errors": errors,
        "median_by_kind": per_kind,
        "emails": queued,
        "emails_sent": sent,
        "outbox_drained_after_load_s": round(drained_after, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=400, help="requests per configuration (bounded)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent client threads")
    parser.add_argument("--port", type=int, default=8201, help="loopback port for gunicorn")
    args = parser.parse_args()
    setup_django()
    fixtures = prepare(args)
    results_dir = ROOT / "bench" / "results"
    results_dir.mkdir(parents=True, exist_ok=True)
    print(f"{args.requests} requests per run, {args.clients} client threads, on {os.cpu_count()} cores", flush=True)
    header = f"{'web':>3} {'workers':>7} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'errors':>6}  medians by kind (ms)"
    print(header + "                                   emails  outbox empty after load")
    results = []
    for web, workers in ((1, 1), (2, 2)):
        result = run_config(args, fixtures, web, workers, results_dir)
        results.append(result)
        kinds = ", ".join(f"{k} {v}" for k, v in result["median_by_kind"].items())
        print(
            f"{web:>3} {workers:>7} {result['throughput']:>7} {result['p50']:>8} {result['p95']:>8} "
            f"{result['errors']:>6}  {kinds:<52} {result['emails_sent']}/{result['emails']}  "
            f"{result['outbox_drained_after_load_s']} s",
            flush=True,
        )
    (results_dir / "scale.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
