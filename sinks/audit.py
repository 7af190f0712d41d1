"""The routing audit: every decision written to the store's ``routing_decisions`` table.

Rows are buffered and written in one INSERT per flush (a timer, every second), idempotently:
(ticket_id, ruleset_version) is unique and a redelivered decision is skipped. If the store is
down the rows stay buffered (bounded) and are written when it is back; past the bound the oldest
are dropped and counted — the routed messages on Kafka remain the record of truth.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from typing import Any

from prometheus_client import CollectorRegistry, Counter
from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite

from schemas.routing import RoutedTicket
from store.models import RoutingDecision

log = logging.getLogger(__name__)
DECISIONS: Table = RoutingDecision.__table__  # type: ignore[assignment]


def audit_row(routed: RoutedTicket) -> dict[str, Any]:
    decision = routed.decision
    return {
        "ticket_id": routed.ticket.ticket_id,
        "decided_at": routed.routed_at,
        "queue": decision.queue,
        "priority": decision.priority.value,
        "ruleset_version": decision.ruleset_version,
        "matched_rules": [m.rule_id for m in decision.matched],
        "decision": decision.model_dump(mode="json"),
    }


class AuditSink:
    def __init__(
        self, session_factory: Callable[[], Any], registry: CollectorRegistry,
        max_buffer: int = 50_000,
    ) -> None:
        self.session_factory = session_factory
        self._rows: deque[dict[str, Any]] = deque()
        self.max_buffer = max_buffer
        self.written = Counter("ticketflow_audit_rows_total", "Routing decisions audited.",
                               registry=registry)
        self.dropped = Counter("ticketflow_audit_dropped_total",
                               "Audit rows dropped while the store was down too long.",
                               registry=registry)

    def add(self, routed: RoutedTicket) -> None:
        if len(self._rows) >= self.max_buffer:
            self._rows.popleft()
            self.dropped.inc()
        self._rows.append(audit_row(routed))

    def flush(self) -> int:
        if not self._rows:
            return 0
        rows = list(self._rows)
        try:
            with self.session_factory() as session:
                dialect = session.get_bind().dialect.name
                insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)
                # against the Table, not the ORM class: one Core executemany, without the ORM's
                # bulk-insert bookkeeping per row (≈ half the flush's time)
                statement = insert(DECISIONS).on_conflict_do_nothing(
                    index_elements=["ticket_id", "ruleset_version"])
                session.execute(statement, rows)
                session.commit()
        except Exception as exc:
            log.warning("audit flush of %d rows failed, kept for the next one: %s", len(rows), exc)
            return 0
        for _ in rows:
            self._rows.popleft()
        self.written.inc(len(rows))
        return len(rows)
