"""A pretend help desk for the demo: for each routed ticket, a deterministic little story of
help-desk events (assigned, replied, declined, put on hold…), so the SLA clocks have something
to fulfil, pause and re-route, and the rest breach.

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
    (35, "answered"),   # assigned, replied in time (first_response fulfilled)
    (10, "declined"),   # declined by its first agent: re-routed with that agent excluded
    (10, "on_hold"),    # assigned, replied, then pending on the customer (clocks paused)
    (10, "solved"),     # assigned, replied and solved quickly
)


def story_of(ticket_id: str) -> str:
    bucket = int(hashlib.sha256(ticket_id.encode()).hexdigest()[:8], 16) % 100
    for share, story in _STORIES:
        if bucket < share:
            return story
        bucket -= share
    return "ignored"  # nobody picks it up: warnings, then breaches


def plan(routed: dict[str, Any], now: datetime) -> list[tuple[datetime, HelpdeskEvent]]:
    """The help-desk events for one message of ``tickets.routed`` (a dict as read off the
    topic). Re-routed messages (attempt > 1) are picked up by another agent."""
    ticket_id = routed["ticket"]["ticket_id"]
    attempt = routed.get("attempt", 1)
    agent = f"agent-{int(hashlib.sha256(ticket_id.encode()).hexdigest()[8:10], 16) % 7 + 1}"

    def at(seconds: float, type_: str, **fields: Any) -> tuple[datetime, HelpdeskEvent]:
        when = now + timedelta(seconds=seconds)
        return when, HelpdeskEvent(ticket_id=ticket_id, type=type_, at=when, **fields)

    if attempt > 1:  # someone else takes the re-routed ticket and answers it
        other = "agent-9" if agent != "agent-9" else "agent-8"
        return [at(2, "assigned", agent_id=other), at(4, "agent_replied", agent_id=other)]
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
                at(6, "status_changed", status="solved")]
    return []
