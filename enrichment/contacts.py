"""Repeat contacts and conversation threading, per customer — the pure core of the keyed stage.

State is one small JSON-able dict per customer key, kept in a faust table (changelog-backed) on
the partition that owns the key. Time is the ticket's own ``received_at``, never the wall clock,
so a replay after a crash computes the same counts and the same conversation ids; a redelivered
ticket is recognised by its id and not counted twice.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

from schemas import Ticket
from schemas.enrichment import Contacts

WINDOW_7D = timedelta(days=7)
WINDOW_24H = timedelta(hours=24)
# A new contact joins the open conversation when it comes within this long of the last one and
# is about the same order (or names none): the email and the chat about one problem.
CONVERSATION_GAP = timedelta(hours=72)
MAX_REMEMBERED = 200

State = dict[str, Any]


def conversation_id_for(customer_key: str, first_ticket_id: str) -> str:
    digest = hashlib.sha256(f"{customer_key}\x1f{first_ticket_id}".encode()).hexdigest()
    return f"cv_{digest[:20]}"


def _same_matter(orders: list[str], previous_orders: list[str]) -> bool:
    return not orders or not previous_orders or bool(set(orders) & set(previous_orders))


def record_contact(
    state: State | None, ticket: Ticket, customer_key: str
) -> tuple[State, Contacts]:
    """The new state and this ticket's Contacts. Idempotent per ticket id."""
    contacts: list[dict[str, Any]] = list((state or {}).get("contacts", []))
    at = ticket.received_at
    known = next((c for c in contacts if c["ticket_id"] == ticket.ticket_id), None)
    if known is None:
        earlier = [c for c in contacts if datetime.fromisoformat(c["at"]) <= at]
        previous = max(earlier, key=lambda c: c["at"], default=None)
        orders = list(ticket.order_numbers)
        if (previous is not None
                and at - datetime.fromisoformat(previous["at"]) <= CONVERSATION_GAP
                and _same_matter(orders, previous["orders"])):
            conversation = previous["conversation_id"]
        else:
            conversation = conversation_id_for(customer_key, ticket.ticket_id)
        known = {"ticket_id": ticket.ticket_id, "at": at.isoformat(), "orders": orders,
                 "conversation_id": conversation,
                 "previous": previous["ticket_id"] if previous else None}
        contacts.append(known)
    horizon = max(datetime.fromisoformat(c["at"]) for c in contacts) - WINDOW_7D
    contacts = sorted((c for c in contacts if datetime.fromisoformat(c["at"]) >= horizon),
                      key=lambda c: c["at"])[-MAX_REMEMBERED:]
    at_known = datetime.fromisoformat(known["at"])
    window = [datetime.fromisoformat(c["at"]) for c in contacts]
    result = Contacts(
        last_24h=max(1, sum(at_known - WINDOW_24H < t <= at_known for t in window)),
        last_7d=max(1, sum(at_known - WINDOW_7D < t <= at_known for t in window)),
        conversation_id=known["conversation_id"],
        previous_ticket_id=known["previous"],
    )
    return {"contacts": contacts}, result
