import pytest
from pytest_django.plugin import blocking_manager_key

from tests.seeding import reseed_migration_data


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Transactional tests here (outage, backup and restore) end with a flush of every table: put the rows that
    migrations seed back for the tests that follow (not after the last test, whose teardown drops the database)."""
    yield
    marker = item.get_closest_marker("django_db")
    if nextitem is None or marker is None or not marker.kwargs.get("transaction"):
        return
    with item.config.stash[blocking_manager_key].unblock():
        reseed_migration_data()
