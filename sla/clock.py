"""SLA clocks as a pure state machine: one :class:`ClockState` per (ticket, metric).

No I/O and no ``datetime.now()``: every moment comes from the arguments, so the same inputs
always give the same states and events (with the same ids) — replays and restarts are safe.

* ``first_response`` runs from ``received_at`` until the first agent reply.
* ``next_response`` is ``idle`` until an agent has replied; then each customer reply (while no
  next-response clock is running) starts a new cycle, fulfilled by the next agent reply.
* ``resolution`` runs until the ticket is solved or closed.
* ``pending`` / ``on_hold`` pause ``next_response`` and ``resolution``; ``new`` / ``open``
  resume them with the deadline pushed back by the paused time (business time for calendar
  targets, calendar time for caps).
* A clock is breached from its deadline on (``now >= deadline``); a reply or solve strictly
  before the deadline fulfils it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from pydantic import ConfigDict

from schemas.common import Copyable
from sla.business_time import ZERO, add_business_times, business_time_between
from sla.events import ClockStatus, HelpdeskEvent, Metric, SlaEvent, SlaEventType, sla_event_id
from sla.policies import ClockTarget, SlaPolicy

_PAUSES = frozenset({"pending", "on_hold"})
_RESUMES = frozenset({"new", "open"})
_STOPS = frozenset({"solved", "closed"})
_PAUSABLE: frozenset[str] = frozenset({"next_response", "resolution"})


class ClockState(Copyable):
    """One clock; JSON-able (``model_dump_json`` / ``model_validate_json``) for a faust table."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    ticket_id: str
    metric: Metric
    policy: str
    channel: str
    priority: str
    target: ClockTarget
    warnings: tuple[float, ...]
    status: ClockStatus
    cycle: int = 0
    """How many times this clock has started (next_response restarts; others stay at 1)."""
    started_at: datetime | None = None
    segment_start: datetime | None = None
    """Start of the current running stretch (``started_at`` or the last resume)."""
    consumed_business: timedelta = ZERO
    """Business time consumed before ``segment_start`` (i.e. before the last pause)."""
    consumed_wall: timedelta = ZERO
    """Calendar time consumed before ``segment_start`` (what counts against a cap)."""
    paused_at: datetime | None = None
    deadline: datetime | None = None
    warn_at: tuple[datetime, ...] = ()
    """When each of ``warnings`` is reached, for the current deadline."""
    warnings_emitted: tuple[float, ...] = ()
    breach_emitted: bool = False
    agent_replied: bool = False
    """next_response only: an agent has answered at least once, so customer replies count."""
    armed_at: datetime | None = None
    """When the stage set the current ``deadline`` (its ``now``, not an event's time): a breach
    is live only if this is before the deadline, i.e. the clock was known to be open when the
    deadline passed (:func:`breach_is_live`). None in states stored before it was recorded."""

    @property
    def key(self) -> str:
        """The identity used in event ids; next-response cycles are told apart."""
        return f"{self.metric}#{self.cycle}" if self.metric == "next_response" else self.metric


def _moments(target: ClockTarget, seg: datetime, consumed_b: timedelta, consumed_w: timedelta,
             fractions: Sequence[float]) -> list[datetime]:
    """When each fraction of the target is reached, resuming at ``seg`` with what was consumed
    (business and wall time) before it; bounded by the cap in calendar time."""
    whens = add_business_times(
        seg, [max(target.within * f - consumed_b, ZERO) for f in fractions], target.calendar)
    if target.cap is not None:
        whens = [min(when, seg + max(target.cap * f - consumed_w, ZERO))
                 for when, f in zip(whens, fractions, strict=True)]
    return whens


def _run(state: ClockState, at: datetime, *, fresh: bool, now: datetime) -> ClockState:
    """Start (``fresh``) or resume the clock at ``at``; recompute deadline and warning times,
    armed at ``now``."""
    cb = ZERO if fresh else state.consumed_business
    cw = ZERO if fresh else state.consumed_wall
    deadline, *warn_at = _moments(state.target, at, cb, cw, (1.0, *state.warnings))
    return state.model_copy(update={
        "status": "running",
        "cycle": state.cycle + 1 if fresh else state.cycle,
        "started_at": at if fresh else state.started_at,
        "segment_start": at,
        "consumed_business": cb,
        "consumed_wall": cw,
        "paused_at": None,
        "deadline": deadline,
        "warn_at": tuple(warn_at),
        "warnings_emitted": () if fresh else state.warnings_emitted,
        "breach_emitted": False if fresh else state.breach_emitted,
        "armed_at": now,
    })


def _pause(state: ClockState, at: datetime) -> ClockState:
    assert state.segment_start is not None
    return state.model_copy(update={
        "status": "paused",
        "paused_at": at,
        "consumed_business": state.consumed_business
        + business_time_between(state.segment_start, at, state.target.calendar),
        "consumed_wall": state.consumed_wall + max(at - state.segment_start, ZERO),
    })


def _capped(state: ClockState) -> bool | None:
    """Whether the deadline is the cap's (calendar time) rather than the business-time
    target's: None without a cap or a deadline. A tie counts as capped."""
    cap, seg = state.target.cap, state.segment_start
    if cap is None or state.deadline is None or seg is None:
        return None
    return state.deadline == seg + max(cap - state.consumed_wall, ZERO)


def _event(before: ClockState, after: ClockState, type_: SlaEventType, now: datetime,
           threshold: float | None = None, discriminator: str | None = None) -> SlaEvent:
    key = threshold if threshold is not None else discriminator
    return SlaEvent(
        event_id=sla_event_id(after.ticket_id, after.key, after.deadline, type_, key),
        type=type_,
        ticket_id=after.ticket_id,
        metric=after.metric,
        cycle=max(after.cycle, 1),
        policy=after.policy,
        target=after.target.seconds,
        business=after.target.calendar is not None,
        calendar=after.target.calendar_name,
        deadline=after.deadline,
        cap_s=after.target.cap.total_seconds() if after.target.cap is not None else None,
        capped=_capped(after),
        emitted_at=now,
        previous_state=before.status,
        current_state=after.status,
        threshold=threshold,
    )


def open_clocks(
    ticket_id: str,
    channel: str,
    priority: str,
    policy: SlaPolicy,
    received_at: datetime,
    *,
    now: datetime | None = None,
) -> tuple[list[ClockState], list[SlaEvent]]:
    """The three clocks of a new ticket: first_response and resolution start at ``received_at``
    (each emits ``sla.applied``); next_response waits, ``idle``. ``now`` (default
    ``received_at``) is the events' ``emitted_at``."""
    emitted = received_at if now is None else now
    states: list[ClockState] = []
    events: list[SlaEvent] = []
    for metric in ("first_response", "next_response", "resolution"):
        idle = ClockState(
            ticket_id=ticket_id, metric=metric, policy=policy.name, channel=str(channel),
            priority=str(priority), target=policy.target(metric, channel, priority),
            warnings=policy.warnings, status="idle",
        )
        if metric == "next_response":
            states.append(idle)
            continue
        running = _run(idle, received_at, fresh=True, now=emitted)
        states.append(running)
        events.append(_event(idle, running, "sla.applied", emitted))
    return states, events


def _due_one(state: ClockState, at: datetime, now: datetime) -> tuple[ClockState, list[SlaEvent]]:
    if state.status != "running" or state.deadline is None:
        return state, []
    if at >= state.deadline:
        if state.breach_emitted:
            return state, []
        after = state.model_copy(update={"status": "breached", "breach_emitted": True})
        return after, [_event(state, after, "sla.breached", now)]
    events: list[SlaEvent] = []
    for threshold, when in zip(state.warnings, state.warn_at, strict=True):
        if threshold in state.warnings_emitted:
            continue
        if when > at:
            break
        before = state
        state = state.model_copy(
            update={"warnings_emitted": (*state.warnings_emitted, threshold)})
        events.append(_event(before, state, "sla.warning", now, threshold=threshold))
    return state, events


def _due(states: Iterable[ClockState], at: datetime,
         now: datetime) -> tuple[list[ClockState], list[SlaEvent]]:
    out: list[ClockState] = []
    events: list[SlaEvent] = []
    for state in states:
        after, evs = _due_one(state, at, now)
        out.append(after)
        events.extend(evs)
    return out, events


def due(states: Sequence[ClockState], now: datetime) -> tuple[list[ClockState], list[SlaEvent]]:
    """Warnings and breaches reached by ``now``, each exactly once per clock run: calling again
    emits nothing new. A deadline already past (say after a restart) breaches at once; warnings
    a breach overtakes are not emitted."""
    return _due(states, now, now)


def breach_is_live(event: SlaEvent, before: Iterable[ClockState]) -> bool:
    """Whether ``event`` (an ``sla.breached``) is a live breach: its clock was open with this
    deadline, as far as the stage knew, before the deadline passed, so how late it came
    (``emitted_at - deadline``) measures ticketflow. Otherwise it is a replayed breach: the
    deadline had already passed when the stage learned of it — a ticket first seen after its
    deadline (a replay of old traffic, a backlog), a help-desk event that starts or resumes a
    clock too late — and its lateness says nothing about ticketflow.

    ``before``: the ticket's clocks at the start of the step that derived ``event`` (at
    ``event.emitted_at``). Its clock there, same metric, cycle and deadline, tells when that
    deadline was armed; a clock not there was armed in this very step, at ``emitted_at``. A
    clock stored before ``armed_at`` was recorded cannot tell: replayed, never a live sample
    that may be one."""
    if event.deadline is None:
        return False
    for clock in before:
        if (clock.ticket_id == event.ticket_id and clock.metric == event.metric
                and max(clock.cycle, 1) == event.cycle and clock.deadline == event.deadline):
            return clock.armed_at is not None and clock.armed_at < event.deadline
    return event.emitted_at < event.deadline


def next_fire_at(states: Iterable[ClockState]) -> datetime | None:
    """The earliest moment at which :func:`due` has something to emit (for a timer)."""
    moments: list[datetime] = []
    for s in states:
        if s.status != "running" or s.deadline is None or s.breach_emitted:
            continue
        moments.append(s.deadline)
        pending = [w for t, w in zip(s.warnings, s.warn_at, strict=True)
                   if t not in s.warnings_emitted]
        if pending:
            moments.append(min(pending))
    return min(moments, default=None)


def _finish(state: ClockState, at: datetime, now: datetime,
            status: ClockStatus) -> tuple[ClockState, list[SlaEvent]]:
    """Fulfil (if before the deadline) or stop a running/paused clock."""
    if state.status not in ("running", "paused"):
        return state, []
    if status == "fulfilled" and (state.status == "paused" or state.deadline is None
                                  or at < state.deadline):
        after = state.model_copy(update={"status": "fulfilled"})
        return after, [_event(state, after, "sla.fulfilled", now)]
    if status == "fulfilled":  # late, and due() has not run since the deadline
        after = state.model_copy(update={"status": "breached", "breach_emitted": True})
        return after, [] if state.breach_emitted else [_event(state, after, "sla.breached", now)]
    return state.model_copy(update={"status": status}), []


def _on_event(state: ClockState, event: HelpdeskEvent, resolution_paused: bool,
              now: datetime) -> tuple[ClockState, list[SlaEvent]]:
    at = event.at
    if event.type == "agent_replied":
        if state.metric == "first_response":
            return _finish(state, at, now, "fulfilled")
        if state.metric == "next_response":
            after, evs = _finish(state, at, now, "fulfilled")
            return after.model_copy(update={"agent_replied": True}), evs
        return state, []
    if event.type == "customer_replied":
        restartable = state.status in ("idle", "fulfilled", "breached", "stopped")
        if state.metric != "next_response" or not state.agent_replied or not restartable:
            return state, []
        if resolution_paused:  # starts when the ticket is reopened
            waiting = state.model_copy(update={
                "status": "paused", "cycle": state.cycle + 1, "started_at": at,
                "segment_start": None, "paused_at": at, "deadline": None, "warn_at": (),
                "consumed_business": ZERO, "consumed_wall": ZERO, "warnings_emitted": (),
                "breach_emitted": False,
            })
            return waiting, []
        after = _run(state, at, fresh=True, now=now)
        return after, [_event(state, after, "sla.applied", now)]
    if event.type == "status_changed" and event.status is not None:
        if event.status in _PAUSES and state.metric in _PAUSABLE and state.status == "running":
            after = _pause(state, at)
            return after, [_event(state, after, "sla.paused", now, discriminator=at.isoformat())]
        if event.status in _RESUMES and state.status == "paused":
            if state.deadline is None:  # a next_response cycle that began while paused
                after = _run(state.model_copy(update={"cycle": state.cycle - 1}), at, fresh=True,
                             now=now)
                after = after.model_copy(update={"started_at": state.started_at})
                return after, [_event(state, after, "sla.applied", now)]
            after = _run(state, at, fresh=False, now=now)
            return after, [_event(state, after, "sla.resumed", now,
                                  discriminator=at.isoformat())]
        if event.status in _STOPS:
            if state.metric == "resolution":
                return _finish(state, at, now, "fulfilled")
            if state.status == "idle":
                return state.model_copy(update={"status": "stopped"}), []
            return _finish(state, at, now, "stopped")
    return state, []  # assigned / declined: routing's business, not the clocks'


def apply_helpdesk_event(
    states: Sequence[ClockState], event: HelpdeskEvent, now: datetime
) -> tuple[list[ClockState], list[SlaEvent]]:
    """Apply one help-desk event to a ticket's clocks. Warnings and breaches already reached at
    ``event.at`` are emitted first, so a late event cannot hide a breach; ``now`` is every
    event's ``emitted_at``. Clocks of other tickets pass through unchanged."""
    caught_up, events = _due(states, event.at, now)
    resolution_paused = any(
        s.ticket_id == event.ticket_id and s.metric == "resolution" and s.status == "paused"
        for s in caught_up
    )
    out: list[ClockState] = []
    for state in caught_up:
        if state.ticket_id != event.ticket_id:
            out.append(state)
            continue
        after, evs = _on_event(state, event, resolution_paused, now)
        out.append(after)
        events.extend(evs)
    return out, events
