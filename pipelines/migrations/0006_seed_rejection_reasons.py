from django.db import migrations

# The agency's starting list; recruiters edit it in the admin (Administration › Rejection reasons).
REASONS = [
    ("skills-gap", "Skills or experience gap"),
    ("seniority", "Wrong seniority level"),
    ("pay", "Pay expectations too high"),
    ("location", "Location or remote policy mismatch"),
    ("notice", "Notice period too long"),
    ("culture", "Team or culture fit"),
    ("right-to-work", "No right to work / clearance"),
    ("client-hired-other", "Client hired someone else"),
    ("other", "Other (see note)"),
]


def seed(apps, schema_editor):
    RejectionReason = apps.get_model("pipelines", "RejectionReason")
    for position, (code, label) in enumerate(REASONS):
        RejectionReason.objects.get_or_create(code=code, defaults={"label": label, "position": position})


class Migration(migrations.Migration):
    dependencies = [("pipelines", "0005_rejection_reasons")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
