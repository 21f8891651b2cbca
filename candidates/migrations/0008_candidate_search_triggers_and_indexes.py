"""The candidate search document and its indexes (PostgreSQL only; the embedded SQLite default skips this).

`candidates_candidate.search_document` is a weighted tsvector:
  A: name
  B: current title, skill names, pillar names (primary and other)
  C: current company, location
  D: recruiter notes and CV text
It is written by triggers in the same transaction as every change that affects it, so it is never stale and
bulk paths (COPY, bulk_create, UPDATE … WHERE …) stay set-based:
  * a BEFORE INSERT OR UPDATE row trigger on the candidate computes it from the row being written;
  * statement-level AFTER triggers on candidate skills, other pillars and CV text re-touch the affected
    candidates once per statement, through transition tables;
  * renaming a skill or a pillar re-touches the candidates who hold it.
Names and emails also get trigram indexes (pg_trgm), for misspelt names and partial emails.
"""

from django.db import migrations

FORWARD = r"""
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS btree_gin;

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'sonitec_search') THEN
    CREATE TEXT SEARCH CONFIGURATION sonitec_search (COPY = pg_catalog.english);
    ALTER TEXT SEARCH CONFIGURATION sonitec_search
      ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
  END IF;
END
$$;

-- The weighting, in one place: the trigger below and set-based bulk loads (seed_demo) both call it.
CREATE OR REPLACE FUNCTION candidate_search_document_of(
  name text, title text, skills text, pillars text, company text, location text, notes text, cv text
) RETURNS tsvector LANGUAGE sql STABLE AS $fn$
  SELECT
    setweight(to_tsvector('sonitec_search', coalesce(name, '')), 'A')
    || setweight(to_tsvector('sonitec_search',
         coalesce(title, '') || ' ' || coalesce(skills, '') || ' ' || coalesce(pillars, '')), 'B')
    || setweight(to_tsvector('sonitec_search', coalesce(company, '') || ' ' || coalesce(location, '')), 'C')
    || setweight(to_tsvector('sonitec_search', coalesce(notes, '') || ' ' || left(coalesce(cv, ''), 100000)), 'D')
$fn$;

CREATE OR REPLACE FUNCTION candidate_search_document(c candidates_candidate) RETURNS tsvector
LANGUAGE sql STABLE AS $fn$
  SELECT candidate_search_document_of(
    c.name,
    c.current_title,
    (SELECT string_agg(s.name, ' ')
       FROM candidates_candidateskill cs JOIN roles_skill s ON s.id = cs.skill_id
      WHERE cs.candidate_id = c.id),
    (SELECT string_agg(p.name, ' ') FROM roles_pillar p
      WHERE p.id = c.primary_pillar_id
         OR p.id IN (SELECT op.pillar_id FROM candidates_candidate_other_pillars op WHERE op.candidate_id = c.id)),
    c.current_company,
    c.location,
    c.notes,
    (SELECT t.text FROM candidates_candidatecvtext t WHERE t.candidate_id = c.id)
  )
$fn$;

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

-- Touching a candidate (setting the document to NULL) makes the row trigger above compute it afresh.
CREATE OR REPLACE FUNCTION candidate_search_touch_new() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  UPDATE candidates_candidate SET search_document = NULL
   WHERE id IN (SELECT DISTINCT candidate_id FROM new_rows);
  RETURN NULL;
END
$fn$;

CREATE OR REPLACE FUNCTION candidate_search_touch_old() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  UPDATE candidates_candidate SET search_document = NULL
   WHERE id IN (SELECT DISTINCT candidate_id FROM old_rows);
  RETURN NULL;
END
$fn$;

CREATE OR REPLACE FUNCTION candidate_search_touch_both() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  UPDATE candidates_candidate SET search_document = NULL
   WHERE id IN (SELECT candidate_id FROM new_rows UNION SELECT candidate_id FROM old_rows);
  RETURN NULL;
END
$fn$;
"""

TABLE_TRIGGERS = r"""
DROP TRIGGER IF EXISTS {table}_search_ins ON {table};
CREATE TRIGGER {table}_search_ins AFTER INSERT ON {table}
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION candidate_search_touch_new();
DROP TRIGGER IF EXISTS {table}_search_upd ON {table};
CREATE TRIGGER {table}_search_upd AFTER UPDATE ON {table}
  REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION candidate_search_touch_both();
DROP TRIGGER IF EXISTS {table}_search_del ON {table};
CREATE TRIGGER {table}_search_del AFTER DELETE ON {table}
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION candidate_search_touch_old();
"""

RENAMES = r"""
CREATE OR REPLACE FUNCTION candidate_search_skill_renamed() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  UPDATE candidates_candidate SET search_document = NULL
   WHERE id IN (SELECT cs.candidate_id FROM candidates_candidateskill cs WHERE cs.skill_id = NEW.id);
  RETURN NULL;
END
$fn$;
DROP TRIGGER IF EXISTS roles_skill_search_rename ON roles_skill;
CREATE TRIGGER roles_skill_search_rename AFTER UPDATE OF name ON roles_skill
  FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION candidate_search_skill_renamed();

CREATE OR REPLACE FUNCTION candidate_search_pillar_renamed() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  UPDATE candidates_candidate SET search_document = NULL
   WHERE primary_pillar_id = NEW.id
      OR id IN (SELECT op.candidate_id FROM candidates_candidate_other_pillars op WHERE op.pillar_id = NEW.id);
  RETURN NULL;
END
$fn$;
DROP TRIGGER IF EXISTS roles_pillar_search_rename ON roles_pillar;
CREATE TRIGGER roles_pillar_search_rename AFTER UPDATE OF name ON roles_pillar
  FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION candidate_search_pillar_renamed();

-- Existing rows get their document now.
UPDATE candidates_candidate SET search_document = NULL;

CREATE INDEX IF NOT EXISTS candidate_search_document_gin ON candidates_candidate USING gin (search_document);
CREATE INDEX IF NOT EXISTS candidate_name_trgm ON candidates_candidate USING gin (name gin_trgm_ops);
CREATE INDEX IF NOT EXISTS candidate_email_trgm ON candidates_candidate USING gin (email gin_trgm_ops);
CREATE INDEX IF NOT EXISTS candidate_last_activity_desc ON candidates_candidate (last_activity_at DESC NULLS LAST, id);
"""

TRIGGER_TABLES = ["candidates_candidateskill", "candidates_candidate_other_pillars", "candidates_candidatecvtext"]

BACKWARD = r"""
DROP TRIGGER IF EXISTS roles_skill_search_rename ON roles_skill;
DROP TRIGGER IF EXISTS roles_pillar_search_rename ON roles_pillar;
DROP TRIGGER IF EXISTS candidate_search_document_row ON candidates_candidate;
{drops}
DROP FUNCTION IF EXISTS candidate_search_skill_renamed();
DROP FUNCTION IF EXISTS candidate_search_pillar_renamed();
DROP FUNCTION IF EXISTS candidate_search_touch_new();
DROP FUNCTION IF EXISTS candidate_search_touch_old();
DROP FUNCTION IF EXISTS candidate_search_touch_both();
DROP FUNCTION IF EXISTS candidate_search_document_row();
DROP FUNCTION IF EXISTS candidate_search_document(candidates_candidate);
DROP FUNCTION IF EXISTS candidate_search_document_of(text, text, text, text, text, text, text, text);
DROP INDEX IF EXISTS candidate_search_document_gin;
DROP INDEX IF EXISTS candidate_name_trgm;
DROP INDEX IF EXISTS candidate_email_trgm;
DROP INDEX IF EXISTS candidate_last_activity_desc;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # the embedded default searches without a stored document
    schema_editor.execute(FORWARD)
    for table in TRIGGER_TABLES:
        schema_editor.execute(TABLE_TRIGGERS.format(table=table))
    schema_editor.execute(RENAMES)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    drops = "\n".join(
        f"DROP TRIGGER IF EXISTS {table}_search_{kind} ON {table};"
        for table in TRIGGER_TABLES
        for kind in ("ins", "upd", "del")
    )
    schema_editor.execute(BACKWARD.format(drops=drops))


class Migration(migrations.Migration):
    dependencies = [
        ("candidates", "0007_candidate_search_document_and_cv_text"),
        ("roles", "0003_seed_pillars_and_skills"),
    ]

    operations = [migrations.RunPython(forward, backward)]
