from celery import shared_task

from .services import retention_run


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
