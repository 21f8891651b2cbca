"""Partner API timings: list published roles (200 a page), follow submissions, submit candidates.

Run: DEBUG=1 .venv/bin/python bench/api_bench.py [--roles 500] [--requests 50]
(add DATABASE_URL=… REDIS_URL=… to measure on PostgreSQL and Redis). Everything it creates is rolled back.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sonitec.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from partners.services import api_key_create, partner_create  # noqa: E402
from roles.models import PartnerVisibility  # noqa: E402
from tests.factories import RoleFactory, SkillFactory, SubmissionFactory  # noqa: E402


class Rollback(Exception):
    pass


def timed(label, count, call):
    durations, queries = [], 0
    for _ in range(count):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = call()
            durations.append((time.perf_counter() - started) * 1000)
        assert response.status_code < 300, response.content[:300]
        queries = len(captured)
    durations.sort()
    p95 = durations[int(len(durations) * 0.95) - 1]
    print(f"{label:<44} median {statistics.median(durations):7.1f} ms   p95 {p95:7.1f} ms   {queries} queries")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--roles", type=int, default=500)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    setup_test_environment()  # allows the test client's host and records queries
    settings.DEBUG = True
    print(f"database: {connection.vendor}; roles: {args.roles}; requests per line: {args.requests}")
    try:
        with transaction.atomic():
            partner = partner_create(name="Bench Partner", contact_email="bench@partner.example")
            _, key = api_key_create(partner=partner)
            skills = SkillFactory.create_batch(5)
            for index in range(args.roles):
                role = RoleFactory(partner_visibility=PartnerVisibility.ALL)
                role.required_skills.add(*skills[:3])
                if index % 2 == 0:
                    SubmissionFactory(role=role, source="partner", source_partner=partner)
            client = APIClient()
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
            client.get("/api/v1/pillars/")  # first use records last_used_at
            timed("GET /api/v1/roles/?page_size=200", args.requests, lambda: client.get("/api/v1/roles/?page_size=200"))
            timed(
                "GET /api/v1/submissions/?page_size=200",
                args.requests,
                lambda: client.get("/api/v1/submissions/?page_size=200"),
            )
            role_id = RoleFactory(partner_visibility=PartnerVisibility.ALL).pk
            counter = iter(range(10**6))
            timed(
                "POST /api/v1/candidates/ (1 role, JSON)",
                args.requests,
                lambda: client.post(
                    "/api/v1/candidates/",
                    {
                        "name": "Bench",
                        "email": f"bench{next(counter)}@example.org",
                        "consent": True,
                        "consent_notice_version": "2026-01",
                        "role_ids": [role_id],
                    },
                    format="json",
                ),
            )
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
