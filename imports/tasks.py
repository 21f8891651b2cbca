from celery import shared_task

from .services import import_job_apply, import_job_preview

# 100,000 candidates take a few minutes on a busy 2-core machine (docs/import.md, Speed); the limits leave room.
LIMITS = {"soft_time_limit": 15 * 60, "time_limit": 16 * 60}


@shared_task(**LIMITS)
def import_preview_task(job_id: int) -> None:
    import_job_preview(job_id=job_id)


@shared_task(**LIMITS)
def import_apply_task(job_id: int) -> None:
    import_job_apply(job_id=job_id)
