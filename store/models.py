"""The enrichment store's tables: customers, their identities, orders, order lines and the audit
of routing decisions. Portable types only, so SQLite (dev, tests) and PostgreSQL (prod) agree.

The Alembic revisions under ``store/migrations`` create these tables by hand; a test checks that
models and migrations do not drift apart.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from store.types import UTCDateTime

IDENTITY_KINDS: tuple[str, ...] = (
    "email", "phone", "whatsapp_id", "messenger_psid", "instagram_id", "x_user_id",
    "chat_visitor_id",
)
ORDER_STATUSES: tuple[str, ...] = (
    "placed", "paid", "shipped", "delivered", "cancelled", "returned",
)
OPEN_STATUSES: tuple[str, ...] = ("placed", "paid", "shipped")

# Named constraints, so migrations can refer to them on every backend.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Money = Numeric(12, 2)
Timestamp = UTCDateTime()


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Customer(Base):
    __tablename__ = "customers"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200))
    tier: Mapped[str | None] = mapped_column(String(32))
    lifetime_value: Mapped[Decimal] = mapped_column(Money, default=Decimal("0.00"))
    """Computed from the orders (``store/aggregates.py``)."""
    currency: Mapped[str] = mapped_column(String(3))
    order_count: Mapped[int] = mapped_column(Integer, default=0)
    first_order_at: Mapped[datetime | None] = mapped_column(Timestamp)
    last_order_at: Mapped[datetime | None] = mapped_column(Timestamp)
    created_at: Mapped[datetime] = mapped_column(Timestamp, server_default=func.now())
    segment_override: Mapped[str | None] = mapped_column(String(16))
    """The shop's own segment for the customer (``db import``'s ``segment``): wins over the one
    enrichment computes from lifetime value and order count."""
    lifetime_value_override: Mapped[Decimal | None] = mapped_column(Money)
    """The shop's own lifetime value (``db import``'s ``lifetime_value``, e.g. from before the
    orders it imported): wins over the computed ``lifetime_value``."""


class CustomerIdentity(Base):
    """One way to recognise a customer. A (kind, value) may belong to several customers: a
    family sharing one email address. Lookups return every match; the caller decides."""

    __tablename__ = "customer_identities"
    __table_args__ = (
        UniqueConstraint("kind", "value", "customer_id"),
        Index(None, "kind", "value"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    customer_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(32))
    value: Mapped[str] = mapped_column(String(320))


class Order(Base):
    __tablename__ = "orders"
    __table_args__ = (Index(None, "customer_id", "placed_at"),)

    number: Mapped[str] = mapped_column(String(32), primary_key=True)
    customer_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("customers.id", ondelete="CASCADE")
    )
    status: Mapped[str] = mapped_column(String(16))
    total: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3))
    placed_at: Mapped[datetime] = mapped_column(Timestamp)
    shipped_at: Mapped[datetime | None] = mapped_column(Timestamp)
    delivered_at: Mapped[datetime | None] = mapped_column(Timestamp)
    carrier: Mapped[str | None] = mapped_column(String(64))
    tracking_number: Mapped[str | None] = mapped_column(String(64))
    promised_delivery_at: Mapped[datetime | None] = mapped_column(Timestamp)


class OrderLine(Base):
    __tablename__ = "order_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    order_number: Mapped[str] = mapped_column(
        String(32), ForeignKey("orders.number", ondelete="CASCADE"), index=True
    )
    sku: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    unit_price: Mapped[Decimal] = mapped_column(Money)


class RoutingDecision(Base):
    """The audit of routing decisions; one row per ticket and ruleset version."""

    __tablename__ = "routing_decisions"
    __table_args__ = (UniqueConstraint("ticket_id", "ruleset_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    ticket_id: Mapped[str] = mapped_column(String(64), index=True)
    decided_at: Mapped[datetime] = mapped_column(Timestamp)
    queue: Mapped[str] = mapped_column(String(64))
    priority: Mapped[str] = mapped_column(String(16))
    ruleset_version: Mapped[str] = mapped_column(String(64))
    matched_rules: Mapped[list[Any]] = mapped_column(JSON)
    decision: Mapped[dict[str, Any]] = mapped_column(JSON)
