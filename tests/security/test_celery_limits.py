"""Every task runs under a soft and a hard time limit, short enough that a stuck run never overlaps the next one
(nor outlives the lease that keeps a webhook delivery to one worker); every periodic run, as the beat stores and
sends it, expires before the next one is due."""

import datetime

import pytest
from celery.schedules import BaseSchedule, crontab, schedule
from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import ModelEntry

from partners.webhooks import ATTEMPT_LEASE
from sonitec.celery import app


def limits(task) -> tuple[float, float]:
    return task.soft_time_limit or app.conf.task_soft_time_limit, task.time_limit or app.conf.task_time_limit


def interval_seconds(every) -> float:
    """The shortest time between two runs of a schedule (a crontab's, over a week of minutes)."""
    if not isinstance(every, crontab):
        return every.run_every.total_seconds()
    start = datetime.datetime(2026, 1, 5)  # a Monday
    runs = [
        minute
        for minute in range(8 * 24 * 60)
        if (moment := start + datetime.timedelta(minutes=minute)).minute in every.minute
        and moment.hour in every.hour
        and moment.isoweekday() % 7 in every.day_of_week
        and moment.day in every.day_of_month
        and moment.month in every.month_of_year
    ]
    return min(later - earlier for earlier, later in zip(runs, runs[1:], strict=False)) * 60.0


def test_every_registered_task_has_a_soft_limit_below_its_hard_limit():
    app.loader.import_default_modules()
    ours = {name: task for name, task in app.tasks.items() if not name.startswith("celery.")}
    assert len(ours) > 10
    for name, task in ours.items():
        soft, hard = limits(task)
        assert soft and hard and soft < hard, name


def test_a_periodic_task_is_killed_before_its_next_run_is_due():
    app.loader.import_default_modules()
    for name, entry in app.conf.beat_schedule.items():
        _, hard = limits(app.tasks[entry["task"]])
        every = entry["schedule"] if isinstance(entry["schedule"], BaseSchedule) else schedule(entry["schedule"])
        assert hard < interval_seconds(every), name


def test_a_webhook_attempt_is_killed_before_another_worker_may_claim_the_delivery():
    app.loader.import_default_modules()
    _, hard = limits(app.tasks["partners.deliver_webhook"])
    assert hard < ATTEMPT_LEASE.total_seconds()


@pytest.mark.django_db
def test_the_stored_periodic_tasks_expire_before_their_next_run():
    # What `celery beat` does on start with the DatabaseScheduler: store the schedule as rows, then run from them.
    for name, entry in app.conf.beat_schedule.items():  # as DatabaseScheduler.update_from_dict does
        ModelEntry.from_entry(name, app=app, **entry)
    rows = PeriodicTask.objects.filter(name__in=list(app.conf.beat_schedule))
    assert rows.count() == len(app.conf.beat_schedule)
    for row in rows:
        assert row.expire_seconds and row.expire_seconds < interval_seconds(row.schedule), row.name
        assert ModelEntry(row, app=app).options["expires"] == row.expire_seconds, row.name  # sent with each run
