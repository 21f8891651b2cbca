"""Candidate search and role matching at scale: p50 and p95 per query, on whatever DATABASE_URL points at.

Usage (PostgreSQL, a million candidates):
    DATABASE_URL=... .venv/bin/python manage.py seed_demo --candidates 1000000
    DEBUG=1 DATABASE_URL=... .venv/bin/python bench/search.py [--repeat 20]

Times, for each kind of query, the first page of 25 through the search selector (the code behind the Find page,
the admin list and the staff API), then the whole pages over HTTP (admin list, Find page, API, Matches), and
prints milliseconds (p50 / p95 of --repeat runs) and SQL queries per request. seed_demo plants "Lena Usman"
(embedded AI, Bristol, SC) and a role she fits; the queries look for her the way a recruiter would.
"""

import argparse
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

from candidates.admin.search import search_page  # noqa: E402
from candidates.forms import CandidateSearchForm  # noqa: E402
from candidates.models import Candidate  # noqa: E402
from matching.selectors import role_matches  # noqa: E402
from roles.models import Role  # noqa: E402
from sonitec.models import User  # noqa: E402

# name, query parameters (as on the Find page and the API)
SEARCHES = [
    ("name", {"q": "Lena Usman"}),
    ("misspelt name", {"q": "Lena Usmn"}),
    ("skill", {"q": "TensorRT"}),
    ("common skill", {"q": "PyTorch"}),
    ("phrase", {"q": '"edge inference on autonomous drones"'}),
    ("words and exclusion", {"q": "drones jetson -kubernetes"}),
    ("partial email", {"q": "lena.usman@planted"}),
    (
        "filtered",
        {"skills": "onnx,tensorrt", "clearance": "sc", "location": "Bristol", "max_salary": "100000"},
    ),
    ("text and filters", {"q": "TinyML", "pillar": "embedded-ai-engineer", "clearance": "sc", "remote": "hybrid"}),
]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def timed(fn, repeat: int) -> tuple[float, float, int, object]:
    fn()  # warm the caches once, as a busy server would be
    timings, result, queries = [], None, 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            result = fn()
            timings.append((time.perf_counter() - started) * 1000)
        queries = len(captured.captured_queries)
    return statistics.median(timings), percentile(timings, 0.95), queries, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    repeat = parser.parse_args().repeat
    print(f"{Candidate.objects.count():,} candidates on {connection.vendor}; p50 / p95 of {repeat} runs\n")
    planted = Candidate.objects.filter(email="lena.usman@planted.example").first()

    print("search selector, first page of 25 (with snippets when there is text)")
    for label, query in SEARCHES:
        form = CandidateSearchForm(query)
        assert form.is_valid(), form.errors
        params = form.to_params()
        p50, p95, queries, page = timed(lambda params=params: search_page(params=params), repeat)
        position = next((n for n, (c, _) in enumerate(page.rows, 1) if planted and c.pk == planted.pk), None)
        found = f"planted at #{position}" if position else "planted not on page 1"
        print(f"  {p50:7.1f} / {p95:7.1f} ms {queries:3d} q  {label:22s} {found}")

    role = Role.objects.filter(title="Senior Embedded AI Engineer", location="Bristol").order_by("-pk").first()
    if role is not None:
        p50, p95, queries, matches = timed(lambda: role_matches(role=role), repeat)
        top = [match.candidate.pk for match in matches[:10]]
        where = f"planted at #{top.index(planted.pk) + 1}" if planted and planted.pk in top else "planted not in top 10"
        print(f"\nrole matches (shortlist scored)\n  {p50:7.1f} / {p95:7.1f} ms {queries:3d} q  {role}  {where}")

    user, _ = User.objects.get_or_create(username="bench", defaults={"is_staff": True, "is_superuser": True})
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    pages = [
        "/admin/candidates/candidate/",
        "/admin/candidates/candidate/?q=Lena+Usmn",
        "/admin/candidates/candidate/?q=PyTorch",
        "/admin/candidates/candidate/find/?q=TensorRT&clearance=sc",
        "/api/v1/staff/candidates/?q=Lena+Usmn",
        "/api/v1/staff/candidates/?q=drones&skills=onnx",
    ]
    if role is not None:
        pages.append(f"/admin/matching/matchrankinglog/role/{role.pk}/matches/")
        pages.append(f"/api/v1/staff/roles/{role.pk}/matches/")
    print("\nwhole pages over HTTP")
    for url in pages:

        def get(url=url):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        p50, p95, queries, _ = timed(get, max(5, repeat // 2))
        print(f"  {p50:7.1f} / {p95:7.1f} ms {queries:3d} q  {url}")


if __name__ == "__main__":
    main()
