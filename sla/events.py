"""What goes in and out of the SLA clocks: help-desk events in, SLA events out.

Both are frozen pydantic models, JSON-able for Kafka topics and faust tables.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from schemas.sla import (  # noqa: F401  (re-exported)
    METRICS,
    SURVEY_TYPES,
    ClockStatus,
    HelpdeskEvent,
    HelpdeskEventType,
    Metric,
    SlaEvent,
    SlaEventType,
    TicketStatus,
)


def sla_event_id(
    ticket_id: str,
    metric: str,
    deadline: datetime | None,
    type_: str,
    threshold: float | str | None = None,
) -> str:
    """``sla_`` + the first 24 hex digits of sha256 over (ticket, metric, deadline ISO, type,
    threshold). Re-deriving an event gives the same id, so consumers can deduplicate."""
    parts = (
        ticket_id,
        metric,
        deadline.isoformat() if deadline is not None else "",
        type_,
        "" if threshold is None else str(threshold),
    )
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return f"sla_{digest[:24]}"
