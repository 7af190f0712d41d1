"""Synthetic SLA load for the benchmark and the kill/restart test: routed tickets whose
first-response deadlines are spread over a window, and a reader of ``sla.events`` that
measures how late each breach arrived and whether any came twice."""

from __future__ import annotations

import hashlib
import json
import statistics
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from schemas.routing import Decision, RoutedTicket
from schemas.ticket import Ticket

POLICY = "bench"


def policies_yaml(first_response: timedelta) -> str:
    """One policy: first response within ``first_response`` on every channel; the other
    clocks far away so only first-response breaches fall in the run."""
    seconds = int(first_response.total_seconds())
    return (
        "warnings: [0.75, 0.9]\n"
        f"default_policy: {POLICY}\n"
        "policies:\n"
        f"  {POLICY}:\n"
        f"    first_response: {{default: {{all: {seconds}s}}}}\n"
        "    next_response: {default: {all: 1d}}\n"
        "    resolution: {default: {all: 7d}}\n"
    )


def ticket_id(run: str, i: int) -> str:
    return "tk_" + hashlib.sha256(f"{run}\x1f{i}".encode()).hexdigest()[:24]


def routed_tickets(run: str, n: int, *, first_deadline: datetime, window: timedelta,
                   first_response: timedelta, now: datetime) -> list[RoutedTicket]:
    """``n`` routed SMS tickets whose first-response deadlines are evenly spread over
    ``[first_deadline, first_deadline + window]`` (they were "received" ``first_response``
    before their deadline)."""
    out = []
    for i in range(n):
        deadline = first_deadline + window * (i / max(n - 1, 1))
        tid = ticket_id(run, i)
        ticket = Ticket.model_validate({
            "ticket_id": tid, "channel": "sms", "provider": "bench",
            "provider_message_id": f"{run}-{i}", "received_at": deadline - first_response,
            "customer": {"phone": "+33600000000"}, "body": "Where is my order?",
            "body_original": "Where is my order?", "language": "en",
            "language_confidence": 1.0,
            # not a record of inbound.sms: a test reading tickets.routed for its own
            # inbound coordinates must never take one of these for its ticket
            "source": {"topic": "sla-load", "partition": 0, "offset": i},
        })
        decision = Decision(queue="orders", topic="queue.orders", priority="P3",
                            sla_policy=POLICY, matched=(), default_applied=True,
                            ruleset_name="bench", ruleset_version="bench")
        out.append(RoutedTicket(ticket=ticket, decision=decision, routed_at=now))
    return out


@dataclass
class Seen:
    event_id: str
    type: str
    ticket_id: str
    metric: str
    deadline: datetime | None
    emitted_at: datetime
    received_at: datetime


@dataclass
class BreachReport:
    expected: set[tuple[str, str]]
    seen: list[Seen] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    """Events counted by type but not parsed (not breaches)."""

    def add(self, value: bytes, received_at: datetime) -> None:
        data = json.loads(value)
        self.seen.append(Seen(
            data["event_id"], data["type"], data["ticket_id"], data["metric"],
            datetime.fromisoformat(data["deadline"]) if data.get("deadline") else None,
            datetime.fromisoformat(data["emitted_at"]), received_at,
        ))

    @property
    def breaches(self) -> list[Seen]:
        return [s for s in self.seen if s.type == "sla.breached"]

    def missing(self) -> set[tuple[str, str]]:
        return self.expected - {(s.ticket_id, s.metric) for s in self.breaches}

    def summary(self) -> dict[str, Any]:
        breaches = self.breaches
        first: dict[str, Seen] = {}
        for s in breaches:
            first.setdefault(s.event_id, s)
        ids_per_clock = Counter((s.ticket_id, s.metric) for s in first.values())
        late = sorted((s.received_at - s.deadline).total_seconds()
                      for s in first.values() if s.deadline is not None)
        emitted = sorted((s.emitted_at - s.deadline).total_seconds()
                         for s in first.values() if s.deadline is not None)
        types = Counter(s.type for s in {s.event_id: s for s in self.seen}.values())
        types.update(self.skipped)
        return {
            "breaches_expected": len(self.expected),
            "breaches_emitted": len(first),
            "missing": len(self.missing()),
            "duplicates": len(breaches) - len(first),
            "clocks_with_two_breach_ids": sum(1 for c in ids_per_clock.values() if c > 1),
            "breach_lateness_p50_s": _pct(late, 50),
            "breach_lateness_p99_s": _pct(late, 99),
            "breach_lateness_max_s": late[-1] if late else None,
            "emit_lateness_p50_s": _pct(emitted, 50),
            "emit_lateness_p99_s": _pct(emitted, 99),
            "events_by_type": dict(sorted(types.items())),
        }


def _pct(values: list[float], p: int) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return round(values[0], 4)
    return round(statistics.quantiles(values, n=100, method="inclusive")[p - 1], 4)


def read_events(consumer: Any, report: BreachReport, ticket_ids: set[str],
                timeout_ms: int = 200, only_breaches: bool = False) -> int:
    """Poll once; add this run's SLA events to ``report`` (``only_breaches``: skip parsing the
    rest, to keep the reader light). Returns how many were added."""
    added = 0
    for records in consumer.poll(timeout_ms=timeout_ms).values():
        now = datetime.now(UTC)
        for record in records:
            key = record.key.decode() if record.key else ""
            if key not in ticket_ids:
                continue
            if only_breaches and b'"sla.breached"' not in record.value:
                report.skipped[_type_of(record.value)] += 1
                continue
            report.add(record.value, now)
            added += 1
    return added


def _type_of(value: bytes) -> str:
    for type_ in ("sla.applied", "sla.warning", "sla.fulfilled", "sla.paused", "sla.resumed"):
        if f'"{type_}"'.encode() in value:
            return type_
    return "other"


def publish_routed(producer: Any, items: Iterable[RoutedTicket]) -> int:
    n = 0
    for routed in items:
        producer.send("tickets.routed", key=routed.ticket.ticket_id.encode(),
                      value=routed.model_dump_json().encode(),
                      headers=[("ticketflow-schema", b"routed/1")])
        n += 1
    producer.flush()
    return n


def wait_for(condition: Any, timeout_s: float, poll: Any) -> bool:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        poll()
    return True
