"""The soak's pretend help desk: every routed ticket gets the demo's story and then a
``solved``, each sent when it is due and not before."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from ticketflow.helpdesk_sim import csat_of, story_of
from ticketflow.soak_bench import HelpDesk

T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def ids_with_story(story: str, count: int, survey: bool | None = None) -> list[str]:
    """Ticket ids the pretend help desk gives ``story`` (and, if ``survey`` is given, whose
    solve is followed by a CSAT answer or not)."""
    found = []
    n = 0
    while len(found) < count:
        ticket_id = f"tk_{n:024x}"
        if story_of(ticket_id) == story and (
                survey is None or (csat_of(ticket_id) is not None) == survey):
            found.append(ticket_id)
        n += 1
    return found


class Sent:
    def __init__(self) -> None:
        self.events: list[Any] = []

    def __call__(self, events: list[Any]) -> int:
        self.events.extend(events)
        return len(events)


def test_events_are_sent_when_due_and_every_ticket_is_solved_last() -> None:
    [answered] = ids_with_story("answered", 1)
    [ignored] = ids_with_story("ignored", 1)
    desk, sent = HelpDesk(solve_after_s=30), Sent()
    desk.tick([answered, ignored], sent, T0)
    assert sent.events == []  # nothing is due at the moment it was routed
    desk.tick([answered, ignored], sent, T0 + timedelta(seconds=5))
    assert [(e.ticket_id, e.type) for e in sent.events] == [
        (answered, "assigned"), (answered, "agent_replied")]
    desk.tick([answered, ignored], sent, T0 + timedelta(seconds=30))
    solved = [(e.ticket_id, e.status) for e in sent.events[2:]]
    assert sorted(solved) == sorted([(answered, "solved"), (ignored, "solved")])
    assert (desk.solved, desk.sent, desk.pending) == (2, 4, 0)


def test_a_ticket_is_planned_once_however_often_it_is_seen() -> None:
    [ticket] = ids_with_story("declined", 1)
    desk, sent = HelpDesk(solve_after_s=10), Sent()
    for second in range(0, 12):
        desk.tick([ticket], sent, T0 + timedelta(seconds=second))
    assert [(e.type, e.status) for e in sent.events] == [("declined", None),
                                                         ("status_changed", "solved")]
    assert desk.solved == 1


def test_tickets_seen_later_are_planned_from_when_they_were_seen() -> None:
    first, second = ids_with_story("solved", 2, survey=False)
    desk, sent = HelpDesk(solve_after_s=60), Sent()
    desk.tick([first], sent, T0)
    desk.tick([first, second], sent, T0 + timedelta(seconds=10))
    assert [(e.ticket_id, e.type) for e in sent.events] == [
        (first, "assigned"), (first, "agent_replied"), (first, "status_changed")]
    desk.tick([first, second], sent, T0 + timedelta(seconds=12))  # second seen at +10
    assert [(e.ticket_id, e.type) for e in sent.events[3:]] == [(second, "assigned")]


def test_a_surveyed_solve_is_followed_by_its_csat() -> None:
    [ticket] = ids_with_story("solved", 1, survey=True)
    desk, sent = HelpDesk(solve_after_s=60), Sent()
    desk.tick([ticket], sent, T0)
    desk.tick([ticket], sent, T0 + timedelta(seconds=10))
    assert [e.type for e in sent.events] == [
        "assigned", "agent_replied", "status_changed", "csat_submitted"]
    assert 1 <= sent.events[-1].score <= 5
