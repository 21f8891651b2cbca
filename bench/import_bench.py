"""Importing 100,000 candidates from one CSV: the plan (every row checked) and the confirmed import.

    DATABASE_URL=postgres://… .venv/bin/python bench/import_bench.py [--rows 100000] [--keep]

A tenth of the rows name people already on file (by email, or by phone), so matching is part of the measure;
a third list skills. The import runs in one transaction that is rolled back at the end unless --keep is given,
so the database is left as it was; the foreign-key checks a commit would run are run (and timed) before the
rollback. Target: the whole import within 2 minutes on PostgreSQL.

Use a scratch database (created and migrated for the purpose). A rolled-back run leaves its rows behind as dead
tuples; on PostgreSQL the script vacuums the tables it wrote afterwards, so the next run does not read through
them (or through planner statistics they made stale) where autovacuum is off or has not caught up.
"""

import argparse
import csv
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sonitec.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from candidates.models import Candidate  # noqa: E402
from imports.services import import_plan, import_run  # noqa: E402
from roles.models import Pillar, Skill  # noqa: E402

SOURCE = "Benchmark file, legitimate interest"
WRITTEN = [
    "candidates_candidate",
    "candidates_historicalcandidate",
    "candidates_candidateskill",
    "candidates_candidate_other_pillars",
    "candidates_consent",
    "candidate_name_word",
]


class Rollback(Exception):
    pass


def make_file(rows: int) -> bytes:
    pillars = list(Pillar.objects.values_list("slug", flat=True)) or [""]
    skills = list(Skill.objects.values_list("name", flat=True)[:20])
    known = rows // 10
    # People already on file, found by email (half) and by phone (half).
    on_file = [
        Candidate(
            name=f"Known {n}", email=f"bench{n}@example.org" if n % 2 else f"old{n}@example.org", phone=f"+4477{n:08d}"
        )
        for n in range(known)
    ]
    for candidate in on_file:
        candidate.set_match_keys()
    Candidate.objects.bulk_create(on_file, batch_size=5000)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["name", "email", "phone", "location", "current_title", "primary_pillar", "seniority", "skills"])
    for n in range(rows):
        writer.writerow(
            [
                f"Bench Person {n}",
                f"bench{n}@example.org",
                f"07{n + 700000000:09d}"[:11] if n >= known else f"+4477{n:08d}",
                "London",
                "ML Engineer",
                pillars[n % len(pillars)],
                "senior",
                ", ".join(skills[n % 7 : n % 7 + 3]) if skills and n % 3 == 0 else "",
            ]
        )
    return out.getvalue().encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="Keep the imported rows (default: roll back).")
    args = parser.parse_args()
    print(f"database: {connection.vendor}, rows: {args.rows}")
    try:
        with transaction.atomic():
            content = make_file(args.rows)
            start = time.perf_counter()
            plan = import_plan(kind="candidates", content=content, filename="bench.csv")
            planned = time.perf_counter() - start
            print(f"plan (preview, nothing stored): {planned:.1f} s · {plan.counts}")
            start = time.perf_counter()
            plan = import_run(kind="candidates", content=content, filename="bench.csv", source=SOURCE)
            written = time.perf_counter()
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the foreign-key checks COMMIT would run
            total = time.perf_counter() - start
            checks = start + total - written
            print(
                f"confirmed import (plan again + write + commit checks {checks:.1f} s): {total:.1f} s · {plan.counts}"
            )
            print(f"rows per second: {args.rows / total:,.0f}")
            if not args.keep:
                raise Rollback
    except Rollback:
        print("rolled back: the database is as it was")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for table in WRITTEN:
                    cursor.execute(f"VACUUM (ANALYZE) {table}")


if __name__ == "__main__":
    main()
