import pytest

from candidates.models import ConsentPurpose
from tests import factories


@pytest.fixture
def consented():
    """Make a submission whose candidate has consented to be represented for its role."""

    def make(**kwargs):
        submission = factories.SubmissionFactory(**kwargs)
        factories.ConsentFactory(
            candidate=submission.candidate, purpose=ConsentPurpose.REPRESENTATION, role=submission.role
        )
        return submission

    return make


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The dashboard is cached; each test starts without another test's figures."""
    from django.core.cache import cache

    cache.clear()
