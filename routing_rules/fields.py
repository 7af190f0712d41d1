"""The catalogue of ticket fields rules may test, and how each is read from a Ticket."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from keyword import iskeyword
from operator import attrgetter
from typing import Any, Literal

from schemas.classification import Intent, Priority, UrgencyKind
from schemas.common import Channel
from schemas.ticket import Ticket

Kind = Literal["str", "num", "bool"]
Getter = Callable[[Ticket], Any]


@dataclass(frozen=True)
class FieldSpec:
    path: str
    kind: Kind
    is_list: bool = False
    values: frozenset[str] | None = None  # allowed values, when the field is an enum


def _spec(path: str, kind: Kind, is_list: bool = False,
          values: frozenset[str] | None = None) -> tuple[str, FieldSpec]:
    return path, FieldSpec(path, kind, is_list, values)


_INTENTS = frozenset(i.value for i in Intent)
_PRIORITIES = frozenset(p.value for p in Priority)

CATALOGUE: dict[str, FieldSpec] = dict([
    _spec("channel", "str", values=frozenset(c.value for c in Channel)),
    _spec("provider", "str"),
    _spec("language", "str"),
    _spec("language_confidence", "num"),
    _spec("subject", "str"),
    _spec("body", "str"),
    _spec("text", "str"),
    _spec("order_numbers", "str", True),
    _spec("customer.email", "str"),
    _spec("customer.phone", "str"),
    _spec("customer.whatsapp_id", "str"),
    _spec("customer.x_handle", "str"),
    _spec("customer.display_name", "str"),
    _spec("attachments.content_type", "str", True),
    _spec("attachments.filename", "str", True),
    _spec("thread.in_reply_to", "str"),
    _spec("thread.conversation_id", "str"),
    _spec("classification.intent", "str", values=_INTENTS),
    _spec("classification.confidence", "num"),
    _spec("classification.needs_triage", "bool"),
    _spec("classification.top_intents.intent", "str", True, _INTENTS),
    _spec("classification.intent_evidence", "str", True),
    _spec("classification.sentiment.label", "str",
          values=frozenset({"negative", "neutral", "positive"})),
    _spec("classification.sentiment.score", "num"),
    _spec("classification.sentiment.drivers", "str", True),
    _spec("classification.urgency.kind", "str", True, frozenset(u.value for u in UrgencyKind)),
    _spec("classification.urgency.evidence", "str", True),
    _spec("classification.priority", "str", values=_PRIORITIES),
    _spec("classification.priority_score", "num"),
    _spec("classification.model_version", "str"),
    _spec("enrichment.status", "str", values=frozenset({"ok", "not_found", "unavailable"})),
    _spec("enrichment.customer_key", "str"),
    _spec("enrichment.detail", "str"),
    _spec("enrichment.customer.customer_id", "str"),
    _spec("enrichment.customer.segment", "str",
          values=frozenset({"vip", "high", "regular", "new"})),
    _spec("enrichment.customer.lifetime_value", "num"),
    _spec("enrichment.customer.currency", "str"),
    _spec("enrichment.customer.order_count", "num"),
    _spec("enrichment.customer.tier", "str"),
    _spec("enrichment.customer.matched_by", "str"),
    _spec("enrichment.orders.number", "str", True),
    _spec("enrichment.orders.status", "str", True),
    _spec("enrichment.orders.total", "num", True),
    _spec("enrichment.orders.currency", "str", True),
    _spec("enrichment.orders.late", "bool", True),
    _spec("enrichment.orders.in_return_window", "bool", True),
    _spec("enrichment.orders.days_since_delivery", "num", True),
    _spec("enrichment.orders.carrier", "str", True),
    _spec("enrichment.orders.matched_by", "str", True),
    _spec("enrichment.contacts.last_24h", "num"),
    _spec("enrichment.contacts.last_7d", "num"),
    _spec("enrichment.contacts.conversation_id", "str"),
    _spec("enrichment.contacts.previous_ticket_id", "str"),
    _spec("tags", "str", True),
    # Set only when the SLA stage re-routes a ticket (declined, or not assigned in time).
    _spec("routing.attempt", "num"),
    _spec("routing.reason", "str", values=frozenset({"declined", "unassigned"})),
    _spec("routing.declined_by", "str", True),
    _spec("routing.previous_queues", "str", True),
])

CHANNEL_DETAILS_PREFIX = "channel_details."
# Paths whose value is a sequence of records: "a.b.c" reads attribute c of each item of a.b.
_LIST_PARENTS = ("attachments", "classification.top_intents", "classification.urgency",
                 "enrichment.orders")


def lookup(path: str) -> FieldSpec | None:
    """The spec of ``path``, or None when rules may not test it."""
    spec = CATALOGUE.get(path)
    if spec is None and path.startswith(CHANNEL_DETAILS_PREFIX) and len(path) > 16:
        return FieldSpec(path, "str")
    return spec


def suggest(path: str) -> str | None:
    close = difflib.get_close_matches(path, list(CATALOGUE), n=1, cutoff=0.6)
    return close[0] if close else None


def _safe(get: Callable[[Any], Any]) -> Getter:
    def read(ticket: Ticket) -> Any:
        try:
            return get(ticket)
        except AttributeError:  # an optional parent (classification, enrichment…) is None
            return None

    return read


def is_attribute_path(path: str) -> bool:
    """Whether :func:`getter` reads ``path`` as a plain attribute chain (``ticket.a.b``, None
    when a parent is None), so a caller may inline that read."""
    return (path != "text" and not path.startswith(CHANNEL_DETAILS_PREFIX)
            and not any(path.startswith(parent + ".") for parent in _LIST_PARENTS)
            and all(part.isidentifier() and not iskeyword(part) for part in path.split(".")))


def getter(path: str) -> Getter:
    """A function reading ``path`` from a Ticket: None when absent, a list for list fields."""
    if path == "text":
        def text(ticket: Ticket) -> str:
            return f"{ticket.subject}\n{ticket.body}" if ticket.subject else ticket.body
        return text
    if path.startswith(CHANNEL_DETAILS_PREFIX):
        key = path[len(CHANNEL_DETAILS_PREFIX):]
        return lambda ticket: ticket.channel_details.get(key)
    for parent in _LIST_PARENTS:
        if path.startswith(parent + "."):
            items = _safe(attrgetter(parent))
            attr = attrgetter(path[len(parent) + 1:])

            def each(ticket: Ticket, items: Getter = items, attr: Any = attr) -> list[Any] | None:
                seq = items(ticket)
                if not seq:
                    return None
                return [v for v in map(attr, seq) if v is not None]
            return each
    return _safe(attrgetter(path))
