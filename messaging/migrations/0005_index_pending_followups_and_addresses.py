"""Indexes for the dispatcher at volume: the earliest due pending follow-ups in order (a partial index, so it
holds only what is still to dispatch), and messages by address in any case (the acknowledgement check)."""

import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("messaging", "0004_templates_use_documented_variables")]

    operations = [
        migrations.AddIndex(
            model_name="followup",
            index=models.Index(
                condition=models.Q(("status", "pending")), fields=["due_at", "id"], name="followup_pending_due"
            ),
        ),
        migrations.AddIndex(
            model_name="message",
            index=models.Index(django.db.models.functions.text.Lower("to_email"), name="message_to_email_ci"),
        ),
    ]
