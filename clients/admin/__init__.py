"""The client and contact pages."""

from . import clients

__all__ = ["clients"]
