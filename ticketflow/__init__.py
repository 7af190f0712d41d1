"""ticketflow: event-driven ticket routing for e-commerce customer service."""

from core import __version__

__all__ = ["__version__"]
