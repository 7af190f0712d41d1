"""One ticket's SLA state, and the pure steps that move it: a routed ticket opens its clocks,
help-desk events move them, a tick fires what is due. Re-routing after a decline or an
assignment timeout happens here too, through an injected ``route`` function.

Every step returns the new state, the ``sla.*`` events to publish and any re-routed tickets.
The streaming stage publishes those (and waits for the broker) *before* it stores the state, so a
crash in between re-derives the same events with the same ids: duplicates, never losses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

from pydantic import ConfigDict, Field, ValidationError, field_validator

from core.settings import Settings
from schemas.common import Copyable
from schemas.routing import Decision, RoutedTicket
from schemas.ticket import RoutingHistory, Ticket
from sla.clock import (
    ClockState,
    apply_helpdesk_event,
    breach_is_live,
    due,
    next_fire_at,
    open_clocks,
)
from sla.events import SURVEY_TYPES, HelpdeskEvent, SlaEvent
from sla.policies import PolicySet, SlaPolicy

Route = Callable[[Ticket], Decision]
ClockStart = Literal["received_at", "routed_at"]
MAX_EARLY_EVENTS = 50
"""Help-desk events kept for a ticket whose routed message has not arrived yet."""


@dataclass(frozen=True)
class SlaConfig:
    policies: PolicySet
    assign_within: timedelta | None = None
    """Re-route a ticket nobody was assigned within this time of routing; None: never."""
    max_attempts: int = 3
    """Routing attempts in all, the first included; after that it stays where it is."""
    clock_start: ClockStart = "received_at"
    """``routed_at`` starts clocks when ticketflow routed the ticket (replays of old traffic)."""
    forget_after: timedelta | None = timedelta(days=7)
    """How long a solved/closed ticket whose clocks are all done (or a help-desk-only state whose
    routed message never came) is kept before it is deleted; None: never."""


def sla_config(settings: Settings) -> SlaConfig:
    """The SLA configuration the settings name: policies from their file, re-route timing."""
    from sla.policies import load_policies

    within = settings.sla_assign_within_s
    return SlaConfig(
        policies=load_policies(settings.sla_policies_path),
        assign_within=timedelta(seconds=within) if within > 0 else None,
        max_attempts=settings.sla_max_attempts, clock_start=settings.sla_clock_start,
        forget_after=(timedelta(seconds=settings.sla_forget_after_s)
                      if settings.sla_forget_after_s > 0 else None),
    )


class TicketSla(Copyable):
    """What the ``sla-clocks`` table holds per ticket id (as JSON)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    ticket_id: str
    partition: int
    """The input partition the ticket lives on: only the worker owning it actively fires it."""
    ticket: Ticket | None = Field(default=None, exclude=True)
    """The ticket as last routed: all a re-route needs (the old decision is not). Not part of
    the state's JSON: the stage stores it apart (it is most of the bytes and no tick changes
    it), loads it when a re-route may happen, and drops it once no re-route can."""
    clocks: tuple[ClockState, ...] = ()
    early_events: tuple[HelpdeskEvent, ...] = ()
    attempt: int = 0
    queue: str | None = None
    assigned_to: str | None = None
    assign_by: datetime | None = None
    declined_by: tuple[str, ...] = ()
    previous_queues: tuple[str, ...] = ()
    closed: bool = False
    closed_at: datetime | None = None
    """When the help desk solved or closed it (cleared when reopened)."""
    segment: str | None = None
    """The customer's segment from enrichment (vip, high, …) when the ticket was first routed;
    None: not known (no customer found, or a state stored before it was recorded)."""

    @field_validator("early_events", mode="before")
    @classmethod
    def _drop_outdated_early_events(cls, value: Any) -> Any:
        # A state stored by an older worker may keep an early event today's rules refuse (a
        # status_changed without status, a time in year 9999); none had an effect, and
        # refusing the whole state would leave the ticket unloadable for good: dropped.
        if not isinstance(value, list | tuple):
            return value
        kept = []
        for item in value:
            try:
                kept.append(HelpdeskEvent.model_validate(item))
            except ValidationError:
                continue
        return kept

    @property
    def is_routed(self) -> bool:
        """Its routed message has arrived (before that, only help-desk events are kept)."""
        return self.attempt > 0

    def needs_ticket(self, event_type: str | None, now: datetime) -> bool:
        """Whether the next step may re-route, so :attr:`ticket` must be loaded: a decline, or
        an assignment deadline reached at ``now``."""
        if event_type is not None:
            return event_type == "declined"
        deadline = _assign_deadline(self)
        return deadline is not None and now >= deadline


@dataclass
class Step:
    state: TicketSla
    events: list[SlaEvent] = field(default_factory=list)
    reroutes: list[RoutedTicket] = field(default_factory=list)
    forget: bool = False
    """The ticket's state is to be deleted (tombstoned in the changelog)."""

    def then(self, other: Step) -> Step:
        return Step(other.state, [*self.events, *other.events], [*self.reroutes, *other.reroutes],
                    other.forget)


_DONE: frozenset[str] = frozenset({"fulfilled", "breached", "stopped"})
UNKNOWN = "unknown"
"""The label value of a queue or segment that is not known."""


@dataclass(frozen=True)
class Breach:
    """An ``sla.breached`` event with what its metrics are labelled by, told live or replayed
    (:func:`sla.clock.breach_is_live`)."""

    event: SlaEvent
    queue: str
    segment: str
    live: bool

    @property
    def lateness_s(self) -> float:
        """How long after its deadline it was derived (0 if not after)."""
        assert self.event.deadline is not None
        return max((self.event.emitted_at - self.event.deadline).total_seconds(), 0.0)


def breaches(before: TicketSla | None, step: Step) -> list[Breach]:
    """The breaches ``step`` derived from ``before`` (the state it started from): in the queue
    the ticket was in (its new one if it had none), with its customer's segment."""
    found = [e for e in step.events if e.type == "sla.breached"]
    if not found:
        return []
    clocks = before.clocks if before is not None else ()
    queue = (before.queue if before is not None and before.queue else step.state.queue)
    segment = step.state.segment or (before.segment if before is not None else None)
    return [Breach(e, queue or UNKNOWN, segment or UNKNOWN, breach_is_live(e, clocks))
            for e in found]


def _segment(ticket: Ticket) -> str | None:
    customer = ticket.enrichment.customer if ticket.enrichment is not None else None
    return customer.segment if customer is not None else None


def forget_at(state: TicketSla, forget_after: timedelta | None) -> datetime | None:
    """When the state may be deleted: ``forget_after`` past the solve/close of a ticket whose
    clocks are all done, or past the last event of a help-desk-only state (its routed message
    never came). None: not yet known (an open ticket), or never."""
    if forget_after is None:
        return None
    if not state.is_routed:
        latest = max((e.at for e in state.early_events), default=None)
        return latest + forget_after if latest is not None else None
    if not state.closed or state.closed_at is None:
        return None
    if any(c.status not in _DONE for c in state.clocks):
        return None
    return state.closed_at + forget_after


def wake_at(state: TicketSla, forget_after: timedelta | None = None) -> datetime | None:
    """When :func:`on_tick` next has something to do for this ticket (None: nothing pending)."""
    moments = [m for m in (next_fire_at(state.clocks), _assign_deadline(state),
                           forget_at(state, forget_after)) if m is not None]
    return min(moments, default=None)


def _assign_deadline(state: TicketSla) -> datetime | None:
    if state.closed or state.assigned_to is not None or not state.is_routed:
        return None
    return state.assign_by


def on_routed(state: TicketSla | None, routed: RoutedTicket, partition: int, config: SlaConfig,
              route: Route, now: datetime) -> Step:
    """A message from ``tickets.routed``: open the clocks of a new ticket (firing whatever is
    already due), or adopt a later routing attempt. Redeliveries change nothing."""
    ticket = routed.ticket
    assign_by = routed.routed_at + config.assign_within if config.assign_within else None
    if state is not None and state.is_routed:
        if routed.attempt <= state.attempt:
            return Step(state)
        adopted = state.model_copy(update={
            "ticket": routed.ticket, "attempt": routed.attempt, "queue": routed.decision.queue,
            "assigned_to": None, "assign_by": assign_by,
        })
        return Step(adopted)
    started = ticket.received_at if config.clock_start == "received_at" else routed.routed_at
    policy = _policy(config.policies, routed.decision.sla_policy)
    clocks, events = open_clocks(ticket.ticket_id, ticket.channel, routed.decision.priority,
                                 policy, started, now=now)
    early = state.early_events if state is not None else ()
    opened = TicketSla(
        ticket_id=ticket.ticket_id, partition=partition, ticket=ticket, clocks=tuple(clocks),
        attempt=routed.attempt, queue=routed.decision.queue, assign_by=assign_by,
        segment=_segment(ticket),
    )
    step = Step(opened, list(events))
    # Early events happened before ``now``: apply them (each catches up to its own ``at``)
    # before firing what is due by ``now``, or an in-time reply would count as a breach.
    for event in sorted(early, key=lambda e: e.at):
        step = step.then(on_helpdesk(step.state, event, partition, config, route, now))
    clocks, fired = due(step.state.clocks, now)
    return Step(step.state.model_copy(update={"clocks": tuple(clocks)}),
                [*step.events, *fired], step.reroutes)


def _policy(policies: PolicySet, name: str | None) -> SlaPolicy:
    try:
        return policies.get(name)
    except KeyError:  # a ruleset naming a policy this worker lacks: the default, not a crash
        return policies.get(None)


def on_helpdesk(state: TicketSla | None, event: HelpdeskEvent, partition: int,
                config: SlaConfig, route: Route, now: datetime) -> Step:
    """A message from ``helpdesk.events``. Before the ticket's routed message arrives the event
    is kept and applied when it does (the two topics are read independently). A survey result
    (``csat_submitted``, ``nps_submitted``) changes nothing and is not kept (the stage does not
    even call this for one)."""
    if event.type in SURVEY_TYPES:
        if state is None:  # nothing to keep: "forget" the placeholder, so storing writes nothing
            return Step(TicketSla(ticket_id=event.ticket_id, partition=partition), forget=True)
        return Step(state)
    if state is None or not state.is_routed:
        waiting = state or TicketSla(ticket_id=event.ticket_id, partition=partition)
        if event in waiting.early_events or len(waiting.early_events) >= MAX_EARLY_EVENTS:
            return Step(waiting)
        return Step(waiting.model_copy(
            update={"early_events": (*waiting.early_events, event)}))
    clocks, events = apply_helpdesk_event(state.clocks, event, now)
    state = state.model_copy(update={"clocks": tuple(clocks)})
    step = Step(state, events)
    if event.type == "assigned":
        step.state = state.model_copy(update={"assigned_to": event.agent_id or "unknown"})
    elif event.type == "declined":
        declined = state.declined_by
        if event.agent_id and event.agent_id not in declined:
            declined = (*declined, event.agent_id)
        state = state.model_copy(update={"declined_by": declined, "assigned_to": None})
        step = step.then(_reroute(state, "declined", config, route, now))
    elif event.type == "status_changed" and event.status in ("solved", "closed"):
        step.state = state.model_copy(
            update={"closed": True, "closed_at": state.closed_at or event.at})
    elif event.type == "status_changed" and event.status in ("new", "open"):
        step.state = state.model_copy(update={"closed": False, "closed_at": None})
    return step


def on_tick(state: TicketSla, config: SlaConfig, route: Route, now: datetime) -> Step:
    """Fire the warnings and breaches due by ``now``; re-route when nobody was assigned in
    time; forget the ticket once its grace period is over. Calling it again at the same ``now``
    does nothing more."""
    gone = forget_at(state, config.forget_after)
    if gone is not None and now >= gone:
        return Step(state, forget=True)
    clocks, events = due(state.clocks, now)
    step = Step(state.model_copy(update={"clocks": tuple(clocks)}), events)
    deadline = _assign_deadline(step.state)
    if deadline is not None and now >= deadline:
        step = step.then(_reroute(step.state, "unassigned", config, route, now))
    return step


def _reroute(state: TicketSla, reason: Literal["declined", "unassigned"], config: SlaConfig,
             route: Route, now: datetime) -> Step:
    if state.ticket is None or state.closed or state.attempt >= config.max_attempts:
        return Step(state.model_copy(update={"assign_by": None}))  # stays; stop the timer
    attempt = state.attempt + 1
    previous = (*state.previous_queues, state.queue) if state.queue else state.previous_queues
    ticket = state.ticket.model_copy(update={"routing": RoutingHistory(
        attempt=attempt, reason=reason, declined_by=state.declined_by,
        previous_queues=previous,
    )})
    decision = route(ticket)
    routed = RoutedTicket(ticket=ticket, decision=decision, routed_at=now, attempt=attempt,
                          exclude_agents=state.declined_by)
    after = state.model_copy(update={
        "ticket": ticket, "attempt": attempt, "queue": decision.queue,
        "previous_queues": previous, "assigned_to": None,
        "assign_by": now + config.assign_within if config.assign_within else None,
    })
    return Step(after, [], [routed])

