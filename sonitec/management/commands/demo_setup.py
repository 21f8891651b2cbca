"""Used by `make run`: seed demo data into an empty database and make sure the demo team can log in.

The demo admin (a superuser, who sees everything), the recruiters sam, alex and jo (in the Recruiter group: their
own figures, no placements, so no fees) and the manager morgan (in the Manager group: everyone's figures and the
fees) share one password: DEMO_ADMIN_PASSWORD, or one generated on the first run and printed. A password is only
written when it differs from the stored one, so an unchanged DEMO_ADMIN_PASSWORD does not re-hash on every start.
The groups are the staff roles of sonitec/staff_groups.py, made by a migration and checked again here.
"""

import os
import secrets

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand

from candidates.models import Candidate
from clients.models import Client
from pipelines.models import Submission
from roles.models import Role
from sonitec.models import User
from sonitec.staff_groups import MANAGER, RECRUITER, staff_groups_sync

DEMO_USERNAME = "admin"
DEMO_RECRUITERS = ["sam", "alex", "jo"]
DEMO_MANAGER = "morgan"


def _set_password(user: User, password: str) -> bool:
    if user.has_usable_password() and user.check_password(password):
        return False
    user.set_password(password)
    user.save(update_fields=["password"])
    return True


class Command(BaseCommand):
    help = "Seed demo data when the database is empty; make sure the demo admin, recruiters and manager can log in."

    def handle(self, *args, **options):
        seeded = False
        if not Client.objects.exists():
            call_command("seed_demo", stdout=self.stdout, stderr=self.stderr)
            seeded = True
        password = os.environ.get("DEMO_ADMIN_PASSWORD", "")
        admin = User.objects.filter(is_superuser=True).order_by("pk").first()
        if admin is None:
            password = password or secrets.token_urlsafe(12)
            admin = User.objects.create_superuser(DEMO_USERNAME, f"{DEMO_USERNAME}@sonitec.example", password)
            shown = password
        elif password:
            _set_password(admin, password)
            shown = password
        else:
            shown = "(unchanged: as printed the first time, or set DEMO_ADMIN_PASSWORD to reset it)"
        staff_groups_sync()
        recruiters = list(User.objects.filter(username__in=DEMO_RECRUITERS, is_superuser=False))
        manager = self._manager()
        for user in recruiters:
            user.groups.add(Group.objects.get(name=RECRUITER))
        manager.groups.add(Group.objects.get(name=MANAGER))
        if password:
            for user in [*recruiters, manager]:
                _set_password(user, password)
        if seeded:
            self._give_admin_some_work(admin)
        site = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"
        names = ", ".join(sorted(r.username for r in recruiters))
        self.stdout.write(
            self.style.SUCCESS(
                f"\n  Sonitec CRM demo: {site}/admin/\n  username: {admin.username}\n  password: {shown}\n"
                + (f"  recruiters ({names}) log in with the same password.\n" if names else "")
                + f"  manager ({manager.username}: everyone's figures and the fees) logs in with the same password.\n"
                + f"  public site: {site}/   API docs: {site}/api/docs/\n"
            )
        )
        if settings.REDIS_URL:
            self.stdout.write("  REDIS_URL is set: run `make worker` and `make beat` to send messages.\n")

    @staticmethod
    def _manager() -> User:
        user, created = User.objects.get_or_create(
            username=DEMO_MANAGER,
            defaults={
                "first_name": "Morgan",
                "last_name": "Hale",
                "is_staff": True,
                "email": f"{DEMO_MANAGER}@sonitec.example",
            },
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        return user

    @staticmethod
    def _give_admin_some_work(admin: User) -> None:
        """The demo admin owns every fifth role (and its pipeline) and candidate, so "Mine" shows something."""
        role_ids = list(Role.objects.order_by("pk").values_list("pk", flat=True))[::5]
        Role.objects.filter(pk__in=role_ids).update(owner=admin)
        Submission.objects.filter(role_id__in=role_ids).update(owner=admin)
        candidate_ids = list(Candidate.objects.order_by("pk").values_list("pk", flat=True))[::5]
        Candidate.objects.filter(pk__in=candidate_ids).update(owner=admin)
