"""python manage.py find_duplicates: fill the "Possible duplicates" lists from the whole database."""

from django.core.management.base import BaseCommand

from candidates.services import duplicates_scan_all


class Command(BaseCommand):
    help = (
        "Find candidates sharing a mailbox, phone or LinkedIn/GitHub profile, clients sharing a website domain and "
        "contacts sharing an email or phone, and list them under Possible duplicates (dismissed pairs stay dismissed)."
    )

    def handle(self, *args, **options) -> None:
        new = duplicates_scan_all()
        self.stdout.write("new pairs: " + ", ".join(f"{kind} {count}" for kind, count in new.items()))
