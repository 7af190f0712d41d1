"""The pure core: tickets + the facts one batch lookup returned → enriched tickets."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import cast, get_args

from classifiers.classify import ticket_text
from classifiers.priority import prioritize
from core.settings import Settings
from schemas import Ticket
from schemas.enrichment import CustomerSummary, Enrichment, OrderSummary, Segment
from store.models import IDENTITY_KINDS
from store.queries import BatchFacts, CustomerFacts, OrderFacts

SEGMENTS: tuple[str, ...] = get_args(Segment)

CLOSED_STATUSES = frozenset({"delivered", "cancelled", "returned"})


@dataclass(frozen=True, slots=True)
class SegmentRules:
    """Customer value thresholds (settings: TICKETFLOW_VIP_LIFETIME_VALUE, …)."""

    vip_lifetime_value: float = 1000.0
    vip_orders: int = 10
    high_lifetime_value: float = 300.0
    high_orders: int = 4
    return_window_days: int = 30


def identities(ticket: Ticket) -> list[tuple[str, str]]:
    """The ticket's channel identities, strongest first."""
    customer = ticket.customer
    return [(kind, value) for kind in IDENTITY_KINDS if (value := getattr(customer, kind))]


def resolved_customer_key(customer_id: str) -> str:
    """The customer key of a resolved customer (``customer:<id>``): what the routing agent keys
    their contacts by; before resolution it is the channel identity (``kind:value``)."""
    return f"customer:{customer_id}"


def segment_of(customer: CustomerFacts, rules: SegmentRules) -> Segment:
    """The shop's own segment when it imported one, else from lifetime value and orders."""
    if customer.segment_override in SEGMENTS:
        return cast(Segment, customer.segment_override)
    if (customer.lifetime_value >= rules.vip_lifetime_value
            or customer.order_count >= rules.vip_orders):
        return "vip"
    if (customer.lifetime_value >= rules.high_lifetime_value
            or customer.order_count >= rules.high_orders):
        return "high"
    if customer.order_count <= 1:
        return "new"
    return "regular"


def summarize_order(
    order: OrderFacts, matched_by: str, now: datetime, rules: SegmentRules
) -> OrderSummary:
    late = (order.status not in CLOSED_STATUSES and order.promised_delivery_at is not None
            and order.promised_delivery_at < now)
    days = (now - order.delivered_at).days if order.delivered_at else None
    return OrderSummary(
        number=order.number, status=order.status, total=order.total, currency=order.currency,
        placed_at=order.placed_at, delivered_at=order.delivered_at,
        promised_delivery_at=order.promised_delivery_at, carrier=order.carrier,
        tracking_number=order.tracking_number, late=late, days_since_delivery=days,
        in_return_window=None if days is None else days <= rules.return_window_days,
        matched_by=matched_by,
    )


def resolve_customer(
    ticket: Ticket, facts: BatchFacts
) -> tuple[CustomerFacts | None, str | None, str | None]:
    """(customer, identity kind that matched, note). A shared identity (a family's email) is
    settled by the order numbers the message mentions; failing that, by the first match."""
    for kind, value in identities(ticket):
        matches = facts.customers_by_identity.get((kind, value), [])
        if len(matches) == 1:
            return matches[0], kind, None
        if len(matches) > 1:
            owners = {facts.orders_by_number[n].customer_id for n in ticket.order_numbers
                      if n in facts.orders_by_number}
            chosen = [m for m in matches if m.id in owners]
            if len(chosen) == 1:
                return chosen[0], kind, f"{kind} shared by {len(matches)} customers; "\
                    "resolved by the order mentioned"
            return matches[0], kind, f"{kind} shared by {len(matches)} customers; "\
                "first match taken"
    return None, None, None


def enrich_ticket(
    ticket: Ticket, facts: BatchFacts, now: datetime, rules: SegmentRules
) -> Ticket:
    customer, matched_by, note = resolve_customer(ticket, facts)
    if customer is None:
        enrichment = Enrichment(status="not_found", customer_key=ticket.customer.identity_key,
                                detail="no customer with this channel identity")
        return ticket.model_copy(update={"enrichment": enrichment})
    orders = [summarize_order(facts.orders_by_number[n], "mentioned", now, rules)
              for n in ticket.order_numbers
              if n in facts.orders_by_number
              and facts.orders_by_number[n].customer_id == customer.id]  # never another's order
    if not orders and customer.id in facts.latest_open_order_by_customer:
        orders = [summarize_order(facts.latest_open_order_by_customer[customer.id],
                                  "latest_open", now, rules)]
    summary = CustomerSummary(
        customer_id=customer.id, name=customer.name, segment=segment_of(customer, rules),
        lifetime_value=customer.lifetime_value, currency=customer.currency,
        order_count=customer.order_count, tier=customer.tier, matched_by=matched_by or "",
    )
    enrichment = Enrichment(status="ok", customer_key=resolved_customer_key(customer.id),
                            customer=summary, orders=tuple(orders), detail=note)
    return reprioritize(ticket.model_copy(update={"enrichment": enrichment}))


def unavailable(tickets: Sequence[Ticket], reason: str) -> list[Ticket]:
    return [
        t.model_copy(update={"enrichment": Enrichment(
            status="unavailable", customer_key=t.customer.identity_key, detail=reason)})
        for t in tickets
    ]


def segment_rules(settings: Settings) -> SegmentRules:
    return SegmentRules(
        vip_lifetime_value=settings.vip_lifetime_value, vip_orders=settings.vip_orders,
        high_lifetime_value=settings.high_lifetime_value, high_orders=settings.high_orders,
        return_window_days=settings.return_window_days,
    )


def reprioritize(ticket: Ticket) -> Ticket:
    """Priority again, now with customer value and repeat contacts known."""
    c, e = ticket.classification, ticket.enrichment
    if c is None or e is None:
        return ticket
    result = prioritize(
        intent=c.intent, urgency=c.urgency, sentiment=c.sentiment, channel=ticket.channel.value,
        text=ticket_text(ticket),
        customer_segment=e.customer.segment if e.customer else None,
        contacts_24h=e.contacts.last_24h if e.contacts else None,
    )
    classification = c.model_copy(update={
        "priority": result.priority, "priority_score": result.score,
        "priority_factors": result.factors,
    })
    return ticket.model_copy(update={"classification": classification})
