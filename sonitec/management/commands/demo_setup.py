"""Used by `make run`: seed demo data into an empty database and make sure a demo admin can log in."""

import os
import secrets

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from clients.models import Client
from sonitec.models import User

DEMO_USERNAME = "admin"


class Command(BaseCommand):
    help = "Seed demo data when the database is empty and create the demo superuser when there is none."

    def handle(self, *args, **options):
        if not Client.objects.exists():
            call_command("seed_demo", stdout=self.stdout, stderr=self.stderr)
        password = os.environ.get("DEMO_ADMIN_PASSWORD", "")
        if not User.objects.filter(is_superuser=True).exists():
            password = password or secrets.token_urlsafe(12)
            User.objects.create_superuser(DEMO_USERNAME, f"{DEMO_USERNAME}@sonitec.example", password)
            shown = password
        elif password:
            user = User.objects.filter(is_superuser=True).order_by("pk").first()
            user.set_password(password)
            user.save(update_fields=["password"])
            shown = password
        else:
            shown = "(unchanged: as printed the first time, or set DEMO_ADMIN_PASSWORD to reset it)"
        username = User.objects.filter(is_superuser=True).order_by("pk").values_list("username", flat=True).first()
        site = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"
        self.stdout.write(
            self.style.SUCCESS(
                f"\n  Sonitec CRM demo: {site}/admin/\n  username: {username}\n  password: {shown}\n"
                f"  public site: {site}/   API docs: {site}/api/docs/\n"
            )
        )
        if settings.REDIS_URL:
            self.stdout.write("  REDIS_URL is set: run `make worker` and `make beat` to send messages.\n")
