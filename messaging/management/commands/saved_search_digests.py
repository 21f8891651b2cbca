"""python manage.py saved_search_digests: queue today's saved-search digests now (Celery beat runs the same daily)."""

from django.core.management.base import BaseCommand

from messaging.digests import saved_search_digests_send


class Command(BaseCommand):
    help = (
        "Email each recruiter the people new to their saved searches with the daily digest ticked, since each "
        "search's previous digest (nothing when nobody is new)."
    )

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"digests queued: {saved_search_digests_send()}")
