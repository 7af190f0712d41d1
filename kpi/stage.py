"""The KPI stage without Kafka: turn input messages into records, facts, commands and table
writes, like :mod:`sla.stage`. In the worker it is the KPI half of the per-ticket agent
(``streams/kpi_worker.py``, driven by ``streams/sla_worker.py``'s loop); tests drive it with a
dict for a table and an injected clock.

Inputs (all keyed by ticket id, so co-partitioned): ``tickets.routed`` (read as
:class:`~kpi.tracker.RoutedView`: only the fields used), ``helpdesk.events`` (HelpdeskEvent,
surveys included; see :func:`parse_helpdesk`), ``<app id>-kpi-commands`` (:class:`Recontact`
keyed by the ticket it is about, :class:`Tick` sent by a worker's timer to its own partition),
and the ``sla.breached`` events the SLA stage derives from the same messages in the same
agent (:class:`SlaBreach`, placed by :func:`interleave` right after the message that caused
them). The breaches are what ``sla.events`` carries; taking them in-process spares the worker
consuming the whole topic again (two messages per ticket, most of them not breaches).

Outputs: :class:`~schemas.kpi.KpiTicket` on ``kpi.tickets``, :class:`~schemas.kpi.KpiFcr` on
``kpi.fcr``, :class:`~schemas.kpi.KpiFact` for ``<app id>-kpi-facts`` (keyed by intent, sent
one message per intent and batch: :func:`fact_messages`),
recontact commands, and state writes — a JSON value, or None for a delete (a changelog
tombstone).

Facts (for the rollups): ``received`` at a ticket's first routing (with its orders' carrier,
status and lateness), ``solved`` with its KpiTicket, ``fcr`` with its KpiFcr (``at``: the
decision's due time, solve + window + grace, so a replay places it in the same hour),
``breach`` per metric first breached, ``csat`` per survey score applied. A fact needs the
ticket's queue: a breach or CSAT known before the routed message is emitted with it. Each fact
comes from a state change, so a redelivered message gives none; a crash before storing gives the
same facts again with the same ``fact_id``.

Order of effects, as in the SLA stage: publish the records, facts and commands (and wait for
the broker), then store the writes. A crash in between re-derives the same output with the same
ids from the old state.

State bound: a ticket's entry lives until its FCR record (``solved_at`` + window + grace, so at
most 7 days + 1 h after the solve by default) or, routed and never solved, until
``abandon_after`` (30 days) after its last event, or, never routed, ``unrouted_after`` (7 days)
after its last event; it caps the events it remembers
(:data:`~kpi.tracker.MAX_SEEN_EVENTS`) and keeps one recontact.

Late events: a help-desk or SLA event for a ticket whose record was already emitted updates the
state, and so the FCR follow-up; one arriving after the state was deleted starts an unrouted
entry that no record comes from and that is forgotten after ``unrouted_after``. Events before the
routed message are applied at once (counting needs nothing from routing); the record waits for
the routed message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from enrichment.contacts import related
from kpi.tracker import (
    KpiConfig,
    RoutedView,
    TicketKpi,
    event_key,
    fcr_record,
    on_helpdesk,
    on_recontact,
    on_routed,
    on_sla_event,
    ticket_record,
    wake_at,
)
from schemas.kpi import (
    MAX_FACTS_PER_MESSAGE,
    KpiFact,
    KpiFactKind,
    KpiFacts,
    KpiFcr,
    KpiTicket,
    OrderFact,
    kpi_fact_id,
)
from schemas.sla import HelpdeskEvent, SlaEvent
from sla.schedule import DeadlineIndex
from sla.stage import InMessage  # the same message shape as the SLA stage reads
from sla.stage import Output as SlaOutput

ROUTED_TOPIC = "tickets.routed"
HELPDESK_TOPIC = "helpdesk.events"
TICKETS_TOPIC = "kpi.tickets"
FCR_TOPIC = "kpi.fcr"
COMMANDS_TOPIC = "ticketflow-kpi-commands"
"""The command topic of the default app id; a worker passes its own."""
UNKNOWN_INTENT = "unknown"


def parse_helpdesk(value: bytes) -> HelpdeskEvent | None:
    """The help-desk event (surveys included: ``csat_submitted``/``nps_submitted`` are validated
    by the one model), or None when it is not valid (the SLA stage dead-letters those: the KPI
    stage skips them rather than dead-letter the same message twice)."""
    try:
        return HelpdeskEvent.model_validate_json(value)
    except ValidationError:
        return None


class _Command(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Recontact(_Command):
    """Ticket ``by`` (received ``at``) is a later contact of ``ticket_id``'s customer about the
    same matter; keyed by ``ticket_id``, so it reaches that ticket's partition."""

    type: Literal["recontact"] = "recontact"
    ticket_id: str
    by: str
    at: datetime


class Tick(_Command):
    """Close what is due for these tickets (all on the message's partition)."""

    type: Literal["tick"] = "tick"
    at: datetime
    tickets: tuple[str, ...]


Command = Annotated[Recontact | Tick, Field(discriminator="type")]
_COMMAND: TypeAdapter[Recontact | Tick] = TypeAdapter(Command)


@dataclass
class Output:
    records: list[KpiTicket | KpiFcr] = field(default_factory=list)
    facts: list[KpiFact] = field(default_factory=list)
    commands: list[Recontact] = field(default_factory=list)
    writes: dict[str, tuple[int, TicketKpi | None]] = field(default_factory=dict)
    """Table key → (partition, new state or None: delete), last write wins."""
    skipped: list[InMessage] = field(default_factory=list)
    """Messages that are not what their topic carries (skipped, so one cannot cost the batch):
    invalid help-desk events are not here — the SLA agent dead-letters those."""

    def merge(self, other: Output) -> None:
        self.records += other.records
        self.facts += other.facts
        self.commands += other.commands
        self.writes.update(other.writes)
        self.skipped += other.skipped


TableGet = Callable[[str], Any]


def _fact(state: TicketKpi, kind: KpiFactKind, at: datetime, detail: str = "",
          **values: Any) -> KpiFact:
    assert state.queue is not None and state.channel is not None
    return KpiFact(fact_id=kpi_fact_id(state.ticket_id, kind, detail), kind=kind,
                   ticket_id=state.ticket_id, at=at, queue=state.queue, channel=state.channel,
                   intent=state.intent or UNKNOWN_INTENT, **values)


def order_facts(routed: RoutedView) -> tuple[OrderFact, ...]:
    """carrier, status and lateness of the ticket's matched orders, each once."""
    enrichment = routed.ticket.enrichment
    if enrichment is None:
        return ()
    seen: dict[tuple[str, str], None] = {}
    for order in enrichment.orders:
        if order.carrier:
            seen[("carrier", order.carrier)] = None
        seen[("status", order.status)] = None
        seen[("late", "true" if order.late else "false")] = None
    return tuple(OrderFact(field=f, value=v) for f, v in seen)


@dataclass(frozen=True)
class SlaBreach:
    """An ``sla.breached`` event of the ticket stored on ``partition``, from the SLA stage."""

    partition: int
    event: SlaEvent


def interleave(messages: Iterable[InMessage], sla_out: SlaOutput, sla_commands: str,
               kpi_commands: str) -> list[InMessage | SlaBreach]:
    """The KPI stage's input for one batch of the per-ticket agent: ``messages`` in order,
    without the SLA commands, each followed by the breaches its SLA step derived — the SLA
    stage was given every message but the KPI commands, in the same order (``sla_out.origins``
    index into that list). A breach thus follows what caused it, as a solve after it does."""
    caused: dict[int, list[SlaBreach]] = {}
    for step, origin in zip(sla_out.steps, sla_out.origins, strict=True):
        for event in step.events:
            if event.type == "sla.breached":
                caused.setdefault(origin, []).append(SlaBreach(step.state.partition, event))
    out: list[InMessage | SlaBreach] = []
    given = 0  # index into what the SLA stage was given
    for message in messages:
        if message.topic == kpi_commands:
            out.append(message)
            continue
        if message.topic != sla_commands:
            out.append(message)
        out += caused.get(given, ())
        given += 1
    return out


def fact_messages(facts: Iterable[KpiFact]) -> list[KpiFacts]:
    """A batch's facts as ``<app id>-kpi-facts`` messages: one per intent (its key), in the
    order they happened, split at :data:`~schemas.kpi.MAX_FACTS_PER_MESSAGE`."""
    by_intent: dict[str, list[KpiFact]] = {}
    for fact in facts:
        by_intent.setdefault(fact.intent, []).append(fact)
    return [KpiFacts(intent=intent, facts=tuple(group[i:i + MAX_FACTS_PER_MESSAGE]))
            for intent, group in by_intent.items()
            for i in range(0, len(group), MAX_FACTS_PER_MESSAGE)]


class KpiStage:
    def __init__(self, config: KpiConfig, clock: Callable[[], datetime],
                 commands_topic: str = COMMANDS_TOPIC) -> None:
        self.config = config
        self.clock = clock
        self.commands_topic = commands_topic
        self.index = DeadlineIndex()

    # --- reading ---------------------------------------------------------------------------
    # JSON bytes in the table, parsed on use (as the SLA stage: parsed states held in memory
    # made Python's full GC pause the worker).
    def load(self, get: TableGet, ticket_id: str, overlay: Output | None = None
             ) -> TicketKpi | None:
        if overlay is not None and ticket_id in overlay.writes:
            return overlay.writes[ticket_id][1]
        raw = get(ticket_id)
        return None if raw is None else TicketKpi.model_validate_json(raw)

    # --- messages --------------------------------------------------------------------------
    def handle_batch(self, messages: Iterable[InMessage | SlaBreach], get: TableGet) -> Output:
        """Records, facts, commands and writes for a micro-batch, in order; later messages see
        earlier ones' writes (nothing is stored until :meth:`stored`)."""
        out = Output()
        for message in messages:
            out.merge(self.handle(message, get, out))
        return out

    def handle(self, message: InMessage | SlaBreach, get: TableGet,
               overlay: Output | None = None) -> Output:
        now = self.clock()
        p = message.partition
        if isinstance(message, SlaBreach):
            before = self.load(get, message.event.ticket_id, overlay)
            return self._settle(before, on_sla_event(before, message.event, p), now)
        topic = message.topic
        if topic == HELPDESK_TOPIC:
            event = parse_helpdesk(message.value)
            if event is None:
                return Output()
            before = self.load(get, event.ticket_id, overlay)
            return self._settle(before, on_helpdesk(before, event, p), now)
        if topic == self.commands_topic:
            return self._command(message, get, overlay, now)
        try:
            routed = RoutedView.model_validate_json(message.value)
        except ValidationError:  # as above
            return Output(skipped=[message])
        before = self.load(get, routed.ticket.ticket_id, overlay)
        after = on_routed(before, routed, p, self.config.clock_start)
        out = Output()
        if before is None or not before.is_routed:
            after = self._first_routing(after, routed, out)
        out.merge(self._settle(before, after, now))
        return out

    def _first_routing(self, state: TicketKpi, routed: RoutedView, out: Output) -> TicketKpi:
        """The ticket's received fact, and FCR across channels: each related earlier contact of
        the customer is told (a command on its partition); a related later one, routed first,
        marks this ticket here."""
        assert state.received_at is not None
        out.facts.append(_fact(state, "received", state.received_at,
                               order_facts=order_facts(routed)))
        mine = state.received_at
        for other in routed.ticket.recent:
            if other.ticket_id == state.ticket_id or not related(
                    state.intent, state.conversation_id, other.intent, other.conversation_id):
                continue
            if other.received_at < mine:
                out.commands.append(Recontact(ticket_id=other.ticket_id, by=state.ticket_id,
                                              at=mine))
            elif other.received_at > mine:
                state = on_recontact(state, state.ticket_id, other.ticket_id, other.received_at,
                                     state.partition)
        return state

    def _command(self, message: InMessage, get: TableGet, overlay: Output | None,
                 now: datetime) -> Output:
        try:
            command = _COMMAND.validate_json(message.value)
        except ValidationError:  # only this app writes the topic
            return Output(skipped=[message])
        if isinstance(command, Tick):
            return self.tick(command.tickets, get, max(now, command.at), overlay,
                             partition=message.partition)
        before = self.load(get, command.ticket_id, overlay)
        after = on_recontact(before, command.ticket_id, command.by, command.at,
                             message.partition)
        return self._settle(before, after, now)

    def _settle(self, before: TicketKpi | None, after: TicketKpi, now: datetime) -> Output:
        """The record and facts a state change gives, and its write."""
        out = Output()
        if after.is_routed:
            first = before is None or not before.is_routed
            known = () if first or before is None else before.breached
            for breach in after.breached:
                if breach not in known:
                    out.facts.append(_fact(after, "breach", breach.at, breach.metric,
                                           metric=breach.metric))
            if after.csat is not None and after.csat_at is not None and (
                    first or before is None or before.csat_at != after.csat_at):
                out.facts.append(_fact(after, "csat", after.csat_at, after.csat_at.isoformat(),
                                       csat_score=after.csat))
        record = ticket_record(after, self.config, now)
        if record is not None:
            out.records.append(record)
            out.facts.append(_fact(after, "solved", record.solved_at,
                                   first_response_s=record.first_response_s,
                                   resolution_s=record.resolution_s))
            after = after.model_copy(update={"emitted": True})
        if after != before:
            out.writes[after.ticket_id] = (after.partition, after)
        return out

    # --- the timer -------------------------------------------------------------------------
    def tick(self, ticket_ids: Iterable[str], get: TableGet, now: datetime | None = None,
             overlay: Output | None = None, partition: int | None = None) -> Output:
        """Close what is due by ``now`` (default: the clock) for these tickets: the FCR record
        (and fact) and the delete of a ticket whose window closed; the delete alone of a ticket
        routed and never solved for ``abandon_after``, or never routed for ``unrouted_after``.
        ``partition``: only tickets stored on it (a tick command's). Calling it again after
        :meth:`stored` does nothing."""
        now = self.clock() if now is None else now
        out = Output()
        for ticket_id in ticket_ids:
            state = (out.writes[ticket_id][1] if ticket_id in out.writes
                     else self.load(get, ticket_id, overlay))
            if state is None or (partition is not None and state.partition != partition):
                continue
            fcr_at, gone_at = state.fcr_due_at(self.config), state.abandon_at(self.config)
            if fcr_at is not None and now >= fcr_at:
                record = fcr_record(state, self.config, now)
                out.records.append(record)
                out.facts.append(_fact(state, "fcr", fcr_at, fcr=record.fcr))
            elif gone_at is None or now < gone_at:
                continue
            out.writes[ticket_id] = (state.partition, None)
        return out

    def due_commands(self, owned: set[int], chunk: int = 500) -> list[tuple[int, bytes]]:
        """(partition, tick command) pairs for every ticket due now on an owned partition; the
        tickets leave the index (storing the tick's output puts back what is left to do)."""
        now = self.clock()
        out = []
        for partition, ids in sorted(self.index.pop_due(now, owned).items()):
            for i in range(0, len(ids), chunk):
                body = Tick(at=now, tickets=tuple(ids[i:i + chunk]))
                out.append((partition, body.model_dump_json().encode()))
        return out

    def reschedule(self, commands: Iterable[tuple[int, bytes]]) -> None:
        """Put back the tickets of tick commands that could not be sent."""
        for partition, body in commands:
            command = Tick.model_validate_json(body)
            for ticket_id in command.tickets:
                self.index.set(ticket_id, partition, command.at)

    # --- writing ---------------------------------------------------------------------------
    def stored(self, out: Output, get: TableGet,
               put: Callable[[int, str, bytes | None], None]) -> None:
        """Store the writes (after the records were delivered): unchanged values are not
        rewritten, deletes only of what exists; the timer index follows."""
        for key, (partition, state) in out.writes.items():
            if state is None:
                if get(key) is not None:
                    put(partition, key, None)
                self.index.set(key, partition, None)
                continue
            data = state.model_dump_json().encode()
            if get(key) != data:
                put(partition, key, data)
            self.index.set(key, partition, wake_at(state, self.config))

    def rebuild(self, items: Iterable[tuple[str, Any]], owned: set[int]) -> int:
        """After an assignment change: re-index the owned partitions' tickets from the table.
        Returns how many are tracked (the ``ticketflow_kpi_tracked_tickets`` gauge)."""
        entries = []
        for key, raw in items:
            if raw is None:
                continue
            state = TicketKpi.model_validate_json(raw)
            if state.partition in owned:
                entries.append((key, state.partition, wake_at(state, self.config)))
        self.index.rebuild(entries)
        return len(self.index)


__all__ = ["COMMANDS_TOPIC", "FCR_TOPIC", "HELPDESK_TOPIC", "ROUTED_TOPIC", "TICKETS_TOPIC",
           "InMessage", "KpiStage", "Output", "Recontact", "SlaBreach", "Tick", "event_key",
           "fact_messages", "interleave", "parse_helpdesk"]
