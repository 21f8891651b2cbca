import pytest

from sonitec.celery import app as celery_app


@pytest.fixture(autouse=True)
def _tasks_run_in_process(request, settings):
    """Unit tests send in-process even when REDIS_URL is set; the worker tests use the real broker."""
    settings.EMAIL_BACKEND = "tests.followups.mailbackends.ScriptedBackend"
    if "redis" in request.keywords:
        yield
        return
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = eager


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Put the seeded pillars and rules back after each worker test's closing flush, so the transactional tests
    that run after these find the database as migrations left it."""
    yield
    from tests.seeding import reseed_migration_data

    from .test_worker import RESEED_AFTER

    if item.stash.get(RESEED_AFTER, False):  # only tests that ran against the test database
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            reseed_migration_data()
