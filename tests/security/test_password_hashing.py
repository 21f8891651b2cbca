"""Passwords: Argon2id at a memory cost a burst of sign-ins on a 2-core server can take (sonitec/hashers.py);
hashes made with Django's default costs still sign in, and are re-hashed with ours when they do."""

import runpy
from pathlib import Path

from django.conf import settings as django_settings
from django.contrib.auth.hashers import Argon2PasswordHasher, identify_hasher
from django.test import Client
from django.urls import reverse

from sonitec.hashers import LeanArgon2PasswordHasher
from tests import factories

LEAN = "sonitec.hashers.LeanArgon2PasswordHasher"


def test_the_configured_hasher_is_argon2_at_19_mib():
    read = runpy.run_path(str(Path(django_settings.BASE_DIR) / "sonitec" / "settings.py"))
    assert read["PASSWORD_HASHERS"][0] == LEAN  # tests themselves use a fast hasher (tests/conftest.py)
    hasher = LeanArgon2PasswordHasher()
    params = hasher.params()
    assert (params.memory_cost, params.time_cost, params.parallelism) == (19 * 1024, 2, 1)
    assert "$m=19456,t=2,p=1$" in hasher.encode("a password", hasher.salt())


def test_an_old_default_cost_hash_signs_in_and_is_rehashed_at_the_lean_cost(db, settings):
    settings.PASSWORD_HASHERS = [LEAN]
    old = Argon2PasswordHasher()
    user = factories.UserFactory(username="sam", is_superuser=False)
    user.password = old.encode("an old password 123", old.salt())
    user.save(update_fields=["password"])
    assert "$m=102400," in user.password

    response = Client().post(
        reverse("admin:login"), {"username": "sam", "password": "an old password 123", "next": "/admin/"}
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert "$m=19456,t=2,p=1$" in user.password and isinstance(identify_hasher(user.password), LeanArgon2PasswordHasher)
