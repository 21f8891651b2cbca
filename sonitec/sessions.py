"""Staff sessions in the database, read through the cache, their expiry renewed by every request but written at
most once a minute.

SESSION_SAVE_EVERY_REQUEST makes a session last SESSION_COOKIE_AGE from the last request, not from sign-in; on
its own it writes the session's row (a transaction) on every request, staff API calls included. Here a session
whose data did not change and whose stored expiry was renewed less than a minute ago is not written again, so it
may end up to a minute before SESSION_COOKIE_AGE after the last request.

As with Django's cached_db engine, the database stays the source of truth: every write goes to the row first,
then to the default cache, and a session missing from the cache is read from its row. The cache keeps the data
with the row's expiry, so a request on a cached session reads no row and still knows whether the renewal is due.
The default cache is Redis when REDIS_URL is set, shared by every web process; without it, local memory serves
the embedded default's single process.
"""

import datetime
from typing import Any

from asgiref.sync import sync_to_async
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDatabaseSessionStore
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.core.cache.backends.base import BaseCache
from django.utils import timezone

RENEWAL_RESOLUTION = datetime.timedelta(minutes=1)


class SessionStore(CachedDatabaseSessionStore):
    # Not Django's prefix: the cached value is (data, stored expiry), not cached_db's data alone.
    cache_key_prefix = "sonitec.sessions."
    _stored_expiry: datetime.datetime | None = None
    # Set by Django's session classes, which the type stubs leave out.
    _cache: BaseCache
    _session: dict[str, Any]

    def load(self):
        cached = self._cache.get(self.cache_key)
        # The cache entry lives as long as the row's expiry; checked too, so an expired session never counts.
        if cached is not None and cached[1] > timezone.now():
            data, self._stored_expiry = cached
            return data
        stored = self._get_session_from_db()
        if stored is None:
            return {}
        data = self.decode(stored.session_data)
        self._stored_expiry = stored.expire_date
        self._cache.set(self.cache_key, (data, stored.expire_date), self.get_expiry_age(expiry=stored.expire_date))
        return data

    def save(self, must_create: bool = False) -> None:
        if (
            not must_create
            and not self.modified
            and self._stored_expiry is not None
            and self._stored_expiry > self.get_expiry_date() - RENEWAL_RESOLUTION
        ):
            return
        DatabaseSessionStore.save(self, must_create=must_create)  # the row; the cache gets the pair below
        self._stored_expiry = self.get_expiry_date()
        self._cache.set(self.cache_key, (self._session, self._stored_expiry), self.get_expiry_age())

    # Django's async session API (alogin, request.auser) must read and write the same pair.
    async def aload(self):
        return await sync_to_async(self.load)()

    async def asave(self, must_create: bool = False) -> None:
        await sync_to_async(self.save)(must_create)
