"""Follow-up rules and templates, the due-today list and the message log."""

from . import followups

__all__ = ["followups"]
