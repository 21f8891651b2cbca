"""What a staff request needs to know about its user beyond the user's row, kept in the default cache: the user's
permissions and whether they have a confirmed two-factor device. Read from the database, they cost three queries
a request (the group permissions with a join).

Each value is stored with the current generation of everything it is read from; any change to those rows starts
a new generation, which no stored value matches, so the next request reads the rows again. Users, their groups
and permissions, groups' permissions, groups, permissions and devices change rarely, so forgetting
everyone's values on any change costs little and leaves no change uncaught. The new generation starts at once,
for the rest of the changing request, and again after commit: a request that read the old rows while the change
was being committed stored them under the generation in between, which then no longer counts. A change made
without signals (raw SQL, a queryset's update()) shows within CACHE_SECONDS.
"""

import logging
import uuid
from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django_otp.plugins.otp_totp.models import TOTPDevice

CACHE_SECONDS = 10 * 60
GENERATION_KEY = "auth:generation"

logger = logging.getLogger(__name__)

T = TypeVar("T")


def remembered(name: str, user_id: int, compute: Callable[[], T]) -> T:
    """`compute()`'s value for this user, from the cache while no change has been made since it was stored."""
    key = f"auth:{name}:{user_id}"
    found = cache.get_many([GENERATION_KEY, key])
    # Read before the rows, so that a change committed meanwhile leaves this value under a past generation.
    generation = found.get(GENERATION_KEY) or _generation_started()
    if key in found and found[key][0] == generation:
        return found[key][1]
    value = compute()
    cache.set(key, (generation, value), CACHE_SECONDS)
    return value


def _generation_started() -> str:
    """The generation after the cache lost it (emptied, restarted): a new one, unless another process made it."""
    cache.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
    return cache.get(GENERATION_KEY)


def _new_generation() -> None:
    cache.set(GENERATION_KEY, uuid.uuid4().hex, timeout=None)


def forget_everyone(**_signal: Any) -> None:
    _new_generation()
    transaction.on_commit(_new_generation)


def _migrated(**_signal: Any) -> None:
    # docker-compose.yml runs migrate once the database is up, maybe before Redis: a migration must not fail for
    # it, and values stored before then expire within CACHE_SECONDS.
    try:
        forget_everyone()
    except Exception:
        logger.warning("Stored permissions could not be forgotten after migrating", exc_info=True)


def _user_saved(update_fields: frozenset[str] | None = None, **_signal: Any) -> None:
    # Signing in only records the time (update_last_login), which no stored value depends on.
    if update_fields != frozenset({"last_login"}):
        forget_everyone()


def _memberships_changed(action: str, **_signal: Any) -> None:
    if action.startswith("post_"):
        forget_everyone()


def connect_signals() -> None:
    user_model = get_user_model()
    post_save.connect(_user_saved, sender=user_model)
    for model in (user_model, Group, Permission, TOTPDevice):
        post_delete.connect(forget_everyone, sender=model)
    post_save.connect(forget_everyone, sender=Permission)  # a codename renamed
    post_save.connect(forget_everyone, sender=TOTPDevice)  # made, confirmed
    for through in (user_model.groups.through, user_model.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(_memberships_changed, sender=through)
    # Migrations add and move permissions with historical models, whose signals the above do not hear.
    post_migrate.connect(_migrated)


class CachedPermissionsBackend(ModelBackend):
    """Django's ModelBackend, with an active user's permissions from the cache. Django's own copy on the user object
    still spares reading the cache twice in one request."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None or hasattr(user_obj, "_perm_cache"):
            return super().get_all_permissions(user_obj, obj)
        user_obj._perm_cache = remembered("permissions", user_obj.pk, partial(super().get_all_permissions, user_obj))
        return user_obj._perm_cache
