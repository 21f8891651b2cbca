"""DATABASE_REPLICA_URL: only reads that opt in (the dashboard) go to the replica; everything else stays on the
primary, and nothing is ever written or migrated there."""

import pytest
from django.db import router

from candidates.models import Candidate
from pipelines.selectors import dashboard_cached
from sonitec import db_routers
from sonitec.db_routers import ReplicaRouter, reading_from_replica


def test_reads_go_to_the_replica_only_inside_the_block_and_only_when_one_is_configured(settings):
    replica_router = ReplicaRouter()
    settings.DATABASES = {**settings.DATABASES, "replica": {**settings.DATABASES["default"]}}
    assert replica_router.db_for_read(Candidate) is None  # the primary
    with reading_from_replica():
        assert replica_router.db_for_read(Candidate) == "replica"
        assert replica_router.db_for_write(Candidate) is None
    assert replica_router.db_for_read(Candidate) is None
    assert replica_router.allow_migrate("replica", "candidates") is False
    assert replica_router.allow_migrate("default", "candidates") is True


def test_without_a_replica_everything_reads_from_the_primary(settings):
    settings.DATABASES = {k: v for k, v in settings.DATABASES.items() if k != "replica"}
    with reading_from_replica():
        assert ReplicaRouter().db_for_read(Candidate) is None


class SpyRouter:
    reads: list[bool] = []

    def db_for_read(self, model, **hints):
        SpyRouter.reads.append(db_routers._use_replica.get())
        return None


@pytest.mark.django_db
def test_the_dashboard_reads_through_the_replica_block(settings):
    settings.DATABASE_ROUTERS = [f"{__name__}.SpyRouter"]
    SpyRouter.reads = []
    dashboard_cached()
    assert SpyRouter.reads and all(SpyRouter.reads)
    assert router.routers[0].__class__ is SpyRouter
