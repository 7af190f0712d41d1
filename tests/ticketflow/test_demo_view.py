"""The demo's live view at 80–200 columns, and its plain lines when there is no terminal."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from ticketflow.demo import (
    MESSAGE_MIN,
    DemoStats,
    columns_for,
    plain_line,
    render,
)

TICKET = {
    "ticket": {
        "ticket_id": "tk_" + "a" * 24, "channel": "email", "language": "en",
        "customer": {"email": "mina@example.com"}, "order_numbers": ["104512"],
        "subject": "Where is my tent?",
        "body": "It was due on Wednesday and the tracking has not moved since Monday at all.",
        "source": {"topic": "inbound.email", "partition": 0, "offset": 1},
        "classification": {"intent": "order_status", "confidence": 0.91, "needs_triage": False,
                           "priority": "P2"},
        "enrichment": {"status": "ok", "customer": {"segment": "regular"},
                       "orders": [{"number": "104512", "status": "shipped", "late": True}]},
    },
    "decision": {"queue": "orders", "priority": "P2"},
}
DEAD = {"deadletter_id": "dl_1", "channel": "chat", "error_code": "invalid_json",
        "reason": "The payload is not JSON: Expecting value at line 1 column 1 (char 0)."}


def _stats() -> DemoStats:
    stats = DemoStats()
    stats.add("tickets.routed", TICKET)
    stats.add("tickets.deadletter", DEAD)
    return stats


@pytest.mark.parametrize("width", [80, 100, 120, 160, 200])
def test_the_view_fits_and_keeps_the_message(width: int) -> None:
    console = Console(width=width, file=io.StringIO(), record=True, color_system=None)
    console.print(render(_stats(), 1.0, "127.0.0.1:9092", width))
    lines = console.export_text().splitlines()
    assert all(len(line) <= width for line in lines)
    header = next(line for line in lines if "channel" in line and "message" in line)
    for name, _ in columns_for(width):
        assert f" {name} " in header  # a column shown is shown whole, never "segme…"
    row = next(line for line in lines if "tk_" not in line and "Where is my tent" in line)
    assert len(row.split("│")[-2].strip()) >= MESSAGE_MIN - 2
    dead = next(line for line in lines if "invalid_json" in line)
    assert "The payload is not JSON" in dead  # a dead letter shows its reason


def test_columns_give_way_by_priority() -> None:
    assert [n for n, _ in columns_for(80)] == ["channel", "intent", "prio"]
    assert {"channel", "intent", "queue", "prio", "customer"} <= {n for n, _ in columns_for(120)}
    assert len(columns_for(200)) == 9
    assert sum(w + 3 for _, w in columns_for(120)) + 4 + MESSAGE_MIN <= 120


def test_plain_lines_one_per_event() -> None:
    ticket = {**TICKET["ticket"], "decision": TICKET["decision"]}
    line = plain_line("tickets.routed", ticket)
    assert line.startswith(f"ticket tk_{'a' * 24} email order_status → orders P2 ")
    assert "order 104512 shipped LATE" in line
    assert plain_line("tickets.deadletter", DEAD) == (
        "dead letter chat invalid_json: The payload is not JSON: Expecting value at line 1 "
        "column 1 (char 0).")
    event = {"type": "sla.warning", "ticket_id": "tk_1", "metric": "first_response",
             "policy": "standard", "target": 120.0, "threshold": 0.75}
    assert plain_line("sla.events", event) == (
        "sla.warning tk_1 first_response (standard, target 120 s) 75% elapsed")


def test_a_record_delivered_twice_is_counted_once() -> None:
    stats = DemoStats()
    assert stats.add("tickets.routed", TICKET) is True
    assert stats.add("tickets.routed", TICKET) is False
    assert stats.add("tickets.deadletter", DEAD) is True
    assert stats.add("tickets.deadletter", DEAD) is False
