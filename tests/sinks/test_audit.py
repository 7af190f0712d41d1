"""The routing audit sink on a real (SQLite) store: one row per ticket and ruleset version,
redeliveries skipped, rows kept while the store is down."""

from __future__ import annotations

from pathlib import Path

from prometheus_client import CollectorRegistry
from sqlalchemy import select

from routing_rules import DEFAULT_RULESET_PATH, compile_ruleset, load_ruleset
from routing_rules.testing import RECEIVED_AT, base_ticket
from schemas import Ticket
from schemas.routing import RoutedTicket
from sinks.audit import AuditSink
from store.db import make_engine, make_session_factory
from store.migrate import upgrade
from store.models import RoutingDecision

RULESET = compile_ruleset(load_ruleset(DEFAULT_RULESET_PATH))


def routed(n: int) -> RoutedTicket:
    data = base_ticket("Where is my parcel?")
    data["ticket_id"] = f"tk_{n:024x}"
    ticket = Ticket.model_validate(data)
    return RoutedTicket(ticket=ticket, decision=RULESET.route(ticket), routed_at=RECEIVED_AT)


def test_flush_writes_each_decision_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    upgrade(url)
    sessions = make_session_factory(make_engine(url))
    registry = CollectorRegistry()
    sink = AuditSink(sessions, registry)
    for n in (1, 2):
        sink.add(routed(n))
    assert sink.flush() == 2
    sink.add(routed(1))  # redelivered: the same ticket and ruleset version
    assert sink.flush() == 1 and sink.flush() == 0
    with sessions() as session:
        rows = session.execute(select(RoutingDecision)).scalars().all()
    assert sorted(r.ticket_id for r in rows) == [f"tk_{1:024x}", f"tk_{2:024x}"]
    first = next(r for r in rows if r.ticket_id == f"tk_{1:024x}")
    decision = routed(1).decision
    assert (first.queue, first.ruleset_version) == (decision.queue, decision.ruleset_version)
    assert first.matched_rules == [m.rule_id for m in decision.matched]
    assert first.decision == decision.model_dump(mode="json")
    assert registry.get_sample_value("ticketflow_audit_rows_total") == 3


def test_rows_stay_buffered_while_the_store_is_down(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    sink = AuditSink(make_session_factory(make_engine(url)), CollectorRegistry())
    sink.add(routed(1))
    assert sink.flush() == 0  # no routing_decisions table yet: the store is not ready
    upgrade(url)
    assert sink.flush() == 1
