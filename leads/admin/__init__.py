"""Triage of enquiries and intakes from the public site."""

from . import triage

__all__ = ["triage"]
