"""The SLA stage without Kafka: turn one input message into tracker steps, and keep the
worker-local pieces (a parsed-state cache, the deadline index) in step with the table.

The faust agent (``streams/sla_worker.py``) is a thin loop around :class:`SlaStage`; tests drive
the same class with a dict for a table and an injected clock.

Inputs, all keyed by ticket id and co-partitioned:

* ``tickets.routed``  → :func:`sla.tracker.on_routed`
* ``helpdesk.events`` → :func:`sla.tracker.on_helpdesk` (bad JSON → a dead letter; survey
  results, ``csat_submitted`` and ``nps_submitted``, are valid and skipped: no step)
* ``<app id>-sla-commands`` → :func:`sla.tracker.on_tick` for the listed tickets; written by this
  worker's own timer to the partition it owns, because a faust table can only be written while
  iterating a stream.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ValidationError

from channels.base import RawRecord
from channels.dispatch import dead_letter
from schemas.common import Source
from schemas.deadletter import DeadLetter, ErrorCode
from schemas.routing import RoutedTicket
from schemas.ticket import Ticket
from sla.census import OpenCensus
from sla.events import SURVEY_TYPES, HelpdeskEvent
from sla.schedule import DeadlineIndex
from sla.tracker import (
    Breach,
    Route,
    SlaConfig,
    Step,
    TicketSla,
    breaches,
    on_helpdesk,
    on_routed,
    on_tick,
    wake_at,
)

ROUTED_TOPIC = "tickets.routed"
HELPDESK_TOPIC = "helpdesk.events"
COMMANDS_TOPIC = "ticketflow-sla-commands"
"""The command topic of the default app id; a worker passes its own (``<app id>-sla-commands``)."""


TICKET_SUFFIX = "/ticket"
LEGACY_ROUTED_SUFFIX = "/routed"
"""Earlier versions kept the whole RoutedTicket (decision and trace included) under this key:
still read when no ``/ticket`` copy exists, and deleted with the state."""


def ticket_key(ticket_id: str) -> str:
    return ticket_id + TICKET_SUFFIX


def routed_key(ticket_id: str) -> str:
    return ticket_id + LEGACY_ROUTED_SUFFIX


def _is_state_key(key: str) -> bool:
    return not key.endswith((TICKET_SUFFIX, LEGACY_ROUTED_SUFFIX))


class TickCommand(BaseModel):
    """One command-topic message: tick these tickets (all on the message's partition)."""

    at: datetime
    tickets: tuple[str, ...]


@dataclass(frozen=True)
class InMessage:
    topic: str
    partition: int
    offset: int
    value: bytes
    timestamp: datetime
    key: bytes | None = None


@dataclass
class Output:
    steps: list[Step] = field(default_factory=list)
    deadletters: list[DeadLetter] = field(default_factory=list)
    breaches: list[Breach] = field(default_factory=list)
    """The steps' ``sla.breached`` events, told live or replayed, with their labels."""
    origins: list[int] = field(default_factory=list)
    """For each step, the index in the batch of the message it came from (the KPI stage
    places each step's breaches after that message: :func:`kpi.stage.interleave`)."""

    @property
    def events(self) -> list[Any]:
        return [e for s in self.steps for e in s.events]

    @property
    def reroutes(self) -> list[RoutedTicket]:
        return [r for s in self.steps for r in s.reroutes]


TableGet = Callable[[str], Any]
Overlay = dict[str, "TicketSla | None"]
"""States changed earlier in a batch; None: forgotten earlier in the batch."""


class SlaStage:
    def __init__(self, config: SlaConfig, route: Route, clock: Callable[[], datetime],
                 commands_topic: str = COMMANDS_TOPIC,
                 parse_routed: Callable[[bytes], RoutedTicket] = RoutedTicket.model_validate_json,
                 ) -> None:
        """``parse_routed``: how a ``tickets.routed`` message becomes a RoutedTicket; the
        worker's takes the object its own routing agent sent (``streams/handoff.py``)."""
        self.config = config
        self.route = route
        self.clock = clock
        self.commands_topic = commands_topic
        self.parse_routed = parse_routed
        self.index = DeadlineIndex()
        self.census = OpenCensus()
        """Open tickets and clocks on the owned partitions, kept with the index."""

    # --- reading -------------------------------------------------------------------------
    # The table holds each state as JSON bytes, parsed on use and not cached: 10k parsed
    # states (and nested dicts) made Python's full GC pause the worker ~1 s every few seconds.
    def load(self, get: TableGet, ticket_id: str,
             overlay: Overlay | None = None,
             with_ticket: bool = False) -> TicketSla | None:
        """The ticket's state; ``with_ticket`` also loads its ticket (kept apart under
        ``<ticket_id>/ticket``, see :attr:`TicketSla.ticket`)."""
        if overlay is not None and ticket_id in overlay:
            state = overlay[ticket_id]
            if state is None:
                return None
        else:
            raw = get(ticket_id)
            if raw is None:
                return None
            state = TicketSla.model_validate_json(raw)
        if with_ticket and state.ticket is None and state.is_routed:
            raw_ticket = get(ticket_key(ticket_id))
            if raw_ticket is not None:
                state = state.model_copy(
                    update={"ticket": Ticket.model_validate_json(raw_ticket)})
            elif (raw_routed := get(routed_key(ticket_id))) is not None:
                state = state.model_copy(
                    update={"ticket": RoutedTicket.model_validate_json(raw_routed).ticket})
        return state

    def handle_batch(self, messages: Iterable[InMessage], get: TableGet) -> Output:
        """The steps for a micro-batch, in order; a ticket touched twice sees its own newer
        state (nothing is stored until :meth:`stored`)."""
        overlay: Overlay = {}
        out = Output()
        for i, message in enumerate(messages):
            one = self.handle(message, get, overlay)
            for step in one.steps:
                overlay[step.state.ticket_id] = None if step.forget else step.state
            out.steps += one.steps
            out.origins += [i] * len(one.steps)
            out.deadletters += one.deadletters
            out.breaches += one.breaches
        return out

    def handle(self, message: InMessage, get: TableGet,
               overlay: Overlay | None = None) -> Output:
        """The steps for one input message. Never raises on bad input: dead letters."""
        now = self.clock()
        if message.topic == self.commands_topic:
            return self._tick(message, get, now, overlay)
        if message.topic == HELPDESK_TOPIC:
            try:
                event = HelpdeskEvent.model_validate_json(message.value)
            except ValidationError as exc:
                return Output(deadletters=[_reject(message, exc, now)])
            if event.type in SURVEY_TYPES:
                # a survey result moves no clock: no step, so no state is created or rewritten
                # (and its comment, personal data, is never stored by this worker)
                return Output()
            state = self.load(get, event.ticket_id, overlay,
                              with_ticket=event.type == "declined")
            step = on_helpdesk(state, event, message.partition, self.config, self.route, now)
            return Output([step], breaches=breaches(state, step))
        routed = self.parse_routed(message.value)  # our own output: trusted
        state = self.load(get, routed.ticket.ticket_id, overlay)
        step = on_routed(state, routed, message.partition, self.config, self.route, now)
        return Output([step], breaches=breaches(state, step))

    def _tick(self, message: InMessage, get: TableGet, now: datetime,
              overlay: Overlay | None) -> Output:
        command = TickCommand.model_validate_json(message.value)
        now = max(now, command.at)
        out = Output()
        for ticket_id in command.tickets:
            state = self.load(get, ticket_id, overlay)
            if state is None or state.partition != message.partition:
                continue
            if state.needs_ticket(None, now):
                state = self.load(get, ticket_id, {ticket_id: state}, with_ticket=True)
                assert state is not None
            step = on_tick(state, self.config, self.route, now)
            out.steps.append(step)
            out.breaches += breaches(state, step)
        return out

    # --- writing -------------------------------------------------------------------------
    def stored(self, steps: Iterable[Step], get: TableGet,
               put: Callable[[int, str, bytes | None], None]) -> None:
        """Store each ticket's newest state (after its events were delivered) with
        ``put(partition, ticket_id, json_bytes)`` and schedule its next tick; a forgotten
        ticket's keys are deleted with ``put(partition, key, None)`` (a changelog tombstone).
        Unchanged states are not rewritten (a redelivered message costs no changelog)."""
        last = {step.state.ticket_id: step for step in steps}
        with_ticket = {step.state.ticket_id for step in steps if step.state.ticket is not None}
        forget_after = self.config.forget_after
        for ticket_id, step in last.items():
            state = step.state
            if step.forget:
                for key in (ticket_id, ticket_key(ticket_id), routed_key(ticket_id)):
                    if get(key) is not None:
                        put(state.partition, key, None)
                self.index.set(ticket_id, state.partition, None)
                self.census.set(ticket_id, None)
                continue
            data = state.model_dump_json().encode()
            if get(ticket_id) != data:
                put(state.partition, ticket_id, data)
            if state.attempt >= self.config.max_attempts or state.closed:
                # no re-route can happen any more: the ticket copy is dead weight
                if get(ticket_key(ticket_id)) is not None:
                    put(state.partition, ticket_key(ticket_id), None)
            elif ticket_id in with_ticket and state.ticket is not None:
                copy = state.ticket.model_dump_json().encode()
                if get(ticket_key(ticket_id)) != copy:
                    put(state.partition, ticket_key(ticket_id), copy)
            self.index.set(ticket_id, state.partition, wake_at(state, forget_after))
            self.census.set(ticket_id, state)

    # --- the timer's side ----------------------------------------------------------------
    def rebuild(self, items: Iterable[tuple[str, Any]], owned: set[int]) -> int:
        """After an assignment change: re-index (and recount) the owned partitions' tickets
        from the table. Returns how many tickets are scheduled."""
        entries = []
        self.census.clear()
        for ticket_id, raw in items:
            if raw is None or not _is_state_key(ticket_id):
                continue
            state = TicketSla.model_validate_json(raw)
            if state.partition in owned:
                entries.append((ticket_id, state.partition,
                                wake_at(state, self.config.forget_after)))
                self.census.set(ticket_id, state)
        self.index.rebuild(entries)
        return len(self.index)

    def due_commands(self, owned: set[int], chunk: int = 500) -> list[tuple[int, bytes]]:
        """(partition, command) pairs for every ticket due now on an owned partition."""
        now = self.clock()
        out = []
        for partition, ids in sorted(self.index.pop_due(now, owned).items()):
            for i in range(0, len(ids), chunk):
                body = TickCommand(at=now, tickets=tuple(ids[i:i + chunk]))
                out.append((partition, body.model_dump_json().encode()))
        return out

    def reschedule(self, commands: Iterable[tuple[int, bytes]]) -> None:
        """Put back tickets of commands that could not be sent."""
        for partition, body in commands:
            command = TickCommand.model_validate_json(body)
            for ticket_id in command.tickets:
                self.index.set(ticket_id, partition, command.at)


def _reject(message: InMessage, exc: ValidationError, now: datetime) -> DeadLetter:
    errors = exc.errors()
    json_broken = [e for e in errors if e["type"] in ("json_invalid", "json_type")]
    missing = [_missing(e) for e in errors if e["type"] == "missing"]
    if json_broken:
        problem = str(json_broken[0]["msg"]).removeprefix("Invalid JSON: ")
        code, reason = ErrorCode.INVALID_JSON, f"Help-desk event is not valid JSON ({problem})."
    elif missing:
        code = ErrorCode.MISSING_FIELD
        reason = f"Help-desk event lacks {', '.join(missing)} (see schemas/json/helpdesk.json)."
    else:
        code = ErrorCode.SCHEMA_VALIDATION
        first = errors[0]
        where = ".".join(map(str, first["loc"])) or "(root)"
        # what to fix, not only that something is wrong (the message never quotes the input)
        reason = (f"Help-desk event does not match schemas/json/helpdesk.json "
                  f"({where}: {first['msg']}).")
    details = [f"{'.'.join(map(str, e['loc'])) or '(root)'}: {e['msg']}" for e in errors[:10]]
    record = RawRecord(
        channel="helpdesk", value=message.value,
        source=Source(topic=message.topic, partition=message.partition, offset=message.offset,
                      key=message.key.decode("utf-8", "replace") if message.key else None),
        timestamp=message.timestamp,
    )
    return dead_letter(record, code, reason, now, details)


def _missing(error: Any) -> str:
    """``status``, or ``status (required when type is status_changed)`` for a field only
    some event types require (see ``schemas.sla.REQUIRED_BY_TYPE``)."""
    name = ".".join(map(str, error["loc"]))
    message = str(error["msg"])
    if message == "Field required":
        return name
    return f"{name} ({message.removeprefix('Field ').lower()})"


def owned_partitions(assignment: Iterable[Any], topic: str) -> set[int]:
    """This worker's active partitions: faust assigns an input topic's partitions to active
    owners only (standbys get the changelog), so the command topic's tell who fires what."""
    return {tp.partition for tp in assignment if tp.topic == topic}

