"""Background work for candidates: removing CV files a killed or timed-out transaction left behind."""

from celery import shared_task

from .services import cv_orphans_sweep


@shared_task(name="candidates.sweep_cv_orphans", soft_time_limit=300, time_limit=360)
def sweep_cv_orphans() -> int:
    return cv_orphans_sweep()
