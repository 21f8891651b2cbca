"""Hostile request bodies get the API's JSON error shape (never a 500 or an HTML page) and store nothing."""

import pytest
from django.test import Client

from candidates.models import Candidate


def post_raw(login, body: bytes, content_type: str = "application/json"):
    client = Client(raise_request_exception=False)
    return client.generic(
        "POST", "/api/v1/candidates/", body, content_type=content_type, HTTP_AUTHORIZATION=f"Bearer {login.key}"
    )


def assert_json_error(response, status: int):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["status"] == status and error["message"]
    assert not Candidate.objects.exists()


def test_a_recursion_bomb_is_a_400(acme):
    assert_json_error(post_raw(acme, b"[" * 100_000 + b"]" * 100_000), 400)


def test_json_nested_deeper_than_the_api_needs_is_a_400(acme):
    body = b'{"name": ' + b'{"a": ' * 50 + b"1" + b"}" * 50 + b', "email": "ada@example.org"}'
    assert_json_error(post_raw(acme, body), 400)


def test_an_oversized_json_body_is_a_413(acme, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    body = b'{"name": "' + b"a" * 20_000 + b'", "email": "ada@example.org"}'
    assert_json_error(post_raw(acme, body), 413)


def test_an_oversized_form_field_is_a_413(acme, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    body = b"name=" + b"a" * 20_000 + b"&email=ada%40example.org"
    assert_json_error(post_raw(acme, body, "application/x-www-form-urlencoded"), 413)


def test_too_many_form_fields_is_a_400(acme, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    body = "&".join(f"f{i}=x" for i in range(50)).encode()
    assert_json_error(post_raw(acme, body, "application/x-www-form-urlencoded"), 400)


@pytest.mark.parametrize(
    "body,content_type",
    [
        (b'{"name": "\xff\xfe\xfa", "email": "ada@example.org"}', "application/json"),
        (b'{"name": "Ada", "email": "ada@example.org"}', "application/json; charset=no-such-charset"),
        (b'{"name": "Ada", "email": "ada@example.org"', "application/json"),
        (b'{"name": NaN, "email": "ada@example.org"}', "application/json"),
    ],
)
def test_invalid_encodings_and_broken_json_are_a_400(acme, body, content_type):
    assert_json_error(post_raw(acme, body, content_type), 400)
