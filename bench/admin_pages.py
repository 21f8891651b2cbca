"""Time the recruiters' busiest admin pages on whatever database DATABASE_URL points at.

Usage (seed first, e.g. 100,000 candidates):
    DEBUG=1 DATABASE_URL=... .venv/bin/python manage.py seed_demo --candidates 100000 --submissions 100000
    DEBUG=1 DATABASE_URL=... .venv/bin/python bench/admin_pages.py
Prints, per page, the median of 5 requests in milliseconds and the number of SQL queries.
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
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from candidates.models import Candidate  # noqa: E402
from roles.models import Role  # noqa: E402
from sonitec.models import User  # noqa: E402

PAGES = [
    "/admin/",
    "/admin/candidates/candidate/",
    "/admin/candidates/candidate/?q=patel",
    "/admin/candidates/candidate/?primary_pillar__id__exact=2&seniority=senior&status=active",
    "/admin/pipelines/submission/",
    "/admin/pipelines/submission/?stage=interview",
    "/admin/roles/role/",
    "/admin/clients/client/",
]


def main() -> None:
    user, _ = User.objects.get_or_create(username="bench", defaults={"is_staff": True, "is_superuser": True})
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    candidate = Candidate.objects.order_by("pk").first()
    role = Role.objects.order_by("pk").first()
    pages = [*PAGES, f"/admin/candidates/candidate/{candidate.pk}/change/", f"/admin/roles/role/{role.pk}/change/"]
    print(f"{Candidate.objects.count():,} candidates on {connection.vendor}")
    for url in pages:
        timings = []
        for _ in range(5):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        print(f"{statistics.median(timings):8.1f} ms {len(queries.captured_queries):4d} queries  {url}")


if __name__ == "__main__":
    main()
