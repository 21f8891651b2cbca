"""Time the pipeline dashboard's queries (and the admin index and a role's board) on DATABASE_URL's database.

Usage:
    DEBUG=1 DATABASE_URL=... .venv/bin/python manage.py migrate
    DEBUG=1 DATABASE_URL=... .venv/bin/python manage.py seed_demo --candidates 50000 --roles 300 \\
        --submissions 100000 --seed 7
    DEBUG=1 DATABASE_URL=... .venv/bin/python bench/dashboard.py
Prints, per measurement, the median of 5 runs in milliseconds and the number of SQL queries.
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sonitec.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from pipelines import selectors  # noqa: E402
from pipelines.models import StageChange, Submission  # noqa: E402
from roles.models import Role  # noqa: E402
from sonitec.models import User  # noqa: E402

RUNS = 5


def measure(name, function) -> None:
    timings, queries = [], 0
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            function()
            timings.append((time.perf_counter() - started) * 1000)
        queries = len(captured.captured_queries)
    print(f"{name:<34} {statistics.median(timings):8.1f} ms  {queries:3d} queries")


def main() -> None:
    print(
        f"{connection.vendor}: {Submission.objects.count():,} submissions, "
        f"{StageChange.objects.count():,} stage changes"
    )
    measure("dashboard_build (all figures)", selectors.dashboard_build)
    measure("dashboard_cached, nothing changed", selectors.dashboard_cached)
    measure("  median_days_in_stage", selectors.median_days_in_stage)
    measure("  median_days_to_fill", selectors.median_days_to_fill)
    measure("  recruiter_pipelines", selectors.recruiter_pipelines)
    user = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        "bench-dashboard", "bench@sonitec.example", None
    )
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    measure("GET /admin/ (index, dashboard cached)", lambda: client.get("/admin/"))
    busiest = Role.objects.annotate(n=Count("submissions")).order_by("-n").first()
    if busiest is not None:
        measure(f"GET board ({busiest.n} cards)", lambda: client.get(f"/admin/roles/role/{busiest.pk}/board/"))


if __name__ == "__main__":
    main()
