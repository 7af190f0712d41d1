"""Customer aggregates, derived from their orders in one place for the seed and the importer.

- ``order_count``: orders not cancelled;
- ``lifetime_value``: totals of orders neither cancelled nor returned, in the customer's currency
  (orders in another currency are left out rather than converted);
- ``first_order_at`` / ``last_order_at``: earliest and latest ``placed_at`` of orders not
  cancelled (None without any).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import TypeVar

from sqlalchemy import and_, case, func, select, update
from sqlalchemy.orm import Session

from store.models import Customer, Order

T = TypeVar("T")

# Bound parameters per statement stay well below SQLite's and PostgreSQL's limits.
CHUNK = 500


def chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def recompute_aggregates(session: Session, customer_ids: Iterable[str]) -> int:
    """Recompute the aggregates of these customers from their orders; the number updated."""
    ids = sorted(set(customer_ids))
    updated = 0
    for part in chunks(ids):
        counted = Order.status != "cancelled"
        valued = and_(counted, Order.status != "returned", Order.currency == Customer.currency)
        rows = session.execute(
            select(
                Customer.id,
                func.sum(case((counted, 1), else_=0)),
                func.sum(case((valued, Order.total), else_=0)),
                func.min(case((counted, Order.placed_at))),
                func.max(case((counted, Order.placed_at))),
            )
            .outerjoin(Order, Order.customer_id == Customer.id)
            .where(Customer.id.in_(part))
            .group_by(Customer.id)
        ).all()
        values: list[dict[str, object]] = [
            {
                "id": cid, "order_count": count or 0,
                "lifetime_value": Decimal(str(total or 0)).quantize(Decimal("0.01")),
                "first_order_at": first, "last_order_at": last,
            }
            for cid, count, total, first, last in rows
        ]
        if values:
            session.execute(update(Customer), values)
        updated += len(values)
    return updated
