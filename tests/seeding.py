"""Data that migrations seed (pillars, skills, follow-up rules and templates).

A transactional test empties every table when it ends, and unlike content types and permissions these rows do
not come back by themselves; tests that flush call `reseed_migration_data` so later tests find them again.
"""

import importlib

SEED_MIGRATIONS = (
    "roles.migrations.0003_seed_pillars_and_skills",
    "pipelines.migrations.0003_seed_followup_rules",
    "pipelines.migrations.0006_seed_rejection_reasons",
)


def reseed_migration_data() -> None:
    from django.apps import apps

    for module in SEED_MIGRATIONS:
        importlib.import_module(module).seed(apps, None)  # each seed is idempotent (update_or_create)
