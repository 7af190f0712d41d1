"""The batch lookup the enrichment stage makes once per micro-batch (synchronously, in an
executor): customers by channel identity, orders by number, and each resolved customer's latest
open order. At most three SELECTs per call, whatever the batch size; none for empty input.

Identity values are normalized the way the store keeps them (emails lower-cased, phones E.164)
before matching, but results are keyed by the ``(kind, value)`` the caller gave. An identity
nobody has is absent from ``customers_by_identity``; a shared one (a family's email) maps to all
its customers, and the caller decides. Order numbers may be given as ``#104512``; results are
keyed by the stored number. Datetimes are aware UTC on every backend.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from channels.identity import normalize_email, normalize_phone
from store.errors import store_errors
from store.models import IDENTITY_KINDS, OPEN_STATUSES, Customer, CustomerIdentity, Order

Identity = tuple[str, str]


@dataclass(frozen=True, slots=True)
class CustomerFacts:
    id: str
    name: str | None
    tier: str | None
    lifetime_value: float
    currency: str
    order_count: int
    first_order_at: datetime | None
    last_order_at: datetime | None
    segment_override: str | None = None
    """The shop's own segment (``db import``); wins over the computed one."""
    lifetime_value_override: float | None = None
    """The shop's own lifetime value; ``lifetime_value`` already holds it when set."""


@dataclass(frozen=True, slots=True)
class OrderFacts:
    number: str
    customer_id: str
    status: str
    total: float
    currency: str
    placed_at: datetime
    shipped_at: datetime | None
    delivered_at: datetime | None
    carrier: str | None
    tracking_number: str | None
    promised_delivery_at: datetime | None


@dataclass(frozen=True, slots=True)
class BatchFacts:
    customers_by_identity: dict[tuple[str, str], list[CustomerFacts]]
    orders_by_number: dict[str, OrderFacts]
    latest_open_order_by_customer: dict[str, OrderFacts]


def normalize_identity(kind: str, value: str) -> str | None:
    """The value as the store keeps it; None when it cannot match anything."""
    if kind == "email":
        return normalize_email(value)
    if kind == "phone":
        return normalize_phone(value)
    if kind in IDENTITY_KINDS:
        return value.strip() or None
    return None


def normalize_order_number(value: str) -> str:
    return value.strip().removeprefix("#").strip()


# Plain columns, not entities: nothing lands in the session's identity map, so a long-lived
# session never serves stale facts, and rows are cheaper to build.
CUSTOMER_COLUMNS = tuple(getattr(Customer, f.name) for f in fields(CustomerFacts))
ORDER_COLUMNS = tuple(getattr(Order, f.name) for f in fields(OrderFacts))


def customer_facts(row: Any) -> CustomerFacts:
    values = dict(row._mapping)
    override = values["lifetime_value_override"]
    values["lifetime_value_override"] = None if override is None else float(override)
    values["lifetime_value"] = (float(values["lifetime_value"]) if override is None
                                else float(override))
    return CustomerFacts(**{f.name: values[f.name] for f in fields(CustomerFacts)})


def order_facts(row: Any) -> OrderFacts:
    values = dict(row._mapping)
    values["total"] = float(values["total"])
    return OrderFacts(**{f.name: values[f.name] for f in fields(OrderFacts)})


def lookup_batch(
    session: Session, identities: Collection[tuple[str, str]], order_numbers: Collection[str]
) -> BatchFacts:
    """Everything the store knows about one batch of tickets, in at most three SELECTs.

    Raises ``StoreUnavailable`` (transient) or ``StoreError``."""
    with store_errors(session.get_bind().engine.url):
        customers = _customers_by_identity(session, identities)
        orders = _orders_by_number(session, order_numbers)
        resolved = {c.id for matches in customers.values() for c in matches}
        latest = _latest_open_orders(session, resolved)
    return BatchFacts(customers, orders, latest)


def _customers_by_identity(
    session: Session, identities: Iterable[Identity]
) -> dict[Identity, list[CustomerFacts]]:
    asked: dict[Identity, list[Identity]] = defaultdict(list)  # normalized -> as given
    for kind, value in identities:
        normalized = normalize_identity(kind, value)
        if normalized is not None and (kind, value) not in asked[(kind, normalized)]:
            asked[(kind, normalized)].append((kind, value))
    if not asked:
        return {}
    by_kind: dict[str, set[str]] = defaultdict(set)
    for kind, value in asked:
        by_kind[kind].add(value)
    # One IN list per kind rather than a row-value IN: portable and uses the (kind, value) index.
    condition = or_(*(
        and_(CustomerIdentity.kind == kind, CustomerIdentity.value.in_(sorted(values)))
        for kind, values in sorted(by_kind.items())
    ))
    rows = session.execute(
        select(CustomerIdentity.kind.label("identity_kind"),
               CustomerIdentity.value.label("identity_value"), *CUSTOMER_COLUMNS)
        .join(Customer, Customer.id == CustomerIdentity.customer_id)
        .where(condition)
        .order_by(CustomerIdentity.kind, CustomerIdentity.value, Customer.id)
    ).all()
    found: dict[Identity, list[CustomerFacts]] = {}
    for row in rows:
        facts = customer_facts(row)
        for given in asked[(row.identity_kind, row.identity_value)]:
            found.setdefault(given, []).append(facts)
    return found


def _orders_by_number(session: Session, numbers: Iterable[str]) -> dict[str, OrderFacts]:
    wanted = sorted({n for n in map(normalize_order_number, numbers) if n})
    if not wanted:
        return {}
    rows = session.execute(select(*ORDER_COLUMNS).where(Order.number.in_(wanted)))
    return {row.number: order_facts(row) for row in rows}


def _latest_open_orders(session: Session, customer_ids: Collection[str]) -> dict[str, OrderFacts]:
    if not customer_ids:
        return {}
    recency = func.row_number().over(
        partition_by=Order.customer_id, order_by=(Order.placed_at.desc(), Order.number.desc())
    ).label("recency")
    ranked = (
        select(*ORDER_COLUMNS, recency)
        .where(Order.customer_id.in_(sorted(customer_ids)), Order.status.in_(OPEN_STATUSES))
        .subquery()
    )
    columns = [ranked.c[f.name] for f in fields(OrderFacts)]
    rows = session.execute(select(*columns).where(ranked.c.recency == 1))
    return {row.customer_id: order_facts(row) for row in rows}
