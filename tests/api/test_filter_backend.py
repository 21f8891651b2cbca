"""The list filters are built only when the request names one of them, and the Redis cache keeps its clients."""

from unittest import mock

import pytest
from django.core.cache import cache

from roles.api.views import PartnerRoleFilter
from roles.models import PartnerVisibility, Seniority
from tests.factories import RoleFactory


def test_a_plain_list_page_builds_no_filter_set_and_a_named_filter_still_filters(acme):
    RoleFactory(title="Lead", seniority=Seniority.LEAD, partner_visibility=PartnerVisibility.ALL)
    RoleFactory(title="Junior", seniority=Seniority.JUNIOR, partner_visibility=PartnerVisibility.ALL)
    with mock.patch.object(PartnerRoleFilter, "__init__", side_effect=AssertionError("built a FilterSet")):
        plain = acme.client.get("/api/v1/roles/")
    assert plain.status_code == 200 and len(plain.json()["results"]) == 2

    filtered = acme.client.get("/api/v1/roles/", {"seniority": Seniority.LEAD})
    assert [role["title"] for role in filtered.json()["results"]] == ["Lead"]
    empty = acme.client.get("/api/v1/roles/?seniority=")
    assert empty.status_code == 400 and "seniority" in empty.json()["error"]["fields"]


@pytest.mark.redis
def test_the_redis_cache_reuses_one_client_per_connection_pool():
    assert cache._cache.get_client("a") is cache._cache.get_client("b")
    cache.set("reused-client", 1, 5)
    assert cache.get("reused-client") == 1
