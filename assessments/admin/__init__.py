"""The assessments admin: one module per concern."""

from . import evidence, interviews, rubric  # noqa: F401  (each module registers its admin classes)
