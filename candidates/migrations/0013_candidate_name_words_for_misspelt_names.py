"""The words of candidates' names, for misspelt-name search (PostgreSQL only).

Comparing a misspelt name with a million names by trigram similarity costs a scan of long posting lists; the
distinct words of all names are few (thousands), so the search first finds the name words similar to each word
typed (`<%`, trigram index on this small table) and then looks those words up in the search document's name
weight (GIN). The candidate row trigger adds the words of every new or renamed name, in the same transaction.
Words are lexemes of the `sonitec_search` configuration (as in the document) and belong to nobody in particular;
a word no longer in any name simply finds nobody.
"""

from django.db import migrations

FORWARD = r"""
CREATE TABLE IF NOT EXISTS candidate_name_word (word text PRIMARY KEY);
CREATE INDEX IF NOT EXISTS candidate_name_word_trgm ON candidate_name_word USING gin (word gin_trgm_ops);

CREATE OR REPLACE FUNCTION candidate_name_words(name text) RETURNS SETOF text
LANGUAGE sql STABLE AS $fn$
  SELECT unnest(tsvector_to_array(to_tsvector('sonitec_search', coalesce(name, ''))))
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

INSERT INTO candidate_name_word (word)
SELECT DISTINCT candidate_name_words(name) FROM (SELECT DISTINCT name FROM candidates_candidate) names
ON CONFLICT DO NOTHING;
"""

BACKWARD = r"""
CREATE OR REPLACE FUNCTION candidate_search_document_row() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  NEW.search_document := candidate_search_document(NEW);
  NEW.skill_ids := candidate_skill_ids(NEW.id);
  RETURN NEW;
END
$fn$;
DROP FUNCTION IF EXISTS candidate_name_words(text);
DROP TABLE IF EXISTS candidate_name_word;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("candidates", "0012_candidate_skill_ids_and_narrower_search_trigger")]

    operations = [migrations.RunPython(forward, backward)]
