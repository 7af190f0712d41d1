"""Pieces shared by several records."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


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
