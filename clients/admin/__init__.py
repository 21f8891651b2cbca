"""The client and contact pages."""

from . import clients, duplicates

__all__ = ["clients", "duplicates"]
