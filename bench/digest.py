"""The daily saved-search digest at scale: how long one day's run takes, on whatever DATABASE_URL points at.

Usage (PostgreSQL, after seed_demo):
    DATABASE_URL=... .venv/bin/python manage.py seed_demo --candidates 100000
    DATABASE_URL=... .venv/bin/python bench/digest.py [--recruiters 20]

Gives each of --recruiters recruiters the nine searches of bench/search.py, opted in to the digest, with an empty
previous run made before anyone was added, so the first digest finds everyone among each search's first 500
results new (the most a digest can list), then runs the digest again with nobody new (an ordinary day). Prints
seconds, milliseconds per saved search, SQL queries and emails queued for each run. Everything runs in one
transaction that is rolled back, so the database is left as it was (and nothing is sent).
"""

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sonitec.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Max  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.search import SEARCHES  # noqa: E402
from candidates.models import Candidate  # noqa: E402
from matching.models import SavedSearch  # noqa: E402
from messaging.digests import CHANGE_OVERLAP, saved_search_digests_send  # noqa: E402
from sonitec.models import User  # noqa: E402


def timed_run(label: str, searches: int) -> None:
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        queued = saved_search_digests_send()
        seconds = time.perf_counter() - started
    print(
        f"{label}: {seconds:.2f} s, {seconds * 1000 / searches:.0f} ms per saved search, "
        f"{len(captured.captured_queries)} queries, {queued} emails queued"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--recruiters", type=int, default=20)
    recruiters = parser.parse_args().recruiters
    searches = recruiters * len(SEARCHES)
    print(f"{Candidate.objects.count():,} candidates on {connection.vendor}; {searches} saved searches")
    group = Group.objects.get(name="Recruiter")
    before = timezone.now() - datetime.timedelta(days=365 * 30)  # a run before anyone was added: all are new
    with transaction.atomic():
        for number in range(recruiters):
            owner = User.objects.create(
                username=f"bench-digest-{number}", email=f"bench{number}@sonitec.example", is_staff=True
            )
            owner.groups.add(group)
            SavedSearch.objects.bulk_create(
                SavedSearch(owner=owner, name=label, query=query, daily_digest=True, last_run_at=before, seen_ids=[])
                for label, query in SEARCHES
            )
        timed_run("first digest (up to 500 new per search)", searches)
        # The next day with nobody added or changed: as if the first digest had run an hour after the last change
        # (seed_demo may have run minutes ago), so the digest's look back before it finds no change either.
        last_change = Candidate.objects.aggregate(latest=Max("updated_at"))["latest"]
        SavedSearch.objects.filter(owner__username__startswith="bench-digest-").update(
            digest_last_at=last_change + CHANGE_OVERLAP + datetime.timedelta(seconds=1)
        )
        timed_run("next day (nobody new)", searches)
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
