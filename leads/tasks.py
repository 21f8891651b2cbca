"""Celery tasks of the leads app: thin wrappers around the services."""

from celery import shared_task

from .services import spam_purge


@shared_task(name="leads.purge_spam", soft_time_limit=120, time_limit=180)
def purge_spam() -> int:
    """Delete enquiries and intakes marked spam more than 30 days ago."""
    return spam_purge()
