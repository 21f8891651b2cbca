"""Acknowledgements of public forms quote nothing the visitor wrote: their templates see only the agency's name and
the role's title, so the seeded wordings that greeted the sender by name or quoted their message are replaced."""

from django.db import migrations

ACKS = {
    "enquiry_ack": (
        "Thanks for getting in touch with {{ agency }}",
        "Hello,\n\nThank you for your message to {{ agency }}. A recruiter will reply within one working day."
        "\n\nBest regards,\n{{ agency }}",
    ),
    "intake_ack": (
        "Your AI hiring needs",
        "Hello,\n\nThank you for telling us what your company needs. A recruiter who specialises in your pillars "
        "will call you within one working day to talk it through.\n\nBest regards,\n{{ agency }}",
    ),
    "application_ack": (
        "Your application for {{ role_title }}",
        "Hello,\n\nThank you for applying for {{ role_title }}. We read every application and will be in touch "
        "within a few days.\n\nBest regards,\n{{ agency }}",
    ),
}


def forwards(apps, schema_editor):
    EmailTemplate = apps.get_model("messaging", "EmailTemplate")
    for key, (subject, body) in ACKS.items():
        EmailTemplate.objects.filter(key=key).update(subject=subject, body=body)


class Migration(migrations.Migration):
    dependencies = [("messaging", "0001_followups_and_outbox_from_pipelines")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
