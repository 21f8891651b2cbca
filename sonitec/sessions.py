"""Staff sessions in the database, their expiry renewed by every request but written at most once a minute.

SESSION_SAVE_EVERY_REQUEST makes a session last SESSION_COOKIE_AGE from the last request, not from sign-in; on
its own it writes the session's row (a transaction) on every request, staff API calls included. Here a session
whose data did not change and whose stored expiry was renewed less than a minute ago is not written again, so it
may end up to a minute before SESSION_COOKIE_AGE after the last request.
"""

import datetime

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

RENEWAL_RESOLUTION = datetime.timedelta(minutes=1)


class SessionStore(DatabaseSessionStore):
    _stored_expiry: datetime.datetime | None = None

    def _get_session_from_db(self):
        stored = super()._get_session_from_db()
        self._stored_expiry = stored.expire_date if stored is not None else None
        return stored

    def save(self, must_create: bool = False) -> None:
        if (
            not must_create
            and not self.modified
            and self._stored_expiry is not None
            and self._stored_expiry > self.get_expiry_date() - RENEWAL_RESOLUTION
        ):
            return
        super().save(must_create=must_create)
        self._stored_expiry = self.get_expiry_date()
