from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from channels import RawRecord, normalize
from schemas import Source, Ticket
from store.queries import CustomerFacts, OrderFacts

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def ticket(email: str = "Ana@Example.com", message: str = "Where is my order?",
           submission: str = "s1", at: datetime = NOW, order: str | None = None) -> Ticket:
    raw = json.dumps({"submission_id": submission, "submitted_at": at.isoformat(),
                      "email": email, "message": message,
                      **({"order_number": order} if order else {})}).encode()
    result = normalize(RawRecord("webform", raw, Source(topic="inbound.webform", partition=0,
                                                        offset=0), at), at)
    assert isinstance(result, tuple)
    return result[0]


def customer(cid: str = "C0001", ltv: float = 120.0, orders: int = 2) -> CustomerFacts:
    return CustomerFacts(id=cid, name="Ana Ruiz", tier=None, lifetime_value=ltv, currency="EUR",
                         order_count=orders, first_order_at=NOW - timedelta(days=400),
                         last_order_at=NOW - timedelta(days=10))


def order(number: str = "104512", cid: str = "C0001", status: str = "shipped",
          promised: datetime | None = None, delivered: datetime | None = None,
          placed: datetime = NOW - timedelta(days=5)) -> OrderFacts:
    return OrderFacts(number=number, customer_id=cid, status=status, total=59.9, currency="EUR",
                      placed_at=placed, shipped_at=None, delivered_at=delivered, carrier="DHL",
                      tracking_number="JD0001", promised_delivery_at=promised)
