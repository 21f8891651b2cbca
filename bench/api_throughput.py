"""API lists against their limit, side by side: the project under gunicorn, and a bare WSGI app that runs one SQL
query for the same rows and encodes them as JSON (bench/raw_api.py), both with the same number of workers on the
same PostgreSQL, driven by wrk from loopback with a bounded duration.

Run (PostgreSQL and Redis, wrk from Debian's packages):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/sonitec_bench REDIS_URL=redis://127.0.0.1:6379/9 \\
        .venv/bin/python bench/api_throughput.py [--seconds 10] [--workers 2] [--connections 8]

It migrates that database, adds a bench partner with 300 published roles and 300 submissions and a staff user
(kept for the next run), then prints requests per second for each list, the limit's, and their ratio.
"""

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sonitec.settings")
# The servers and this process sign sessions with the same key, so the staff cookie made here is valid there.
os.environ["SECRET_KEY"] = "bench-only-secret-key-bench-only-secret-key-0123456789"

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from partners.models import Partner  # noqa: E402
from partners.services import api_key_create, partner_create  # noqa: E402
from roles.models import PartnerVisibility, Role, RoleStatus  # noqa: E402
from sonitec.models import User  # noqa: E402
from sonitec.staff_groups import RECRUITER  # noqa: E402
from tests.factories import CandidateFactory, RoleFactory, SkillFactory, SubmissionFactory  # noqa: E402

PARTNER = "Bench partner"
ROWS = 300
PAGE = 100


def seed() -> tuple[str, str]:
    """The bench partner's key and a staff session cookie, creating the rows on the first run."""
    partner = Partner.objects.filter(name=PARTNER).first() or partner_create(
        name=PARTNER,
        contact_email="bench@partner.example",
        scopes=["roles:read", "submissions:read", "candidates:write"],
    )
    if not Role.objects.filter(title__startswith="Bench role").exists():
        skills = [SkillFactory() for _ in range(10)]
        for number in range(ROWS):
            role = RoleFactory(
                title=f"Bench role {number}", status=RoleStatus.OPEN, partner_visibility=PartnerVisibility.ALL
            )
            role.required_skills.set(skills[number % 5 : number % 5 + 3])
            role.nice_to_have_skills.set(skills[5 + number % 3 : 7 + number % 3])
            SubmissionFactory(role=role, candidate=CandidateFactory(), source_partner=partner)
        # Statistics, as autovacuum would gather them on a server: both sides' plans depend on them.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    _, key = api_key_create(partner=partner, name="bench")
    # A recruiter, not a superuser: with DEBUG off a superuser without a two-factor device owes its enrolment, and
    # the staff API then answers 401.
    user, _ = User.objects.update_or_create(username="bench-staff", defaults={"is_staff": True, "is_superuser": False})
    user.groups.add(Group.objects.get(name=RECRUITER))
    client = Client()
    client.force_login(user)
    return key, f"sessionid={client.cookies['sessionid'].value}"


# The servers listen on the first free ports of this range (set BENCH_PORTS=first-last to use another one).
PORTS = range(*(int(n) + i for i, n in enumerate(os.environ.get("BENCH_PORTS", "8121-8129").split("-"))))


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise SystemExit(f"no free port in {PORTS.start}-{PORTS.stop - 1}")


def serve(app: str, workers: int, env: dict[str, str]) -> tuple[subprocess.Popen, int]:
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        app,
        "-w",
        str(workers),
        "-b",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process, port
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"{app} did not start")


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=20)


def drive(url: str, header: str, seconds: int, connections: int) -> tuple[float, int]:
    """Requests per second (wrk, bounded by time) and how many answers were not 2xx."""
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-H", header, url]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return rate, int(errors.group(1)) if errors else 0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("needs wrk: apt-get install wrk")
    call_command("migrate", verbosity=0)
    key, cookie = seed()
    env = {
        **os.environ,
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "API_PARTNER_RATE": "10000000/min",  # the benchmark measures serving, not the throttle's refusals
        "API_STAFF_RATE": "10000000/min",
    }
    lists = [
        ("partner roles", f"/api/v1/roles/?page_size={PAGE}", f"Authorization: Bearer {key}", "roles"),
        (
            "partner submissions",
            f"/api/v1/submissions/?page_size={PAGE}",
            f"Authorization: Bearer {key}",
            "submissions",
        ),
        ("staff candidates", f"/api/v1/staff/candidates/?page_size={PAGE}", f"Cookie: {cookie}", "candidates"),
    ]
    project, project_port = serve("sonitec.wsgi", args.workers, env)
    raw, raw_port = serve("bench.raw_api:app", args.workers, {**env, "BENCH_PARTNER": PARTNER})
    try:
        print(f"{args.workers} gunicorn workers each, wrk -c{args.connections} for {args.seconds} s per figure")
        for label, path, header, raw_path in lists:
            drive(f"http://127.0.0.1:{project_port}{path}", header, 2, args.connections)  # warm up
            rate, errors = drive(f"http://127.0.0.1:{project_port}{path}", header, args.seconds, args.connections)
            if errors:
                raise SystemExit(f"{label}: {errors} answers were not 2xx, so the figure would not be the list's")
            limit, _ = drive(f"http://127.0.0.1:{raw_port}/{raw_path}", header, args.seconds, args.connections)
            print(
                f"{label:<22} API {rate:7.1f} req/s ({errors} errors)   limit {limit:7.1f} req/s   "
                f"ratio {rate / limit:.2f}"
            )
    finally:
        stop(project)
        stop(raw)


if __name__ == "__main__":
    main()
