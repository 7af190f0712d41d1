"""Initial enrichment store: customers, identities, orders, order lines, routing decisions.

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MONEY = sa.Numeric(12, 2)
TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "customers",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("name", sa.String(200), nullable=True),
        sa.Column("tier", sa.String(32), nullable=True),
        sa.Column("lifetime_value", MONEY, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("order_count", sa.Integer(), nullable=False),
        sa.Column("first_order_at", TIMESTAMP, nullable=True),
        sa.Column("last_order_at", TIMESTAMP, nullable=True),
        sa.Column("created_at", TIMESTAMP, server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_customers"),
    )
    op.create_table(
        "customer_identities",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("customer_id", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("value", sa.String(320), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_customer_identities"),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], ondelete="CASCADE",
            name="fk_customer_identities_customer_id_customers",
        ),
        sa.UniqueConstraint(
            "kind", "value", "customer_id", name="uq_customer_identities_kind_value_customer_id"
        ),
    )
    op.create_index("ix_customer_identities_kind_value", "customer_identities", ["kind", "value"])
    op.create_index(
        "ix_customer_identities_customer_id", "customer_identities", ["customer_id"]
    )
    op.create_table(
        "orders",
        sa.Column("number", sa.String(32), nullable=False),
        sa.Column("customer_id", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("total", MONEY, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("placed_at", TIMESTAMP, nullable=False),
        sa.Column("shipped_at", TIMESTAMP, nullable=True),
        sa.Column("delivered_at", TIMESTAMP, nullable=True),
        sa.Column("carrier", sa.String(64), nullable=True),
        sa.Column("tracking_number", sa.String(64), nullable=True),
        sa.Column("promised_delivery_at", TIMESTAMP, nullable=True),
        sa.PrimaryKeyConstraint("number", name="pk_orders"),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], ondelete="CASCADE",
            name="fk_orders_customer_id_customers",
        ),
    )
    op.create_index("ix_orders_customer_id_placed_at", "orders", ["customer_id", "placed_at"])
    op.create_table(
        "order_lines",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("order_number", sa.String(32), nullable=False),
        sa.Column("sku", sa.String(64), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price", MONEY, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_order_lines"),
        sa.ForeignKeyConstraint(
            ["order_number"], ["orders.number"], ondelete="CASCADE",
            name="fk_order_lines_order_number_orders",
        ),
    )
    op.create_index("ix_order_lines_order_number", "order_lines", ["order_number"])
    op.create_table(
        "routing_decisions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("ticket_id", sa.String(64), nullable=False),
        sa.Column("decided_at", TIMESTAMP, nullable=False),
        sa.Column("queue", sa.String(64), nullable=False),
        sa.Column("priority", sa.String(16), nullable=False),
        sa.Column("ruleset_version", sa.String(64), nullable=False),
        sa.Column("matched_rules", sa.JSON(), nullable=False),
        sa.Column("decision", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_routing_decisions"),
        sa.UniqueConstraint(
            "ticket_id", "ruleset_version", name="uq_routing_decisions_ticket_id_ruleset_version"
        ),
    )
    op.create_index("ix_routing_decisions_ticket_id", "routing_decisions", ["ticket_id"])


def downgrade() -> None:
    op.drop_table("routing_decisions")
    op.drop_table("order_lines")
    op.drop_table("orders")
    op.drop_table("customer_identities")
    op.drop_table("customers")
