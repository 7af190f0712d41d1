"""Pieces shared by several records."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)
"""The times a message or help-desk event may carry: [EARLIEST, LATEST). Outside is a sender's
bug, and near year 1 or 9999 the time zone conversions of routing (business hours) and the
SLA deadlines overflow datetime."""


def in_time_range(when: datetime) -> bool:
    """Whether ``when`` (naive: UTC) lies in [EARLIEST, LATEST)."""
    aware = when if when.tzinfo is not None else when.replace(tzinfo=UTC)
    return EARLIEST <= aware < LATEST


class Record(BaseModel):
    """Base of every topic record: immutable, and strict about unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Channel(StrEnum):
    """The ways a shopper reaches the shop. Each has its raw topic ``inbound.<channel>``."""

    EMAIL = "email"
    CHAT = "chat"
    PHONE = "phone"
    SOCIAL = "social"
    WHATSAPP = "whatsapp"
    SMS = "sms"
    WEBFORM = "webform"


class Source(Record):
    """Where a record came from: the raw message's coordinates on the broker."""

    topic: str
    partition: int = Field(ge=0)
    offset: int = Field(ge=0)
    key: str | None = None
