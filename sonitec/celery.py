import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sonitec.settings")

app = Celery("sonitec")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Periodic tasks are defined here, in code, rather than edited as django-celery-beat rows: they are the
# engine's safety net (a disabled sweep silently stops retries), so they are reviewed and versioned like code.
# What recruiters tune, delays, wording and on/off per rule, lives on FollowUpRule and EmailTemplate instead.
# Each run `expires` before the next one is due, so runs queued while no worker was up do not pile up and run
# all at once later. The beat's DatabaseScheduler stores each entry as a django-celery-beat row and reads only
# `expire_seconds` from the options (it drops `expires`), then sends the run with `expires` set from it.
# Each task's hard time limit is shorter than its interval too, so a stuck run never overlaps the next.


def _expires(seconds: int) -> dict[str, int]:
    return {"expire_seconds": seconds}


app.conf.beat_schedule = {
    "dispatch-due-followups": {
        "task": "messaging.dispatch_due_followups",
        "schedule": 60.0,
        "options": _expires(50),
    },
    "sweep-outbox": {"task": "messaging.sweep_outbox", "schedule": 60.0, "options": _expires(50)},
    "webhook-retry-due": {"task": "partners.retry_due_webhooks", "schedule": 60.0, "options": _expires(50)},
    "idempotency-purge": {
        "task": "sonitec.purge_idempotency_records",
        "schedule": 3600.0,
        "options": _expires(3000),
    },
    "sweep-cv-orphans": {"task": "candidates.sweep_cv_orphans", "schedule": 3600.0, "options": _expires(3000)},
    "schedule-reengagement": {
        "task": "messaging.schedule_reengagement",
        "schedule": crontab(hour=7, minute=30),
        "options": _expires(20 * 60 * 60),
    },
    # Daily, before the working day; one email per recruiter with what is new to their opted-in saved searches.
    "saved-search-digests": {
        "task": "messaging.send_saved_search_digests",
        "schedule": crontab(hour=7, minute=0),
        "options": _expires(20 * 60 * 60),
    },
    "purge-spam": {
        "task": "leads.purge_spam",
        "schedule": crontab(hour=3, minute=45),
        "options": _expires(12 * 60 * 60),
    },
    # Nightly, so pairs that came in by import, the API or a partner reach the "Possible duplicates" lists.
    "find-duplicates": {
        "task": "candidates.find_duplicates",
        "schedule": crontab(hour=2, minute=30),
        "options": _expires(12 * 60 * 60),
    },
    # Daily, at night; expires well before the next day's run, so a backlog never runs the same sweep twice.
    "privacy-retention": {
        "task": "privacy.retention",
        "schedule": crontab(hour=3, minute=15),
        "options": _expires(12 * 60 * 60),
    },
}
