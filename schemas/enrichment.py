"""What enrichment adds: the customer and their orders from the shop's database, and the
customer's recent contacts across channels with an open conversation id."""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, Field

from schemas.common import Record

Segment = Literal["vip", "high", "regular", "new"]


class CustomerSummary(Record):
    customer_id: str
    name: str | None = None
    segment: Segment
    lifetime_value: float
    currency: str
    order_count: int
    tier: str | None = None
    matched_by: str = Field(description="The identity that resolved them, e.g. email, phone.")


class OrderSummary(Record):
    number: str
    status: str
    total: float
    currency: str
    placed_at: AwareDatetime
    delivered_at: AwareDatetime | None = None
    promised_delivery_at: AwareDatetime | None = None
    carrier: str | None = None
    tracking_number: str | None = None
    late: bool = Field(description="Promised date passed, not delivered, not cancelled.")
    days_since_delivery: int | None = None
    in_return_window: bool | None = None
    matched_by: Literal["mentioned", "latest_open"]


class RecentContact(Record):
    """Another contact of the same customer (any channel) about the same matter, for
    first-contact resolution across channels."""

    ticket_id: str
    received_at: AwareDatetime
    intent: str | None = Field(default=None,
                               description="Its classifier intent (null: not classified).")
    conversation_id: str


class Contacts(Record):
    last_24h: int = Field(ge=1, description="Contacts in the 24 h up to this one, this included.")
    last_7d: int = Field(ge=1)
    conversation_id: str = Field(
        description="Shared by this customer's contacts about the same matter, across channels."
    )
    previous_ticket_id: str | None = None
    recent: tuple[RecentContact, ...] = Field(
        default=(), max_length=20,
        description="The contacts this one follows up, any channel: each earlier contact of "
        "the customer about the same matter (the same conversation or the same intent) that "
        "no other contact had followed up yet, newest first, then the first such contact "
        "received after this one if it was routed before it; at most 20. Contacts are "
        "remembered for max(7 days, the FCR window + 7 days) after the customer's newest.")


class Enrichment(Record):
    status: Literal["ok", "not_found", "unavailable"]
    customer_key: str = Field(
        description="Per-customer state key: customer:<id> when resolved, else the channel "
        "identity (email:…, phone:…)."
    )
    customer: CustomerSummary | None = None
    orders: tuple[OrderSummary, ...] = ()
    detail: str | None = Field(default=None, description="Why not ok, or an ambiguity.")
    contacts: Contacts | None = None
