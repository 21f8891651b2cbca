"""Every task runs under a soft and a hard time limit; periodic runs expire before the next one is due."""

import datetime

from celery.schedules import crontab

from sonitec.celery import app


def test_every_registered_task_has_soft_and_hard_time_limits():
    app.loader.import_default_modules()
    ours = {name: task for name, task in app.tasks.items() if not name.startswith("celery.")}
    assert ours
    for name, task in ours.items():
        soft = task.soft_time_limit or app.conf.task_soft_time_limit
        hard = task.time_limit or app.conf.task_time_limit
        assert soft and hard and soft < hard, name


def test_every_periodic_task_expires_before_its_next_run():
    for name, entry in app.conf.beat_schedule.items():
        schedule = entry["schedule"]
        interval = datetime.timedelta(days=1).total_seconds() if isinstance(schedule, crontab) else float(schedule)
        assert 0 < entry["options"]["expires"] < interval, name
