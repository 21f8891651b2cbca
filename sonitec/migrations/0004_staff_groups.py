from django.contrib.auth.management import create_permissions
from django.db import migrations

from sonitec.staff_groups import staff_groups_sync


def make_groups(apps, schema_editor):
    # On a fresh database the permissions are only made after the last migration (post_migrate): make them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    staff_groups_sync(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("sonitec", "0003_periodic_tasks_follow_renamed_tasks"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("roles", "0004_role_partners_to_partners_app"),
        ("clients", "0005_contact_anonymisation_and_duplicate_pairs"),
        ("candidates", "0011_candidate_document_source_choices"),
        ("pipelines", "0008_my_day_permissions"),
        ("leads", "0002_intake_need_suggested"),
        ("partners", "0001_partners_and_webhooks_from_clients"),
        ("messaging", "0003_acknowledgements_and_attachments"),
        ("imports", "0001_import_jobs_and_export_records"),
        ("assessments", "0002_seed_pillar_rubrics"),
        ("matching", "0001_ranking_log_saved_searches_talent_pools"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        ("axes", "0010_accessattemptexpiration"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    # Going back leaves the groups: they may have members and permissions an administrator added.
    operations = [migrations.RunPython(make_groups, migrations.RunPython.noop)]
