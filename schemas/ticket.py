"""The normalized ticket: one schema for every channel (topic ``tickets.normalized``)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import AwareDatetime, Field, field_validator

from schemas.classification import Classification
from schemas.common import Channel, Record, Source
from schemas.enrichment import Enrichment

TICKET_SCHEMA_VERSION = 1

Scalar = str | int | float | bool | None


class Customer(Record):
    """Who wrote in, as far as the channel tells. Identities are normalized:
    emails lower-cased, phones in E.164."""

    email: str | None = None
    phone: str | None = Field(default=None, pattern=r"^\+[1-9]\d{6,14}$")
    whatsapp_id: str | None = None
    messenger_psid: str | None = None
    instagram_id: str | None = None
    x_user_id: str | None = None
    x_handle: str | None = None
    chat_visitor_id: str | None = None
    display_name: str | None = None

    @property
    def identity_key(self) -> str:
        """The strongest identity this channel gave us, as ``kind:value``.

        Enrichment resolves customers from it and per-customer state is keyed by it until the
        customer is resolved.
        """
        for kind in ("email", "phone", "whatsapp_id", "messenger_psid", "instagram_id",
                     "x_user_id", "chat_visitor_id"):
            value = getattr(self, kind)
            if value:
                return f"{kind}:{value}"
        return "anonymous:"


class Attachment(Record):
    filename: str | None = None
    content_type: str
    size_bytes: int | None = Field(default=None, ge=0)
    url: str | None = None
    provider_id: str | None = None


class Thread(Record):
    """References that tie this message to earlier ones on the same channel."""

    message_id: str | None = None
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    conversation_id: str | None = None


class RoutingHistory(Record):
    """Set on a ticket routed again after a decline or an assignment timeout, so rules can
    treat repeat attempts differently (``routing.attempt``, ``routing.declined_by``…)."""

    attempt: int = Field(ge=2, description="This routing attempt (the first is 1).")
    reason: Literal["declined", "unassigned"]
    declined_by: tuple[str, ...] = Field(default=(), description="Agents who declined it.")
    previous_queues: tuple[str, ...] = Field(
        default=(), description="Queues it was in, oldest first.")


class Ticket(Record):
    """A customer message from any channel, cleaned and ready for classification.

    ``ticket_id`` is derived from channel and provider message id only, so a replayed or
    redelivered raw message always yields the same id: consumers dedupe on it.
    """

    schema_version: Literal[1] = 1
    ticket_id: str = Field(pattern=r"^tk_[0-9a-f]{24}$")
    channel: Channel
    provider: str = Field(description="The system that sent it, e.g. twilio, whatsapp_cloud.")
    provider_message_id: str = Field(min_length=1)
    received_at: AwareDatetime = Field(description="When the provider received it, in UTC.")
    customer: Customer
    subject: str | None = None
    body: str = Field(
        min_length=1, description="Clean text: quotes, signatures and markup removed."
    )
    body_original: str = Field(description="The text as received, before cleaning.")
    language: str = Field(description="ISO 639-1 code, or 'und' when undetermined.")
    language_confidence: float = Field(ge=0.0, le=1.0)
    order_numbers: tuple[str, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    thread: Thread = Thread()
    channel_details: dict[str, Scalar] = Field(
        default_factory=dict,
        description="Channel-specific facts (IVR selection, call duration, page URL, form topic…).",
    )
    source: Source
    classification: Classification | None = Field(
        default=None,
        description="Intent, sentiment, urgency and priority with their evidence; absent only "
        "when the classify stage did not run.",
    )
    enrichment: Enrichment | None = Field(
        default=None,
        description="Customer, orders and recent contacts; status says whether the lookup worked.",
    )
    routing: RoutingHistory | None = Field(
        default=None, description="Absent on first routing; set when the ticket is re-routed.")

    @field_validator("received_at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        from datetime import UTC

        return value.astimezone(UTC)
