"""Pillars, skills and roles."""

from . import roles

__all__ = ["roles"]
