"""Used by `make run`: seed demo data into an empty database and make sure the demo team can log in.

The demo admin (a superuser, who sees everything including fees) and the recruiters sam, alex and jo (in the
Recruiter group: no placements, so no fees) share one password: DEMO_ADMIN_PASSWORD, or one generated on the
first run and printed. A password is only written when it differs from the stored one, so an unchanged
DEMO_ADMIN_PASSWORD does not re-hash on every start.
"""

import os
import secrets

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db.models import Q

from candidates.models import Candidate
from clients.models import Client
from pipelines.models import Submission
from roles.models import Role
from sonitec.models import User

DEMO_USERNAME = "admin"
DEMO_RECRUITERS = ["sam", "alex", "jo"]
RECRUITER_GROUP = "Recruiter"
# What a recruiter does all day; placements (the money) and the administration are left out.
RECRUITER_PERMISSIONS = {
    "roles": {"role": "vac", "pillar": "v", "skill": "v"},
    "clients": {"client": "vac", "contact": "vac"},
    "candidates": {"candidate": "vac", "candidateskill": "vacd", "consent": "vac"},
    "pipelines": {"submission": "vac", "stagechange": "v", "activity": "vac", "rejectionreason": "vac"},
    "leads": {"enquiry": "vc", "intake": "vc", "intakepillarneed": "v"},
    "messaging": {"followup": "vc", "followupduetoday": "vc", "message": "v"},
    "matching": {"talentpool": "vac", "talentpoolmember": "vacd", "savedsearch": "vcd"},
    "assessments": {"interview": "vc", "scorecard": "v", "evidence": "vac", "competency": "v"},
}
ACTIONS = {"v": "view", "a": "add", "c": "change", "d": "delete"}


def recruiter_group() -> Group:
    """The Recruiter group; given the recruiter permissions here only when it has none yet (a deployment's own
    group, or one made by a migration, is left as it is)."""
    group, _created = Group.objects.get_or_create(name=RECRUITER_GROUP)
    if not group.permissions.exists():
        wanted = Q(pk__in=[])
        for app, models in RECRUITER_PERMISSIONS.items():
            for model, actions in models.items():
                codenames = [f"{ACTIONS[a]}_{model}" for a in actions]
                wanted |= Q(content_type__app_label=app, content_type__model=model, codename__in=codenames)
        group.permissions.set(Permission.objects.filter(wanted))
    return group


def _set_password(user: User, password: str) -> bool:
    if user.has_usable_password() and user.check_password(password):
        return False
    user.set_password(password)
    user.save(update_fields=["password"])
    return True


class Command(BaseCommand):
    help = "Seed demo data when the database is empty; make sure the demo admin and recruiters can log in."

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
        group = recruiter_group()
        recruiters = list(User.objects.filter(username__in=DEMO_RECRUITERS, is_superuser=False))
        for recruiter in recruiters:
            recruiter.groups.add(group)
            if password:
                _set_password(recruiter, password)
        if seeded:
            self._give_admin_some_work(admin)
        site = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"
        names = ", ".join(sorted(r.username for r in recruiters))
        self.stdout.write(
            self.style.SUCCESS(
                f"\n  Sonitec CRM demo: {site}/admin/\n  username: {admin.username}\n  password: {shown}\n"
                + (f"  recruiters ({names}) log in with the same password.\n" if names else "")
                + f"  public site: {site}/   API docs: {site}/api/docs/\n"
            )
        )
        if settings.REDIS_URL:
            self.stdout.write("  REDIS_URL is set: run `make worker` and `make beat` to send messages.\n")

    @staticmethod
    def _give_admin_some_work(admin: User) -> None:
        """The demo admin owns every fifth role (and its pipeline) and candidate, so "Mine" shows something."""
        role_ids = list(Role.objects.order_by("pk").values_list("pk", flat=True))[::5]
        Role.objects.filter(pk__in=role_ids).update(owner=admin)
        Submission.objects.filter(role_id__in=role_ids).update(owner=admin)
        candidate_ids = list(Candidate.objects.order_by("pk").values_list("pk", flat=True))[::5]
        Candidate.objects.filter(pk__in=candidate_ids).update(owner=admin)
