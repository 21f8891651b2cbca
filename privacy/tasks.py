from celery import shared_task

from .services import export_job_build, retention_run


@shared_task(name="privacy.retention")
def retention() -> dict[str, int]:
    """Daily: renewal requests, anonymisation, purging old enquiries, intakes and access-log entries."""
    run = retention_run()
    return {
        "renewal_requests_sent": run.renewal_requests_sent,
        "candidates_anonymised": run.candidates_anonymised,
        "enquiries_purged": run.enquiries_purged,
        "intakes_purged": run.intakes_purged,
        "access_log_purged": run.access_log_purged,
    }


@shared_task(name="privacy.build_export")
def build_export(job_id: int) -> bool:
    """Build a large subject-access export into private storage, to be downloaded once."""
    return export_job_build(job_id=job_id)
