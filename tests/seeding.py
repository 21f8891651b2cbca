"""Data that migrations seed (pillars, skills, competency rubrics, follow-up rules and templates, staff groups).

A transactional test empties every table when it ends, and unlike content types and permissions these rows do
not come back by themselves; tests that flush call `reseed_migration_data` so later tests find them again.
"""

import importlib

from django.apps import apps

from sonitec.staff_groups import staff_groups_sync

SEED_MIGRATIONS = (
    "roles.migrations.0003_seed_pillars_and_skills",
    "assessments.migrations.0002_seed_pillar_rubrics",
    "pipelines.migrations.0003_seed_followup_rules",
    "pipelines.migrations.0006_seed_rejection_reasons",
)
# Seeds name models by the app that held them when the migration was written; some have moved since.
MOVED_MODELS = {("pipelines", "emailtemplate"): "messaging", ("pipelines", "followuprule"): "messaging"}


class _CurrentApps:
    """The app registry as the seeds expect it, with moved models found in their new app."""

    @staticmethod
    def get_model(app_label: str, model_name: str):
        return apps.get_model(MOVED_MODELS.get((app_label, model_name.lower()), app_label), model_name)


def reseed_migration_data() -> None:
    for module in SEED_MIGRATIONS:
        importlib.import_module(module).seed(_CurrentApps(), None)  # each seed is idempotent (update_or_create)
    staff_groups_sync()
