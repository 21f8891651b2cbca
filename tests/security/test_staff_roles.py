"""Staff roles: the Recruiter, Manager and Administrator groups the migration makes, what each may see on My day
and the board, and what a staff member without a role sees."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from sonitec.staff_groups import ADMINISTRATOR, GROUP_PERMISSIONS, MANAGER, RECRUITER, staff_groups_sync
from tests import factories

pytestmark = pytest.mark.django_db


def _member(username: str, group: str):
    user = factories.UserFactory(username=username, first_name=username.title(), is_superuser=False)
    user.groups.add(factories.staff_group(group))
    return user


def _group_perms(name: str) -> set[str]:
    rows = Group.objects.get(name=name).permissions.values_list("content_type__app_label", "codename")
    return {f"{app}.{codename}" for app, codename in rows}


def test_the_migration_gives_each_group_every_permission_it_lists():
    staff_groups_sync()  # a no-op after the migration, unless a transactional test emptied the tables
    for name, perms in GROUP_PERMISSIONS.items():
        assert set(perms) <= _group_perms(name), name


@pytest.mark.parametrize(
    ("group", "allowed", "refused"),
    [
        (
            RECRUITER,
            [
                "candidates.change_candidate",
                "clients.add_contact",
                "roles.change_role",
                "pipelines.change_submission",
                "pipelines.add_activity",
                "candidates.add_consent",
                "messaging.change_followup",
                "matching.add_savedsearch",
                "matching.change_talentpool",
                "pipelines.view_dashboard",
            ],
            [
                "pipelines.view_placement",
                "pipelines.view_team_dashboard",
                "imports.export_data",
                "partners.view_apikey",
                "sonitec.view_user",
                "messaging.change_emailtemplate",
            ],
        ),
        (
            MANAGER,
            [
                "pipelines.view_placement",
                "pipelines.add_placement",
                "pipelines.view_team_dashboard",
                "imports.export_data",
            ],
            ["partners.view_partner", "partners.view_apikey", "auth.change_group", "messaging.change_emailtemplate"],
        ),
        (
            ADMINISTRATOR,
            [
                "pipelines.view_team_dashboard",
                "partners.change_partner",
                "partners.add_apikey",
                "partners.change_webhooksubscription",
                "sonitec.change_user",
                "auth.change_group",
                "django_celery_beat.change_periodictask",
                "messaging.change_emailtemplate",
                "axes.delete_accessattempt",
            ],
            [],
        ),
    ],
)
def test_each_role_holds_its_permissions_and_not_the_next_ones(group, allowed, refused):
    user = _member("someone", group)
    assert [perm for perm in allowed if not user.has_perm(perm)] == []
    assert [perm for perm in refused if user.has_perm(perm)] == []


def test_syncing_again_changes_nothing_and_keeps_what_an_administrator_added():
    staff_groups_sync()
    recruiters = Group.objects.get(name=RECRUITER)
    extra = Permission.objects.get(codename="view_placement")
    recruiters.permissions.add(extra)
    before = _group_perms(RECRUITER)

    staff_groups_sync()

    assert _group_perms(RECRUITER) == before and "pipelines.view_placement" in before
    assert Group.objects.filter(name__in=GROUP_PERMISSIONS).count() == 3


def _my_work(owner) -> None:
    role = factories.RoleFactory(owner=owner, status="open", title=f"{owner.username}'s role")
    factories.PlacementFactory(submission=factories.SubmissionFactory(role=role, owner=owner, stage="placed"))


def test_a_recruiter_sees_only_their_own_figures_whatever_the_address_asks(client):
    sam, alex = _member("sam", RECRUITER), _member("alex", RECRUITER)
    _my_work(alex)
    client.force_login(sam)

    for asked in [{"recruiter": alex.pk}, {"recruiter": "all"}]:
        page = client.get(reverse("admin:index"), asked).content.decode()
        assert "My day: Sam" in page and "alex's role" not in page
        assert 'id="recruiter-filter"' not in page and 'id="fees-figure"' not in page
        # The team's charts (every recruiter's pipeline, placements per month, pay bands) are a manager's.
        assert "pipeline-dashboard" not in page


def test_a_manager_may_pick_any_recruiter_and_sees_the_team_charts(client):
    alex, morgan = _member("alex", RECRUITER), _member("morgan", MANAGER)
    _my_work(alex)
    client.force_login(morgan)

    page = client.get(reverse("admin:index"), {"recruiter": alex.pk}).content.decode()

    assert "My day: Alex" in page and 'id="recruiter-filter"' in page
    assert 'id="fees-figure"' in page and "pipeline-dashboard" in page


def test_the_board_needs_view_permission_on_submissions_as_well_as_roles(client):
    role = factories.RoleFactory()
    factories.SubmissionFactory(role=role, candidate=factories.CandidateFactory(name="Hidden Person"))
    user = factories.UserFactory(username="roles-only", is_superuser=False)
    user.user_permissions.add(Permission.objects.get(codename="view_role"))
    client.force_login(user)
    board = reverse("admin:roles_role_board", args=[role.pk])

    assert client.get(board).status_code == 403

    user.user_permissions.add(Permission.objects.get(codename="view_submission"))
    client.force_login(user)  # a fresh permission cache
    response = client.get(board)
    assert response.status_code == 200 and "Hidden Person" in response.content.decode()


def test_a_staff_member_without_any_role_sees_only_where_to_ask_for_one(client):
    _my_work(factories.UserFactory(username="alex", is_superuser=False))
    client.force_login(factories.UserFactory(username="newcomer", is_superuser=False))

    page = client.get(reverse("admin:index")).content.decode()

    assert "ask an administrator for a role" in " ".join(page.split())
    assert 'id="my-day"' not in page and 'id="headline-figures"' not in page and "alex's role" not in page
    nav = page.split('id="nav-sidebar-apps"')[1].split("</nav>")[0]
    assert "Candidates" not in nav and "Roles" not in nav and "Placements" not in nav
