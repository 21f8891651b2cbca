from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("pipelines", "0007_import_source_and_rejection_reasons"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="submission",
            options={
                "ordering": ["-stage_changed_at", "-id"],
                "permissions": [
                    ("view_dashboard", "Can see their own figures on My day"),
                    ("view_team_dashboard", "Can see every recruiter's figures and the fees on My day"),
                ],
            },
        ),
    ]
