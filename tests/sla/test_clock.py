from __future__ import annotations

import re
from datetime import datetime, timedelta

from sla.business_time import add_business_time, business_time_between
from sla.clock import ClockState, apply_helpdesk_event, due, next_fire_at, open_clocks
from sla.events import HelpdeskEvent, SlaEvent, sla_event_id
from sla.policies import PolicySet
from tests.sla.conftest import SUPPORT, paris

T0 = paris(2026, 11, 16, 10)  # Monday 10:00, support open
S = timedelta(seconds=1)


def by(states: list[ClockState], metric: str) -> ClockState:
    return next(s for s in states if s.metric == metric)


def ev(type_: str, at: datetime, status: str | None = None) -> HelpdeskEvent:
    return HelpdeskEvent.model_validate(
        {"ticket_id": "t1", "type": type_, "status": status, "at": at})


def kinds(events: list[SlaEvent]) -> list[tuple[str, str, float | None]]:
    return [(e.type, e.metric, e.threshold) for e in events]


def chat(policies: PolicySet) -> list[ClockState]:
    states, _ = open_clocks("t1", "chat", "P3", policies.get("standard"), T0)
    return states


def test_open_applies_first_response_and_resolution(policies: PolicySet) -> None:
    states, events = open_clocks("t1", "email", "P3", policies.get("standard"), T0)
    assert kinds(events) == [("sla.applied", "first_response", None),
                             ("sla.applied", "resolution", None)]
    first = by(states, "first_response")
    assert first.status == "running"
    assert first.deadline == paris(2026, 11, 16, 15)  # 4 business hours over lunch
    assert by(states, "next_response").status == "idle"
    assert events[0].business and events[0].target == 4 * 3600
    assert all(e.emitted_at == T0 and e.previous_state == "idle" for e in events)


def test_warnings_in_order_then_one_breach(policies: PolicySet) -> None:
    states = chat(policies)  # first response: 2 min wall clock
    assert next_fire_at(states) == T0 + 90 * S
    states, events = due(states, T0 + 89 * S)
    assert events == []
    states, events = due(states, T0 + 100 * S)
    assert kinds(events) == [("sla.warning", "first_response", 0.75)]
    assert next_fire_at(states) == T0 + 108 * S
    states, events = due(states, T0 + 110 * S)
    assert kinds(events) == [("sla.warning", "first_response", 0.9)]
    states, events = due(states, T0 + 119 * S)
    assert events == []
    assert next_fire_at(states) == T0 + 120 * S
    states, events = due(states, T0 + 120 * S)
    assert kinds(events) == [("sla.breached", "first_response", None)]
    assert events[0].current_state == "breached" and events[0].previous_state == "running"
    for minutes in (2, 3, 10, 60):
        states, events = due(states, T0 + minutes * 60 * S)
        assert [e for e in events if e.metric == "first_response"] == []


def test_both_warnings_at_once_come_in_order(policies: PolicySet) -> None:
    _, events = due(chat(policies), T0 + 115 * S)
    assert kinds(events) == [("sla.warning", "first_response", 0.75),
                             ("sla.warning", "first_response", 0.9)]


def test_deadline_already_past_fires_at_once_and_ids_are_stable(policies: PolicySet) -> None:
    states = chat(policies)
    late = T0 + timedelta(hours=5)  # e.g. the worker was down
    after, events = due(states, late)
    assert kinds(events) == [("sla.breached", "first_response", None)]
    # a replay from the same stored state (restart before the commit) gives the same ids
    _, again = due(states, late + timedelta(minutes=1))
    assert [e.event_id for e in again] == [e.event_id for e in events]
    assert due(after, late + timedelta(hours=1))[1] == []


def test_event_ids_deterministic() -> None:
    deadline = paris(2026, 11, 16, 15)
    a = sla_event_id("t1", "first_response", deadline, "sla.warning", 0.75)
    assert a == sla_event_id("t1", "first_response", deadline, "sla.warning", 0.75)
    assert re.fullmatch(r"sla_[0-9a-f]{24}", a)
    assert a != sla_event_id("t1", "first_response", deadline, "sla.warning", 0.9)
    assert a != sla_event_id("t2", "first_response", deadline, "sla.warning", 0.75)
    assert a != sla_event_id("t1", "first_response", deadline + S, "sla.warning", 0.75)


def test_agent_reply_fulfils_and_next_response_restarts(policies: PolicySet) -> None:
    states = chat(policies)
    # a customer reply before any agent reply starts nothing
    states, events = apply_helpdesk_event(states, ev("customer_replied", T0 + 30 * S), T0)
    assert events == [] and by(states, "next_response").status == "idle"
    states, events = apply_helpdesk_event(states, ev("agent_replied", T0 + 60 * S), T0)
    assert kinds(events) == [("sla.fulfilled", "first_response", None)]
    # first customer reply after it: next_response cycle 1, 2 minutes
    t1 = T0 + timedelta(minutes=10)
    states, events = apply_helpdesk_event(states, ev("customer_replied", t1), t1)
    assert kinds(events) == [("sla.applied", "next_response", None)]
    nr = by(states, "next_response")
    assert (nr.status, nr.cycle, nr.deadline) == ("running", 1, t1 + 120 * S)
    # a second customer message does not move the clock (oldest unanswered counts)
    states, events = apply_helpdesk_event(states, ev("customer_replied", t1 + 30 * S), t1)
    assert events == [] and by(states, "next_response").deadline == t1 + 120 * S
    states, events = apply_helpdesk_event(states, ev("agent_replied", t1 + 60 * S), t1)
    assert kinds(events) == [("sla.fulfilled", "next_response", None)]
    t2 = t1 + timedelta(minutes=30)
    states, events = apply_helpdesk_event(states, ev("customer_replied", t2), t2)
    nr2 = by(states, "next_response")
    assert (nr2.status, nr2.cycle, nr2.deadline) == ("running", 2, t2 + 120 * S)
    assert nr2.warnings_emitted == () and not nr2.breach_emitted
    _, events = due(states, t2 + timedelta(hours=1))
    assert kinds(events) == [("sla.breached", "next_response", None)]


def test_late_agent_reply_is_a_breach_not_a_fulfilment(policies: PolicySet) -> None:
    states = chat(policies)
    late = T0 + timedelta(minutes=5)
    states, events = apply_helpdesk_event(states, ev("agent_replied", late), late)
    assert kinds(events) == [("sla.breached", "first_response", None)]
    assert by(states, "first_response").status == "breached"
    assert by(states, "next_response").agent_replied  # customer replies now count
    assert due(states, late)[1] == []


def test_pause_resume_shifts_deadline_by_business_time(policies: PolicySet) -> None:
    states, _ = open_clocks("t1", "email", "P3", policies.get("standard"), T0)
    resolution = by(states, "resolution")
    assert resolution.deadline == add_business_time(T0, timedelta(hours=24), SUPPORT)
    pause, resume = paris(2026, 11, 16, 11), paris(2026, 11, 17, 11)
    states, events = apply_helpdesk_event(states, ev("status_changed", pause, "pending"), pause)
    assert kinds(events) == [("sla.paused", "resolution", None)]  # next_response is idle
    assert by(states, "first_response").status == "running"  # first response never pauses
    # nothing fires while paused, even long after the old deadline
    _, events = due(states, paris(2026, 12, 31, 12))
    assert [e for e in events if e.metric == "resolution"] == []
    states, events = apply_helpdesk_event(states, ev("status_changed", resume, "open"), resume)
    # the unanswered first response (not pausable) breached on Monday 15:00 meanwhile
    assert kinds(events) == [("sla.breached", "first_response", None),
                             ("sla.resumed", "resolution", None)]
    events = events[1:]
    paused_for = business_time_between(pause, resume, SUPPORT)
    assert paused_for == timedelta(hours=8)
    new = by(states, "resolution")
    assert resolution.deadline is not None
    assert new.deadline == add_business_time(resolution.deadline, paused_for, SUPPORT)
    assert events[0].deadline == new.deadline and events[0].previous_state == "paused"


def test_pause_and_resume_next_response_and_restart_while_paused(policies: PolicySet) -> None:
    states = chat(policies)
    states, _ = apply_helpdesk_event(states, ev("agent_replied", T0 + 30 * S), T0)
    t1 = T0 + timedelta(minutes=5)
    states, _ = apply_helpdesk_event(states, ev("customer_replied", t1), t1)
    states, events = apply_helpdesk_event(
        states, ev("status_changed", t1 + 60 * S, "on_hold"), t1)
    assert kinds(events) == [("sla.paused", "next_response", None),
                             ("sla.paused", "resolution", None)]
    back = t1 + timedelta(hours=2)
    states, events = apply_helpdesk_event(states, ev("status_changed", back, "open"), back)
    assert by(states, "next_response").deadline == back + 60 * S  # 1 of 2 minutes left
    # solved: resolution fulfilled, the running next_response just stops
    states, events = apply_helpdesk_event(states, ev("agent_replied", back + S), back)
    states, events = apply_helpdesk_event(
        states, ev("status_changed", back + 2 * S, "pending"), back)
    t2 = back + timedelta(minutes=10)
    states, events = apply_helpdesk_event(states, ev("customer_replied", t2), t2)
    assert events == []  # waits for the ticket to reopen
    assert by(states, "next_response").status == "paused"
    t3 = t2 + timedelta(hours=1)
    states, events = apply_helpdesk_event(states, ev("status_changed", t3, "open"), t3)
    assert kinds(events) == [("sla.applied", "next_response", None),
                             ("sla.resumed", "resolution", None)]
    assert by(states, "next_response").deadline == t3 + 120 * S


def test_solved_stops_clocks(policies: PolicySet) -> None:
    states = chat(policies)
    solved = T0 + timedelta(hours=1)
    states, events = apply_helpdesk_event(states, ev("status_changed", solved, "solved"), solved)
    # the first response breached before the solve; resolution is fulfilled
    assert kinds(events) == [("sla.breached", "first_response", None),
                             ("sla.fulfilled", "resolution", None)]
    assert [s.status for s in states] == ["breached", "stopped", "fulfilled"]
    assert due(states, solved + timedelta(days=10))[1] == []
    assert next_fire_at(states) is None


def test_resolution_solved_late_breaches_once(policies: PolicySet) -> None:
    states = chat(policies)
    states, _ = apply_helpdesk_event(states, ev("agent_replied", T0 + S), T0)
    deadline = by(states, "resolution").deadline
    assert deadline is not None
    solved = deadline + timedelta(hours=1)
    states, events = apply_helpdesk_event(states, ev("status_changed", solved, "closed"), solved)
    assert kinds(events) == [("sla.breached", "resolution", None)]  # warnings overtaken


def test_other_events_and_tickets_pass_through(policies: PolicySet) -> None:
    states = chat(policies)
    for type_ in ("assigned", "declined"):
        after, events = apply_helpdesk_event(states, ev(type_, T0 + S), T0)
        assert after == states and events == []
    other = HelpdeskEvent(ticket_id="t2", type="agent_replied", at=T0 + S)
    after, events = apply_helpdesk_event(states, other, T0)
    assert after == states and events == []


def test_state_and_events_round_trip_json(policies: PolicySet) -> None:
    states, events = open_clocks("t1", "email", "P1", policies.get("urgent"), T0)
    for s in states:
        assert ClockState.model_validate_json(s.model_dump_json()) == s
    for e in events:
        assert SlaEvent.model_validate_json(e.model_dump_json()) == e
    assert by(states, "first_response").warnings == (0.5, 0.75, 0.9)


def test_events_say_when_the_cap_set_the_deadline(policies: PolicySet) -> None:
    # email P1 first response: 1 business hour, capped at 4 h of calendar time. Written on
    # Friday 21:00 (support closed until Saturday 10:00): the cap, not the target, sets 01:00.
    friday_night = paris(2026, 11, 20, 21)
    _, events = open_clocks("t1", "email", "P1", policies.get("standard"), friday_night)
    first = next(e for e in events if e.metric == "first_response")
    assert first.target == 3600 and first.business
    assert first.cap_s == 4 * 3600
    assert first.deadline == paris(2026, 11, 21, 1)
    assert first.capped is True
    # in office hours the business-time target comes first: same cap, not capped
    _, events = open_clocks("t1", "email", "P1", policies.get("standard"), T0)
    first = next(e for e in events if e.metric == "first_response")
    assert first.deadline == T0 + timedelta(hours=1)
    assert (first.cap_s, first.capped) == (4 * 3600, False)
    # a wall-clock target has no cap
    _, events = open_clocks("t1", "chat", "P3", policies.get("standard"), T0)
    assert {(e.cap_s, e.capped) for e in events if e.metric == "first_response"} == {
        (None, None)}
