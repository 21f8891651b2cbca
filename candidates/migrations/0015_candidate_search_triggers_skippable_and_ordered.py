"""The search triggers can be skipped by a bulk insert that writes the documents itself, and a document lists a
person's skills and pillars in a fixed order (PostgreSQL only).

A per-row trigger costs about 0.1 ms a row (a SQL function call with four look-ups, then the name words); a
100,000-row import spends most of its time there. `candidates_insert_many` (candidates/services.py) sets the
transaction-local `sonitec.search_set_based` to `on` around its statements, and computes the documents, skill ids
and name words for all the rows in its one INSERT instead; no other writer sets it.

`string_agg` without ORDER BY follows whatever plan the look-up gets, so the same candidate could get its skill
and pillar words in another order (other positions in the tsvector). Skills now follow their rows' ids (the order
they were added in, as index scans already returned them) and pillars their ids, so the trigger and the set-based
insert give the same document, and a test can compare them exactly.
"""

from django.db import migrations

SKIP = "coalesce(current_setting('sonitec.search_set_based', true), '') = 'on'"

DOCUMENT = r"""
CREATE OR REPLACE FUNCTION candidate_search_document(c candidates_candidate) RETURNS tsvector
LANGUAGE sql STABLE AS $fn$
  SELECT candidate_search_document_of(
    c.name,
    c.current_title,
    (SELECT string_agg(s.name, ' ' ORDER BY cs.id)
       FROM candidates_candidateskill cs JOIN roles_skill s ON s.id = cs.skill_id
      WHERE cs.candidate_id = c.id),
    (SELECT string_agg(p.name, ' ' ORDER BY p.id) FROM roles_pillar p
      WHERE p.id = c.primary_pillar_id
         OR p.id IN (SELECT op.pillar_id FROM candidates_candidate_other_pillars op WHERE op.candidate_id = c.id)),
    c.current_company,
    c.location,
    c.notes,
    (SELECT t.text FROM candidates_candidatecvtext t WHERE t.candidate_id = c.id)
  )
$fn$;
"""

TRIGGERS = r"""
CREATE OR REPLACE FUNCTION candidate_search_document_row() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF {skip} THEN
    RETURN NEW;
  END IF;
  NEW.search_document := candidate_search_document(NEW);
  NEW.skill_ids := candidate_skill_ids(NEW.id);
  IF TG_OP = 'INSERT' OR NEW.name IS DISTINCT FROM OLD.name THEN
    INSERT INTO candidate_name_word (word) SELECT candidate_name_words(NEW.name) ON CONFLICT DO NOTHING;
  END IF;
  RETURN NEW;
END
$fn$;

CREATE OR REPLACE FUNCTION candidate_search_touch_new() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF NOT {skip} THEN
    UPDATE candidates_candidate SET search_document = NULL
     WHERE id IN (SELECT DISTINCT candidate_id FROM new_rows);
  END IF;
  RETURN NULL;
END
$fn$;
"""

BACKWARD = r"""
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
  NEW.skill_ids := candidate_skill_ids(NEW.id);
  IF TG_OP = 'INSERT' OR NEW.name IS DISTINCT FROM OLD.name THEN
    INSERT INTO candidate_name_word (word) SELECT candidate_name_words(NEW.name) ON CONFLICT DO NOTHING;
  END IF;
  RETURN NEW;
END
$fn$;

CREATE OR REPLACE FUNCTION candidate_search_touch_new() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  UPDATE candidates_candidate SET search_document = NULL
   WHERE id IN (SELECT DISTINCT candidate_id FROM new_rows);
  RETURN NULL;
END
$fn$;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DOCUMENT + TRIGGERS.format(skip=SKIP))


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("candidates", "0014_candidate_skill_filters_index")]

    operations = [migrations.RunPython(forward, backward)]
