"""Staff permissions are kept in the cache between requests, and every change to them applies to the very next
request (sonitec/auth_cache.py)."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from sonitec import auth_cache
from sonitec.cache import RedisCache
from sonitec.staff_groups import RECRUITER
from tests.api.conftest import recruiter_signed_in
from tests.factories import UserFactory

URL = "/api/v1/staff/candidates/"
VIEW_CANDIDATE = {"content_type__app_label": "candidates", "codename": "view_candidate"}


@pytest.fixture
def signed_in(db):
    return recruiter_signed_in("rita", URL)


@pytest.fixture
def recruiter_user(signed_in):
    return signed_in[0]


@pytest.fixture
def rita(signed_in) -> APIClient:
    return signed_in[1]


def view_candidate() -> Permission:
    return Permission.objects.get(**VIEW_CANDIDATE)


def queries_of(client: APIClient) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def test_a_cached_request_reads_no_permissions(rita):
    with CaptureQueriesContext(connection) as cached:
        assert rita.get(URL).status_code == 200
    assert not [q for q in cached if "auth_permission" in q["sql"]]
    Group.objects.get(name=RECRUITER).permissions.add(Permission.objects.get(codename="view_placement"))
    # Read again once: the user's own permissions, the groups', and (tests/api/test_staff_two_factor.py) whether
    # the user has a two-factor device.
    assert queries_of(rita) == len(cached) + 3
    assert queries_of(rita) == len(cached)


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda user: Group.objects.get(name=RECRUITER).permissions.remove(view_candidate()), id="group"),
        pytest.param(lambda user: view_candidate().group_set.clear(), id="permission's groups"),
        pytest.param(lambda user: user.groups.remove(Group.objects.get(name=RECRUITER)), id="user's groups"),
        pytest.param(lambda user: Group.objects.get(name=RECRUITER).user_set.clear(), id="group's members"),
        pytest.param(lambda user: Group.objects.get(name=RECRUITER).delete(), id="group deleted"),
        pytest.param(lambda user: view_candidate().delete(), id="permission deleted"),
    ],
)
def test_a_permission_taken_away_denies_the_next_request(rita, recruiter_user, change):
    change(recruiter_user)
    assert rita.get(URL).status_code == 403


def test_a_permission_removed_from_the_group_in_the_admin_denies_the_next_request(rita, admin_client):
    group = Group.objects.get(name=RECRUITER)
    kept = group.permissions.exclude(pk=view_candidate().pk).values_list("pk", flat=True)
    response = admin_client.post(f"/admin/auth/group/{group.pk}/change/", {"name": RECRUITER, "permissions": kept})
    assert response.status_code == 302, response.content
    assert rita.get(URL).status_code == 403


def test_a_permission_given_to_the_user_allows_the_next_request(db):
    user = UserFactory(username="sam", is_superuser=False)
    client = APIClient()
    client.force_login(user)
    assert client.get(URL).status_code == 403
    user.user_permissions.add(view_candidate())
    assert client.get(URL).status_code == 200


def test_a_superuser_made_a_plain_user_is_denied_the_next_request(db):
    user = UserFactory(username="sue", is_superuser=True)
    client = APIClient()
    client.force_login(user)
    assert client.get(URL).status_code == 200
    user.is_superuser = False
    user.save()
    assert client.get(URL).status_code == 403


def test_a_user_made_inactive_is_refused(rita, recruiter_user):
    recruiter_user.is_active = False
    recruiter_user.save()
    assert rita.get(URL).status_code == 401


def test_a_session_signed_in_before_the_cached_backend_signs_in_again(rita):
    session = rita.session
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session.save()
    assert rita.get(URL).status_code == 401


@pytest.mark.postgres
def test_a_recruiter_reads_a_list_page_in_two_queries(rita, django_assert_num_queries):
    # Session, permissions and two-factor device from the cache: only the user's row and the page itself.
    with django_assert_num_queries(2):
        assert rita.get(URL, {"page_size": 1}).status_code == 200


def test_migrating_succeeds_while_the_cache_is_unreachable(db, monkeypatch):
    monkeypatch.setattr(auth_cache, "cache", RedisCache("redis://127.0.0.1:1/0", {}))  # nothing listens there
    call_command("migrate", verbosity=0)
