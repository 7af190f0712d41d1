"""A shop's own segment and lifetime value per customer (``db import``), overriding the computed
ones.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # nullable columns: SQLite adds them in place, no table rebuild
    op.add_column("customers", sa.Column("segment_override", sa.String(16), nullable=True))
    op.add_column("customers", sa.Column("lifetime_value_override", sa.Numeric(12, 2),
                                         nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("customers") as batch:
        batch.drop_column("lifetime_value_override")
        batch.drop_column("segment_override")
