"""The routing stage's pure core: one batch of tickets (already partitioned by customer) in,
per-customer contact state and routed tickets out.

For each ticket, in order: record the contact in its customer's state (repeat contacts in
24 h / 7 d, conversation threading: ``enrichment.contacts``), re-prioritize with what that
adds, then route with the active ruleset. Tickets of one customer in the same batch see each
other's contacts, as they would one by one. A failure in the contacts step degrades that ticket
to routing without contacts; it is never dropped.

The faust agent (``streams/worker.py``) only reads states from its table, calls
:func:`route_batch`, publishes the routed tickets and writes the states back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from pydantic import ValidationError

from channels.base import RawRecord
from channels.dispatch import dead_letter
from core.logs import log_deadletters, source_context
from enrichment.contacts import WINDOW_7D, State, is_expired, record_contact
from enrichment.enrich import reprioritize
from schemas import DeadLetter, ErrorCode, Ticket
from schemas.enrichment import Contacts
from schemas.routing import Decision, RoutedTicket

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StateWrite:
    """A customer's new contact state, to be stored on ``partition`` (the input record's)."""

    partition: int
    customer_key: str
    state: State


@dataclass(frozen=True)
class RouteOutput:
    routed: list[RoutedTicket]
    writes: list[StateWrite]
    deadletters: list[DeadLetter]
    latest_received: datetime | None = None
    """The newest ``received_at`` in the batch: how far event time has got (see
    :func:`expired_contacts`)."""


def customer_key(ticket: Ticket) -> str:
    """What one customer's tickets share, across channels: the resolved customer when
    enrichment found one, else the channel identity."""
    return ticket.enrichment.customer_key if ticket.enrichment else ticket.customer.identity_key


def with_contacts(ticket: Ticket, contacts: Contacts) -> Ticket:
    if ticket.enrichment is None:
        return ticket
    thread = ticket.thread.model_copy(update={"conversation_id": contacts.conversation_id})
    return ticket.model_copy(update={
        "enrichment": ticket.enrichment.model_copy(update={"contacts": contacts}),
        "thread": thread,
    })


def route_batch(
    records: Sequence[RawRecord],
    get_state: Callable[[str], State | None],
    route: Callable[[Ticket], Decision],
    now: datetime,
    keep: timedelta = WINDOW_7D,
) -> RouteOutput:
    """``records`` are ``tickets.normalized`` messages in input order, each parsed once here;
    one that is not a Ticket, or that routing raises on, is dead-lettered: this never raises
    (faust acks a batch even when the agent body raised, faust-streaming #315). ``get_state``
    reads the stored state; states changed earlier in the batch are read from here, not from
    it. ``keep``: how long contacts are remembered (``enrichment.contacts.contacts_keep``)."""
    changed: dict[str, StateWrite] = {}
    routed: list[RoutedTicket] = []
    deadletters: list[DeadLetter] = []
    for record in records:
        try:
            ticket = Ticket.model_validate_json(record.value)
        except ValidationError as exc:
            deadletters.append(dead_letter(
                record, ErrorCode.SCHEMA_VALIDATION,
                "Not a ticket/1 record on tickets.normalized: only ticketflow's pipeline "
                "should write this topic (see schemas/json/ticket.json).", now,
                [str(e["msg"]) for e in exc.errors()[:10]]))
            continue
        key = customer_key(ticket)
        try:
            before = changed[key].state if key in changed else get_state(key)
            state, contacts = record_contact(before, ticket, key, keep)
            changed[key] = StateWrite(record.source.partition, key, state)
            ticket = reprioritize(with_contacts(ticket, contacts))
        except Exception:  # degrade: route without contacts rather than lose the ticket
            log.exception("contacts failed for %s; routed without them", ticket.ticket_id,
                          extra=source_context(record.source, ticket.ticket_id))
        try:
            routed.append(RoutedTicket(ticket=ticket, decision=route(ticket), routed_at=now))
        except Exception as exc:  # a ruleset or engine bug: keep the ticket, say so
            log.exception("routing failed for %s", ticket.ticket_id,
                          extra=source_context(record.source, ticket.ticket_id))
            deadletters.append(dead_letter(
                record, ErrorCode.INTERNAL_ERROR,
                f"Routing raised {type(exc).__name__}: a bug in ticketflow or the active "
                "ruleset. Replay this record once it is fixed.", now, [str(exc)[:500]]))
    log_deadletters(log, deadletters)
    latest = max((r.ticket.received_at for r in routed), default=None)
    return RouteOutput(routed=routed, writes=list(changed.values()), deadletters=deadletters,
                       latest_received=latest)


def expired_contacts(
    items: Iterable[tuple[str, State | None]],
    watermark: datetime,
    owned: Container[int],
    partition_of: Callable[[str], int],
    keep: timedelta = WINDOW_7D,
) -> list[tuple[int, str]]:
    """(partition, customer key) of every stored contact state on an ``owned`` partition that
    no ticket received from ``watermark`` on can see any more (``enrichment.contacts.is_expired``)
    — to be deleted, so customers who never write again do not stay in memory forever.

    ``watermark`` is event time (the newest ``received_at`` routed, capped at the wall clock),
    like the windows themselves: a replay of old traffic does not expire what it is about to
    count. ``partition_of`` maps a key to its partition, as the producer's partitioner does.
    ``keep``: as for :func:`route_batch`."""
    out = []
    for key, state in items:
        if not is_expired(state, watermark, keep):
            continue
        partition = partition_of(key)
        if partition in owned:
            out.append((partition, key))
    return out
