import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache

from roles.models import PartnerVisibility, RoleStatus
from tests.factories import RoleFactory, UserFactory


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def job(db):
    return RoleFactory(
        title="Inference Engineer",
        status=RoleStatus.OPEN,
        published_on_job_board=True,
        partner_visibility=PartnerVisibility.ALL,
        fee_percent=20,
        guarantee_days=90,
    )


def staff_with(*codenames: str, username: str = "staffer"):
    """A staff member (not a superuser) holding exactly these permissions ('app.codename')."""
    user = UserFactory(username=username, is_staff=True, is_superuser=False)
    for name in codenames:
        app_label, codename = name.split(".")
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return user


@pytest.fixture
def manager(db):
    return staff_with(
        "candidates.view_candidate",
        "candidates.change_candidate",
        "clients.view_contact",
        "clients.change_contact",
        "privacy.view_accesslog",
        "privacy.export_personal_data",
        "privacy.erase_personal_data",
        username="manager",
    )


@pytest.fixture
def recruiter_only(db):
    return staff_with("candidates.view_candidate", "candidates.change_candidate", username="plainrecruiter")
