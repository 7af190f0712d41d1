"""A pretend help desk for the demo: for each routed ticket, a deterministic little story of
help-desk events (assigned, replied, declined, put on hold, solved…), so the SLA clocks have
something to fulfil, pause and re-route, and the rest breach; about half the tickets are
solved, some after a second reply, and some of those get a CSAT survey answer (1–5), so the
KPIs (first response, resolution, first-contact resolution, CSAT) have something to measure.

Pure: :func:`plan` turns one routed ticket into (when, event) pairs; the demo sends them to
``helpdesk.events`` when their time comes.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any

from sla.events import HelpdeskEvent

# Share of tickets per story, out of 100 (by a hash of the ticket id, so reruns agree).
_STORIES = (
    (15, "answered"),   # assigned, replied in time (first_response fulfilled), left open
    (10, "declined"),   # declined by its first agent: re-routed, then answered and solved
    (10, "on_hold"),    # assigned, replied, then pending on the customer (clocks paused)
    (10, "solved"),     # assigned, replied and solved quickly
    (20, "resolved"),   # assigned, replied (twice for some: not first-contact), solved later
)
CSAT_SHARE = 60
"""Of 100 solved tickets, how many get a CSAT answer (by a hash of the ticket id)."""
CSAT_SCORES = (5, 5, 5, 5, 4, 4, 4, 3, 2, 1)
"""The score a ticket gets, picked by a hash of its id: mostly satisfied, some not."""


def story_of(ticket_id: str) -> str:
    bucket = int(hashlib.sha256(ticket_id.encode()).hexdigest()[:8], 16) % 100
    for share, story in _STORIES:
        if bucket < share:
            return story
        bucket -= share
    return "ignored"  # nobody picks it up: warnings, then breaches


def _digest(ticket_id: str, salt: str) -> int:
    return int(hashlib.sha256(f"{salt}:{ticket_id}".encode()).hexdigest()[:8], 16)


def csat_of(ticket_id: str) -> int | None:
    """The CSAT score (1–5) the customer gives once the ticket is solved, or None for no
    answer: deterministic, so reruns agree."""
    if _digest(ticket_id, "csat") % 100 >= CSAT_SHARE:
        return None
    return CSAT_SCORES[_digest(ticket_id, "score") % len(CSAT_SCORES)]


def plan(routed: dict[str, Any], now: datetime) -> list[tuple[datetime, HelpdeskEvent]]:
    """The help-desk events for one message of ``tickets.routed`` (a dict as read off the
    topic). Re-routed messages (attempt > 1) are picked up by another agent."""
    ticket_id = routed["ticket"]["ticket_id"]
    attempt = routed.get("attempt", 1)
    agent = f"agent-{int(hashlib.sha256(ticket_id.encode()).hexdigest()[8:10], 16) % 7 + 1}"

    def at(seconds: float, type_: str, **fields: Any) -> tuple[datetime, HelpdeskEvent]:
        when = now + timedelta(seconds=seconds)
        return when, HelpdeskEvent(ticket_id=ticket_id, type=type_, at=when, **fields)

    def solve(seconds: float) -> list[tuple[datetime, HelpdeskEvent]]:
        events = [at(seconds, "status_changed", status="solved")]
        score = csat_of(ticket_id)
        if score is not None:  # the survey goes out on the solve; some answer within seconds
            events.append(at(seconds + 3, "csat_submitted", score=score))
        return events

    if attempt > 1:  # someone else takes the re-routed ticket, answers and solves it
        other = "agent-9" if agent != "agent-9" else "agent-8"
        return [at(2, "assigned", agent_id=other), at(4, "agent_replied", agent_id=other),
                *solve(9)]
    story = story_of(ticket_id)
    if story == "answered":
        return [at(1, "assigned", agent_id=agent), at(4, "agent_replied", agent_id=agent)]
    if story == "declined":
        return [at(2, "declined", agent_id=agent)]
    if story == "on_hold":
        return [at(1, "assigned", agent_id=agent), at(3, "agent_replied", agent_id=agent),
                at(4, "status_changed", status="pending")]
    if story == "solved":
        return [at(1, "assigned", agent_id=agent), at(3, "agent_replied", agent_id=agent),
                *solve(6)]
    if story == "resolved":
        events = [at(1, "assigned", agent_id=agent), at(5, "agent_replied", agent_id=agent)]
        if _digest(ticket_id, "again") % 3 == 0:  # the customer asks again: a second reply
            events += [at(7, "customer_replied"), at(9, "agent_replied", agent_id=agent)]
        return [*events, *solve(12)]
    return []
