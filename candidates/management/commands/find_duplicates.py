"""python manage.py find_duplicates: fill the "Possible duplicates" lists from the whole database."""

from django.core.management.base import BaseCommand

from candidates.services import candidate_duplicates_scan
from clients.services import client_duplicates_scan, contact_duplicates_scan


class Command(BaseCommand):
    help = (
        "Find candidates sharing a mailbox, phone or LinkedIn/GitHub profile, clients sharing a website domain and "
        "contacts sharing an email or phone, and list them under Possible duplicates (dismissed pairs stay dismissed)."
    )

    def handle(self, *args, **options) -> None:
        candidates = candidate_duplicates_scan()
        clients = client_duplicates_scan()
        contacts = contact_duplicates_scan()
        self.stdout.write(f"new pairs: candidates {candidates}, clients {clients}, contacts {contacts}")
