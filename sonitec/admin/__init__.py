"""The staff users and groups, and celery beat's schedules, in the workspace's look."""

from . import schedules, users

__all__ = ["schedules", "users"]
