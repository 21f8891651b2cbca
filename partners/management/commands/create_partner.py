"""Create a partner and its first API key; the key is printed alone on the last line (shown only this once)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from partners.models import PartnerScope
from partners.services import api_key_create, partner_create


class Command(BaseCommand):
    help = "Create a partner with an API key. The key is printed alone on the last line; store it now."

    def add_arguments(self, parser):
        parser.add_argument("name", help="The partner organisation's name.")
        parser.add_argument(
            "--scopes",
            nargs="+",
            choices=PartnerScope.values,
            metavar="SCOPE",
            help=f"Scopes to grant (default: all): {' '.join(PartnerScope.values)}.",
        )
        parser.add_argument("--email", default="", help="Contact email (told about suspended webhooks).")

    def handle(self, *args, name, scopes, email, **options):
        if not email:
            self.stderr.write("No --email given: set the partner's contact email in the admin so they hear of issues.")
        contact_email = email or "no-contact@partner.invalid"
        try:
            with transaction.atomic():
                partner = partner_create(name=name, contact_email=contact_email, scopes=scopes)
                api_key, key = api_key_create(partner=partner, name="created with create_partner")
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        scopes_text = ", ".join(partner.scopes)
        self.stdout.write(f"Created partner {partner.name!r} (id {partner.pk}) with scopes: {scopes_text}")
        self.stdout.write(f"API key prefix {api_key.prefix}. The key is shown only now:")
        self.stdout.write(key)
