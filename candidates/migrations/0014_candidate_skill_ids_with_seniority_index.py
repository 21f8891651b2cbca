"""The skill id array indexed together with seniority (btree_gin), so role matching finds the holders of every
required skill at the role's seniority without reading the other holders' rows (PostgreSQL only)."""

from django.db import migrations

FORWARD = r"""
CREATE INDEX IF NOT EXISTS candidate_skill_ids_seniority_gin ON candidates_candidate USING gin (skill_ids, seniority);
DROP INDEX IF EXISTS candidate_skill_ids_gin;
"""

BACKWARD = r"""
CREATE INDEX IF NOT EXISTS candidate_skill_ids_gin ON candidates_candidate USING gin (skill_ids);
DROP INDEX IF EXISTS candidate_skill_ids_seniority_gin;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("candidates", "0013_candidate_name_words_for_misspelt_names")]

    operations = [migrations.RunPython(forward, backward)]
