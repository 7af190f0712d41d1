"""GDPR erasure in the store: who an id names, and the deletion of everything the store holds
about them — customer, identities, orders, order lines and the routing audit of their tickets —
in one transaction.

The audit (``routing_decisions``) has no customer column: its rows are found by ticket id, and
the ticket ids come from the caller (the contacts changelog, the help desk). The store alone
cannot link a ticket to a customer; :attr:`Erasure.unlinked` says so.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from core.errors import TicketflowError
from store.aggregates import chunks
from store.models import Customer, CustomerIdentity, Order, OrderLine, RoutingDecision
from store.queries import normalize_identity

Identity = tuple[str, str]

# Children first, so the deletion needs no cascade and counts each table's rows itself.
TABLES = ("routing_decisions", "order_lines", "orders", "customer_identities", "customers")


class ErasureError(TicketflowError):
    """The id given to erase names no single customer."""


@dataclass(frozen=True, slots=True)
class Subject:
    """Who an id names: the store's customer (None when the store has none) and every channel
    identity they are known by (at least the one given, when it was an e-mail or phone)."""

    given: str
    customer_id: str | None
    identities: tuple[Identity, ...]


@dataclass(frozen=True, slots=True)
class Erasure:
    subject: Subject
    rows: dict[str, int]
    """Rows deleted (or, with ``dry_run``, that would be) per table, every table named."""
    ticket_ids: tuple[str, ...]
    """The ticket ids whose audit rows were looked for."""
    dry_run: bool
    unlinked: tuple[str, ...] = field(default=())
    """What the store could not link to the customer, in words."""

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def _given_identity(given: str) -> Identity | None:
    """An e-mail address or phone number as the store keeps it; None for anything else."""
    kind = "email" if "@" in given else "phone"
    value = normalize_identity(kind, given)
    return (kind, value) if value else None


def identify(session: Session, given: str) -> Subject:
    """The customer ``given`` names: a customer id, else an e-mail address or a phone number.
    Raises ``ErasureError`` when an e-mail or phone is shared by several customers (a family):
    erasing all of them on one person's request would be wrong, so the caller picks one id."""
    given = given.strip()
    if not given:
        raise ErasureError("--customer is empty: give a customer id, e-mail address or phone")
    customer_id = session.scalar(select(Customer.id).where(Customer.id == given))
    identity = None
    if customer_id is None:
        identity = _given_identity(given)
        if identity is not None:
            owners = session.scalars(
                select(CustomerIdentity.customer_id).distinct()
                .where(CustomerIdentity.kind == identity[0],
                       CustomerIdentity.value == identity[1])
                .order_by(CustomerIdentity.customer_id)).all()
            if len(owners) > 1:
                raise ErasureError(
                    f"{identity[0]} {identity[1]} belongs to {len(owners)} customers "
                    f"({', '.join(owners)}): erase one by its customer id")
            customer_id = owners[0] if owners else None
    identities: list[Identity] = []
    if customer_id is not None:
        identities = [(kind, value) for kind, value in session.execute(
            select(CustomerIdentity.kind, CustomerIdentity.value)
            .where(CustomerIdentity.customer_id == customer_id)
            .order_by(CustomerIdentity.kind, CustomerIdentity.value))]
    if identity is not None and identity not in identities:
        identities.insert(0, identity)
    return Subject(given, customer_id, tuple(identities))


def erase_customer(
    session: Session, subject: Subject, ticket_ids: Collection[str] = (), dry_run: bool = False,
) -> Erasure:
    """Delete the subject's rows in one transaction (committed here; nothing with ``dry_run``).
    Idempotent: once done, a second call finds and deletes nothing."""
    tickets = sorted(set(ticket_ids))
    cid = subject.customer_id
    order_numbers = [] if cid is None else list(session.scalars(
        select(Order.number).where(Order.customer_id == cid)))
    # the conditions per table, one per chunk of ids; a table with none to match counts 0
    conditions: dict[str, list[ColumnElement[bool]]] = {
        "routing_decisions": [RoutingDecision.ticket_id.in_(part) for part in chunks(tickets)],
        "order_lines": [OrderLine.order_number.in_(part) for part in chunks(order_numbers)],
        "orders": [] if cid is None else [Order.customer_id == cid],
        "customer_identities": [] if cid is None else [CustomerIdentity.customer_id == cid],
        "customers": [] if cid is None else [Customer.id == cid],
    }
    models = {"routing_decisions": RoutingDecision, "order_lines": OrderLine, "orders": Order,
              "customer_identities": CustomerIdentity, "customers": Customer}
    rows = dict.fromkeys(TABLES, 0)
    for table in TABLES:
        model = models[table]
        for condition in conditions[table]:
            if dry_run:
                rows[table] += session.scalar(
                    select(func.count()).select_from(model).where(condition)) or 0
            else:
                result = session.execute(delete(model).where(condition))
                rows[table] += int(getattr(result, "rowcount", 0) or 0)
    if dry_run:
        session.rollback()
    else:
        session.commit()
    unlinked = (
        "routing_decisions has no customer column: only the audit rows of the ticket ids "
        f"found or given ({len(tickets)}) are deleted; a ticket of this customer known to "
        "neither stays audited — pass its id with --ticket",
    )
    return Erasure(subject, rows, tuple(tickets), dry_run, unlinked)
