"""Repeat contacts and conversation threading, per customer — the pure core of the keyed stage.

State is one small JSON-able dict per customer key, kept in a faust table (changelog-backed) on
the partition that owns the key. Time is the ticket's own ``received_at``, never the wall clock,
so a replay after a crash computes the same counts and the same conversation ids; a redelivered
ticket is recognised by its id and not counted twice.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from operator import itemgetter
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


# One remembered contact, compact because the whole state is written to the changelog once per
# batch and read for every ticket: [ticket_id, received_at as epoch seconds, order numbers,
# conversation_id, previous ticket_id]. Epoch seconds, not ISO text: no parsing per read, and
# they sort right whatever the offsets the times were written with.
Entry = list[Any]
STATE_VERSION = 2


def entries_of(state: State | None) -> list[Entry]:
    """The remembered contacts of a stored state, of this version or the one before. A new
    list; the entries themselves are shared with ``state`` (nothing here mutates an entry)."""
    if not state:
        return []
    if "c" in state:
        return list(state["c"])
    # version 1: {"contacts": [{"ticket_id", "at" (ISO 8601), "orders", "conversation_id",
    # "previous"}]} — still in the changelogs of deployments from before
    return [[c["ticket_id"], datetime.fromisoformat(c["at"]).timestamp(), list(c["orders"]),
             c["conversation_id"], c["previous"]] for c in state.get("contacts", [])]


def last_contact_at(state: State | None) -> float | None:
    """The newest remembered contact's time (epoch seconds), None for an empty state."""
    entries = state.get("c") if state and "c" in state else entries_of(state)
    return max((entry[1] for entry in entries), default=None) if entries else None


def is_expired(state: State | None, watermark: datetime) -> bool:
    """Whether no ticket received at or after ``watermark`` can see this customer's contacts:
    the newest is the longest window (7 d, longer than the conversation gap) or more older. Such
    a state only takes memory; the stage deletes it."""
    newest = last_contact_at(state)
    return newest is None or newest <= watermark.timestamp() - WINDOW_7D.total_seconds()


_AT = itemgetter(1)
_GAP_S = CONVERSATION_GAP.total_seconds()
_DAY_S = WINDOW_24H.total_seconds()
_WEEK_S = WINDOW_7D.total_seconds()


def record_contact(
    state: State | None, ticket: Ticket, customer_key: str
) -> tuple[State, Contacts]:
    """The new state and this ticket's Contacts. Idempotent per ticket id.

    One pass finds the ticket (a redelivery), the contact before it (the first of the latest,
    at or before it) and the latest time; a customer may have up to ``MAX_REMEMBERED``."""
    entries = entries_of(state)
    at = ticket.received_at.timestamp()
    ticket_id = ticket.ticket_id
    known = previous = None
    latest = None
    for entry in entries:
        entry_at = entry[1]
        if known is None and entry[0] == ticket_id:
            known = entry
        if entry_at <= at and (previous is None or entry_at > previous[1]):
            previous = entry
        if latest is None or entry_at > latest:
            latest = entry_at
    if known is None:
        orders = list(ticket.order_numbers)
        if (previous is not None and at - previous[1] <= _GAP_S
                and _same_matter(orders, previous[2])):
            conversation = previous[3]
        else:
            conversation = conversation_id_for(customer_key, ticket_id)
        known = [ticket_id, at, orders, conversation, previous[0] if previous else None]
        entries.append(known)
        if latest is None or at > latest:
            latest = at
    assert latest is not None  # entries holds known at least
    horizon = latest - _WEEK_S
    entries = sorted((e for e in entries if e[1] >= horizon), key=_AT)[-MAX_REMEMBERED:]
    at_known = known[1]
    day_start, week_start = at_known - _DAY_S, at_known - _WEEK_S
    last_24h = last_7d = 0
    for entry in entries:
        entry_at = entry[1]
        if entry_at <= at_known:
            if day_start < entry_at:
                last_24h += 1
            if week_start < entry_at:
                last_7d += 1
    result = Contacts(
        last_24h=max(1, last_24h),
        last_7d=max(1, last_7d),
        conversation_id=known[3],
        previous_ticket_id=known[4],
    )
    return {"v": STATE_VERSION, "c": entries}, result
