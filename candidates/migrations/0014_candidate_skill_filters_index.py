"""One GIN index (btree_gin, pg_trgm) over the skill id array, seniority and location (trigram, for
ILIKE '%…%'). A search for "ONNX and TensorRT, in Bristol" and role matching ("every required skill, at the
role's seniority") then read only the rows that fit all of them instead of every holder of the skills
(PostgreSQL only). Columns with few distinct values (clearance, status) are left out: the planner would combine
their long posting lists with a text search's and read more, not less."""

from django.db import migrations

FORWARD = r"""
CREATE INDEX IF NOT EXISTS candidate_skill_filters_gin ON candidates_candidate
  USING gin (skill_ids, seniority, location gin_trgm_ops);
DROP INDEX IF EXISTS candidate_skill_ids_gin;
"""

BACKWARD = r"""
CREATE INDEX IF NOT EXISTS candidate_skill_ids_gin ON candidates_candidate USING gin (skill_ids);
DROP INDEX IF EXISTS candidate_skill_filters_gin;
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
