"""Give CVs stored before document versions existed their CandidateDocument row (safe to run again)."""

from django.core.management.base import BaseCommand

from candidates.services import cv_documents_backfill


class Command(BaseCommand):
    help = "Create the missing CV version (CandidateDocument) for every candidate's current CV."

    def handle(self, *args, **options):
        created, missing = cv_documents_backfill()
        self.stdout.write(self.style.SUCCESS(f"CV versions: {created} created."))
        if missing:
            ids = ", ".join(map(str, missing))
            self.stderr.write(self.style.WARNING(f"CV file missing for candidate(s) {ids}: no version created."))
