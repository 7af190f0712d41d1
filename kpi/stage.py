"""The KPI stage without Kafka: turn input messages (and timer ticks) into records to emit and
table writes, like :mod:`sla.stage`. A faust agent (next) is a thin loop around :class:`KpiStage`;
tests drive it with a dict for a table and an injected clock.

Inputs (keyed by ticket id, co-partitioned): ``tickets.routed`` (RoutedTicket),
``helpdesk.events`` (HelpdeskEvent, surveys included; see
:func:`parse_helpdesk`), ``sla.events`` (SlaEvent). Outputs: :class:`~schemas.kpi.KpiTicket` on
``kpi.tickets`` and :class:`~schemas.kpi.KpiFcr` on ``kpi.fcr``, and state writes — a JSON value,
or None for a delete (a changelog tombstone).

Order of effects, as in the SLA stage: publish the records (and wait for the broker), then store
the writes. A crash in between re-derives the same records with the same ids from the old state.

State bound: a ticket's entry lives until its FCR record (``solved_at`` + window + grace, so at
most 7 days + 1 h after the solve by default) or, never solved or never routed, until
``abandon_after`` (30 days) after its last event; a customer's entry lists only their tickets
still undecided and is deleted with the last one. Both entries cap what they keep
(:data:`~kpi.tracker.MAX_SEEN_EVENTS`, :data:`~kpi.tracker.MAX_PENDING_PER_CUSTOMER`).

Late events: a help-desk or SLA event for a ticket whose record was already emitted updates the
state, and so the FCR follow-up; one arriving after the state was deleted starts an unrouted
entry that no record comes from and that is forgotten after ``abandon_after``. Events before the
routed message are applied at once (counting needs nothing from routing); the record waits for
the routed message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from kpi.tracker import (
    MAX_PENDING_PER_CUSTOMER,
    CustomerKpi,
    KpiConfig,
    PendingTicket,
    TicketKpi,
    customer_key,
    fcr_record,
    on_helpdesk,
    on_routed,
    on_sla_event,
    recontacts,
    ticket_record,
    wake_at,
)
from schemas.kpi import KpiFcr, KpiTicket
from schemas.routing import RoutedTicket
from schemas.sla import HelpdeskEvent, SlaEvent
from sla.schedule import DeadlineIndex
from sla.stage import InMessage  # the same message shape as the SLA stage reads

ROUTED_TOPIC = "tickets.routed"
HELPDESK_TOPIC = "helpdesk.events"
SLA_TOPIC = "sla.events"
TICKETS_TOPIC = "kpi.tickets"
FCR_TOPIC = "kpi.fcr"

def parse_helpdesk(value: bytes) -> HelpdeskEvent | None:
    """The help-desk event (surveys included: ``csat_submitted``/``nps_submitted`` are validated
    by the one model), or None when it is not valid (the SLA stage dead-letters those: the KPI
    stage skips them rather than dead-letter the same message twice)."""
    try:
        return HelpdeskEvent.model_validate_json(value)
    except ValidationError:
        return None


State = TicketKpi | CustomerKpi


@dataclass
class Output:
    records: list[KpiTicket | KpiFcr] = field(default_factory=list)
    writes: dict[str, tuple[int, State | None]] = field(default_factory=dict)
    """Table key → (partition, new state or None: delete), last write wins."""

    def merge(self, other: Output) -> None:
        self.records += other.records
        self.writes.update(other.writes)


TableGet = Callable[[str], Any]


class KpiStage:
    def __init__(self, config: KpiConfig, clock: Callable[[], datetime]) -> None:
        self.config = config
        self.clock = clock
        self.index = DeadlineIndex()

    # --- reading ---------------------------------------------------------------------------
    @staticmethod
    def _raw(get: TableGet, key: str, overlay: Output | None) -> tuple[bool, Any]:
        """(whether the batch wrote it: a state or None, else the table's JSON or None)."""
        if overlay is not None and key in overlay.writes:
            return True, overlay.writes[key][1]
        return False, get(key)

    def load_ticket(self, get: TableGet, ticket_id: str,
                    overlay: Output | None = None) -> TicketKpi | None:
        hit, value = self._raw(get, ticket_id, overlay)
        if hit or value is None:
            return value if isinstance(value, TicketKpi) else None
        return TicketKpi.model_validate_json(value)

    def load_customer(self, get: TableGet, customer: str,
                      overlay: Output | None = None) -> CustomerKpi | None:
        hit, value = self._raw(get, customer_key(customer), overlay)
        if hit or value is None:
            return value if isinstance(value, CustomerKpi) else None
        return CustomerKpi.model_validate_json(value)

    # --- messages --------------------------------------------------------------------------
    def handle_batch(self, messages: Iterable[InMessage], get: TableGet) -> Output:
        """Records and writes for a micro-batch, in order; later messages see earlier ones'
        writes (nothing is stored until :meth:`stored`)."""
        out = Output()
        for message in messages:
            out.merge(self.handle(message, get, out))
        return out

    def handle(self, message: InMessage, get: TableGet, overlay: Output | None = None) -> Output:
        now = self.clock()
        p = message.partition
        if message.topic == HELPDESK_TOPIC:
            event = parse_helpdesk(message.value)
            if event is None:
                return Output()
            before = self.load_ticket(get, event.ticket_id, overlay)
            return self._settle(before, on_helpdesk(before, event, p), get, overlay, now)
        if message.topic == SLA_TOPIC:
            sla_event = SlaEvent.model_validate_json(message.value)  # our own output: trusted
            before = self.load_ticket(get, sla_event.ticket_id, overlay)
            return self._settle(before, on_sla_event(before, sla_event, p), get, overlay, now)
        routed = RoutedTicket.model_validate_json(message.value)  # our own output: trusted
        before = self.load_ticket(get, routed.ticket.ticket_id, overlay)
        after = on_routed(before, routed, p, now)
        out = Output()
        if after.customer is not None and (before is None or not before.is_routed):
            after = self._link_customer(after, get, overlay, out)
        out.merge(self._settle(before, after, get, overlay, now))
        return out

    def _settle(self, before: TicketKpi | None, after: TicketKpi, get: TableGet,
                overlay: Output | None, now: datetime) -> Output:
        out = Output()
        record = ticket_record(after, self.config, now)
        if record is not None:
            out.records.append(record)
            after = after.model_copy(update={"emitted": True})
        if after != before:
            out.writes[after.ticket_id] = (after.partition, after)
        return out

    def _link_customer(self, state: TicketKpi, get: TableGet, overlay: Output | None,
                       out: Output) -> TicketKpi:
        """A newly routed ticket joins its customer's undecided tickets: each related earlier
        one it re-contacts is marked; a related later one (routed first) marks it."""
        customer = state.customer
        assert customer is not None and state.received_at is not None
        entry = self.load_customer(get, customer, overlay) or CustomerKpi(customer=customer)
        mine = PendingTicket(ticket_id=state.ticket_id, received_at=state.received_at,
                             conversation_id=state.conversation_id, intent=state.intent)
        for other in entry.pending:
            if other.ticket_id == state.ticket_id:
                continue
            if state.recontact is None and recontacts(state, other, self.config):
                state = state.model_copy(update={"recontact": other.ticket_id})
            earlier = self.load_ticket(get, other.ticket_id, _with(overlay, out))
            if (earlier is not None and earlier.is_routed and earlier.recontact is None
                    and recontacts(earlier, mine, self.config)):
                marked = earlier.model_copy(update={"recontact": state.ticket_id})
                out.writes[earlier.ticket_id] = (earlier.partition, marked)
        if all(t.ticket_id != state.ticket_id for t in entry.pending):
            pending = sorted((*entry.pending, mine), key=lambda t: (t.received_at, t.ticket_id))
            entry = entry.model_copy(update={"pending": tuple(pending[-MAX_PENDING_PER_CUSTOMER:])})
            out.writes[customer_key(customer)] = (state.partition, entry)
        return state

    # --- the timer -------------------------------------------------------------------------
    def tick(self, ticket_ids: Iterable[str], get: TableGet, now: datetime | None = None) -> Output:
        """Close what is due by ``now`` (default: the clock) for these tickets: the FCR record
        and the deletes of a ticket whose window closed; the deletes alone of a ticket never
        solved (or never routed) for ``abandon_after``. Pure apart from reading the table;
        calling it again after :meth:`stored` does nothing."""
        now = self.clock() if now is None else now
        out = Output()
        for ticket_id in ticket_ids:
            state = self.load_ticket(get, ticket_id, out)
            if state is None:
                continue
            fcr_at, gone_at = state.fcr_due_at(self.config), state.abandon_at(self.config)
            if fcr_at is not None and now >= fcr_at:
                out.records.append(fcr_record(state, self.config, now))
            elif gone_at is None or now < gone_at:
                continue
            out.writes[ticket_id] = (state.partition, None)
            customer = state.customer
            if customer is not None:
                entry = self.load_customer(get, customer, out)
                if entry is not None:
                    left = tuple(t for t in entry.pending if t.ticket_id != ticket_id)
                    out.writes[customer_key(customer)] = (
                        state.partition, entry.model_copy(update={"pending": left}) if left
                        else None)
        return out

    def due(self, get: TableGet, owned: set[int]) -> Output:
        """What the timer closes now on the owned partitions (tickets leave the index; storing
        the output puts back those with something left to do)."""
        now = self.clock()
        due = sorted(self.index.pop_due(now, owned).items())
        out = self.tick([t for _, tickets in due for t in tickets], get, now)
        for partition, tickets in due:  # not closed after all (an older index): wake it again
            for ticket_id in tickets:
                if ticket_id not in out.writes and (state := self.load_ticket(get, ticket_id)):
                    self.index.set(ticket_id, partition, wake_at(state, self.config))
        return out

    # --- writing ---------------------------------------------------------------------------
    def stored(self, out: Output, get: TableGet,
               put: Callable[[int, str, bytes | None], None]) -> None:
        """Store the writes (after the records were delivered): unchanged values are not
        rewritten, deletes only of what exists; the timer index follows."""
        for key, (partition, state) in out.writes.items():
            if state is None:
                if get(key) is not None:
                    put(partition, key, None)
                if not key.startswith("customer/"):
                    self.index.set(key, partition, None)
                continue
            data = state.model_dump_json().encode()
            if get(key) != data:
                put(partition, key, data)
            if isinstance(state, TicketKpi):
                self.index.set(key, partition, wake_at(state, self.config))

    def rebuild(self, items: Iterable[tuple[str, Any]], owned: set[int]) -> int:
        """After an assignment change: re-index the owned partitions' tickets from the table."""
        entries = []
        for key, raw in items:
            if raw is None or key.startswith("customer/"):
                continue
            state = TicketKpi.model_validate_json(raw)
            if state.partition in owned:
                entries.append((key, state.partition, wake_at(state, self.config)))
        self.index.rebuild(entries)
        return len(self.index)


def _with(overlay: Output | None, out: Output) -> Output:
    merged = Output(writes=dict(overlay.writes) if overlay is not None else {})
    merged.writes.update(out.writes)
    return merged
