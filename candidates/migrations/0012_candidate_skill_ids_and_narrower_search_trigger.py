"""A per-candidate array of skill ids with a GIN index, and a search trigger that fires only when it matters
(PostgreSQL only; the embedded SQLite default filters on candidate skills instead).

`skill_ids` lets skill filters and role matching use one index (`@>` all of, `&&` any of) instead of one
EXISTS per skill over millions of candidate-skill rows. The row trigger that writes the search document now
writes `skill_ids` too, from the same statement-level touches on candidate skills, so both are never stale.

The row trigger now fires only when a column the document is built from is written (or the document is
touched), so bulk updates of other columns (last activity, status) no longer rebuild a million documents.
"""

from django.db import migrations

FORWARD = r"""
ALTER TABLE candidates_candidate ADD COLUMN IF NOT EXISTS skill_ids bigint[] NOT NULL DEFAULT '{}';

CREATE OR REPLACE FUNCTION candidate_skill_ids(candidate_id bigint) RETURNS bigint[]
LANGUAGE sql STABLE AS $fn$
  SELECT coalesce(array_agg(cs.skill_id ORDER BY cs.skill_id), '{}')
    FROM candidates_candidateskill cs WHERE cs.candidate_id = $1
$fn$;

CREATE OR REPLACE FUNCTION candidate_search_document_row() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  NEW.search_document := candidate_search_document(NEW);
  NEW.skill_ids := candidate_skill_ids(NEW.id);
  RETURN NEW;
END
$fn$;

DROP TRIGGER IF EXISTS candidate_search_document_row ON candidates_candidate;
CREATE TRIGGER candidate_search_document_row
  BEFORE INSERT OR UPDATE OF name, current_title, current_company, location, notes, primary_pillar_id,
                             search_document
  ON candidates_candidate
  FOR EACH ROW EXECUTE FUNCTION candidate_search_document_row();

UPDATE candidates_candidate c SET skill_ids = candidate_skill_ids(c.id)
 WHERE EXISTS (SELECT 1 FROM candidates_candidateskill cs WHERE cs.candidate_id = c.id);

CREATE INDEX IF NOT EXISTS candidate_skill_ids_gin ON candidates_candidate USING gin (skill_ids);
"""

BACKWARD = r"""
DROP INDEX IF EXISTS candidate_skill_ids_gin;
CREATE OR REPLACE FUNCTION candidate_search_document_row() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  NEW.search_document := candidate_search_document(NEW);
  RETURN NEW;
END
$fn$;
DROP TRIGGER IF EXISTS candidate_search_document_row ON candidates_candidate;
CREATE TRIGGER candidate_search_document_row
  BEFORE INSERT OR UPDATE ON candidates_candidate
  FOR EACH ROW EXECUTE FUNCTION candidate_search_document_row();
DROP FUNCTION IF EXISTS candidate_skill_ids(bigint);
ALTER TABLE candidates_candidate DROP COLUMN IF EXISTS skill_ids;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("candidates", "0011_candidate_document_source_choices")]

    operations = [migrations.RunPython(forward, backward)]
