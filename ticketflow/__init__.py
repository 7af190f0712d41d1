"""ticketflow: event-driven ticket routing for e-commerce customer service."""

__version__ = "0.1.0"
