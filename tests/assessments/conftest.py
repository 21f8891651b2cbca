import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from pipelines.models import Stage
from sonitec.celery import app as celery_app
from tests import factories


@pytest.fixture(autouse=True)
def _in_process_and_fresh_cache():
    """Messages are sent in-process (even with REDIS_URL set); cached dashboard figures start empty."""
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    cache.clear()
    yield
    celery_app.conf.task_always_eager = eager


@pytest.fixture
def panel(db):
    """A submission waiting on the client, its client's hiring contact, and two agency interviewers."""
    role = factories.RoleFactory(title="Senior MLOps Engineer", pillar=factories.seeded_pillar("mlops-engineer"))
    contact = factories.ContactFactory(client=role.client, name="Dana Client", email="dana@client.example")
    role.hiring_contact = contact
    role.save()
    submission = factories.SubmissionFactory(role=role, stage=Stage.SUBMITTED, candidate__name="Lin Candidate")
    return {
        "submission": submission,
        "contact": contact,
        "alice": factories.UserFactory(
            username="alice", first_name="Alice", last_name="Ng", email="alice@sonitec.example"
        ),
        "bob": factories.UserFactory(username="bob", first_name="Bob", last_name="Ray", email="bob@sonitec.example"),
    }


def in_days(days: int, hour: int = 14) -> datetime.datetime:
    moment = timezone.localtime() + datetime.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)
