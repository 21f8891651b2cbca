from django.db import migrations

# The periodic tasks moved with their modules; the schedule rows already stored keep their names and settings.
RENAMED = {
    "pipelines.dispatch_due_followups": "messaging.dispatch_due_followups",
    "pipelines.sweep_outbox": "messaging.sweep_outbox",
    "pipelines.schedule_reengagement": "messaging.schedule_reengagement",
    "clients.tasks.webhook_retry_due": "partners.retry_due_webhooks",
    "clients.tasks.idempotency_purge": "sonitec.purge_idempotency_records",
}


def rename(apps, schema_editor, mapping):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for old, new in mapping.items():
        PeriodicTask.objects.filter(task=old).update(task=new)


class Migration(migrations.Migration):
    dependencies = [
        ("sonitec", "0002_idempotency_records_from_clients"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(
            lambda apps, editor: rename(apps, editor, RENAMED),
            lambda apps, editor: rename(apps, editor, {new: old for old, new in RENAMED.items()}),
        ),
    ]
