"""Email templates render in a sandbox that holds only the documented variables: the seeded signature read the
owner's user record (`owner.get_full_name|default:owner.username`); it now reads the documented `owner.name`."""

from django.db import migrations

OLD = "{{ owner.get_full_name|default:owner.username }}"
NEW = "{{ owner.name }}"


def forwards(apps, schema_editor):
    EmailTemplate = apps.get_model("messaging", "EmailTemplate")
    for template in EmailTemplate.objects.filter(body__contains=OLD):
        template.body = template.body.replace(OLD, NEW)
        template.save(update_fields=["body"])


class Migration(migrations.Migration):
    dependencies = [("messaging", "0003_acknowledgements_and_attachments")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
