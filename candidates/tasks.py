"""Celery tasks of the candidates app: thin wrappers that take ids and call the services."""

from celery import shared_task

from . import cv_text
from .services import cv_orphans_sweep, duplicates_scan_all


@shared_task(name="candidates.cv_text_extract", soft_time_limit=60, time_limit=90)
def cv_text_extract_task(candidate_id: int) -> str:
    return cv_text.cv_text_extract(candidate_id=candidate_id)


@shared_task(name="candidates.sweep_cv_orphans", soft_time_limit=300, time_limit=360)
def sweep_cv_orphans() -> int:
    """Remove CV files a killed or timed-out transaction left behind."""
    return cv_orphans_sweep()


@shared_task(name="candidates.find_duplicates", soft_time_limit=20 * 60, time_limit=25 * 60)
def find_duplicates() -> dict[str, int]:
    """Nightly: fill the "Possible duplicates" lists from the whole database (grouped queries, minutes at most)."""
    return duplicates_scan_all()
