"""Response times of the public pages and forms, measured in-process against the configured database.

    DEBUG=1 .venv/bin/python bench/public_site.py [--repeat 50]

Run it after `manage.py demo_setup` (or `seed_demo`). Form posts run inside a transaction that is rolled back,
and CVs go to a temporary directory, so the database and the private media are left as they were.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sonitec.settings")

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

from roles.views import published_roles  # noqa: E402

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n" + b"0" * 200_000


def timed(label: str, repeat: int, call) -> None:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        with transaction.atomic():
            response = call()
            transaction.set_rollback(True)
        samples.append((time.perf_counter() - start) * 1000)
        if response.status_code not in (200, 302):
            sys.exit(f"{label}: unexpected status {response.status_code}")
    samples.sort()
    p95 = samples[max(0, int(len(samples) * 0.95) - 1)]
    print(f"{label:<34} median {statistics.median(samples):7.1f} ms   p95 {p95:7.1f} ms   (n={repeat})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=50)
    repeat = parser.parse_args().repeat
    role = published_roles().first()
    if role is None:
        sys.exit("No published roles: run `manage.py demo_setup` first.")
    print(f"{published_roles().count()} published roles; database {django.db.connection.vendor}")
    client = Client(HTTP_HOST="127.0.0.1")
    contact = {"name": "Bench", "email": "bench@example.com", "topic": "hiring", "message": "Hello", "consent": "on"}
    intake = {
        "company_name": "Bench Ltd",
        "industry": "other",
        "contact_name": "Bench",
        "contact_email": "b@bench.example",
        "data_fixing_time": "most",
        "models_today": "notebooks",
        "shipped_before": "no",
        "need_ml-engineer": "on",
        "headcount_ml-engineer": "2",
        "seniority_ml-engineer": "senior",
        "consent": "on",
    }
    with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media, PUBLIC_FORM_RATE="100000/m"):
        timed("GET / (pillars)", repeat, lambda: client.get("/"))
        timed("GET /jobs/", repeat, lambda: client.get("/jobs/"))
        timed("GET /jobs/?pillar=ml-engineer", repeat, lambda: client.get("/jobs/", {"pillar": "ml-engineer"}))
        timed("GET /jobs/<slug>/", repeat, lambda: client.get(f"/jobs/{role.slug}/"))
        timed("POST /contact/", repeat, lambda: client.post("/contact/", contact))
        timed("POST /intake/ (with recommendation)", repeat, lambda: client.post("/intake/", intake))
        timed(
            "POST /jobs/<slug>/apply/ (200 KB PDF)",
            repeat,
            lambda: client.post(
                f"/jobs/{role.slug}/apply/",
                {
                    "name": "Bench",
                    "email": "bench.applicant@example.com",
                    "consent": "on",
                    "cv": SimpleUploadedFile("cv.pdf", PDF, "application/pdf"),
                },
            ),
        )


if __name__ == "__main__":
    main()
