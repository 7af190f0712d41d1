"""One exception hierarchy. Library errors (Kafka, SQLAlchemy, YAML) are translated at the edge
into these, with a message that says what to fix."""

from __future__ import annotations


class TicketflowError(Exception):
    """Base of every error ticketflow raises on purpose."""


class ConfigError(TicketflowError):
    """A setting is missing or wrong."""


class BrokerError(TicketflowError):
    """The Kafka broker cannot be reached, started or used."""


class BrokerNotFound(BrokerError):
    """No Tansu binary to run the embedded broker."""


class TopicError(BrokerError):
    """A topic could not be created or described."""
