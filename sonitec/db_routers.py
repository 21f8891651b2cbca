"""Optional read replica (DATABASE_REPLICA_URL): heavy reads that may lag by a moment go there.

Only code that opts in reads from the replica, inside `reading_from_replica()`: the dashboard, searches and
exports, whose figures may be a second old. Everything else, including every read that must see its own writes
(forms, services, the API), stays on the primary. Writes always go to the primary.
"""

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings

REPLICA_ALIAS = "replica"
_use_replica: contextvars.ContextVar[bool] = contextvars.ContextVar("use_replica", default=False)


@contextmanager
def reading_from_replica() -> Iterator[None]:
    """Reads inside this block go to the replica when one is configured (to the primary otherwise)."""
    token = _use_replica.set(True)
    try:
        yield
    finally:
        _use_replica.reset(token)


class ReplicaRouter:
    def db_for_read(self, model: type, **hints: Any) -> str | None:
        if _use_replica.get() and REPLICA_ALIAS in settings.DATABASES:
            return REPLICA_ALIAS
        return None  # the primary

    def db_for_write(self, model: type, **hints: Any) -> str | None:
        return None

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return db != REPLICA_ALIAS  # migrations run on the primary and reach the replica by replication
