"""The facts an answer is made of, from ``ticket.enrichment`` only (what enrichment found in the
shop's database when the ticket came in), and the order-related reasons not to answer.

Which order: enrichment attaches the orders the message mentions — only the customer's own —
or, when none is mentioned, the customer's latest open order (``matched_by``). So a number in
``ticket.order_numbers`` missing from ``enrichment.orders`` is someone else's order or no order
at all (``order_not_customers``); two orders attached is ``order_ambiguous``; none is
``order_unknown``. A customer settled by a guess (a shared e-mail, "first match taken") is
``customer_unknown``, like no customer.

Per answer kind:

* ``order_status``: the order mentioned or the latest open one (only the one mentioned for the
  intents of ``mentioned_order_required``: a ``delivery_info`` message without a number asks
  about shipping in general). Resolves the question when the order is placed, paid or
  shipped, has a promised date and is not late.
* ``return``: the order mentioned (the latest *open* order is not delivered, so it is rarely the
  one to return: ``order_unknown``). Resolves it when the order is delivered and inside the
  return window (``TICKETFLOW_RETURN_WINDOW_DAYS``): the answer says how many days are left and
  where to start the return.
* ``address_change``: the order mentioned or the latest open one; a change is possible while it
  is placed or paid. Resolves it only with a self-service link (``links.address_change``):
  otherwise a person still makes the change.
* ``invoice``: needs no order (the invoice of any order is in the customer's account); an order
  mentioned is named. Always resolves it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from replies.config import RepliesConfig
from schemas.enrichment import OrderSummary
from schemas.replies import AnswerKind, Fact, Suppression
from schemas.ticket import Ticket

CHANGEABLE = frozenset({"placed", "paid"})
"""Order statuses before shipping: the delivery address can still change."""
ON_ITS_WAY = frozenset({"placed", "paid", "shipped"})


@dataclass(frozen=True)
class OrderFacts:
    number: str
    status: str
    carrier: str | None
    tracking_number: str | None
    tracking_url: str | None
    placed_at: datetime
    promised_delivery_at: datetime | None
    delivered_at: datetime | None
    late: bool
    mentioned: bool


@dataclass(frozen=True)
class Found:
    """What an answer of ``kind`` can say. ``values`` holds the kind's own template variables
    (``returns``, ``address``, ``invoice_url``); their datetimes become localized days when
    the template's language is known."""

    kind: AnswerKind
    order: OrderFacts | None
    facts: tuple[Fact, ...]
    values: Mapping[str, object] = field(default_factory=dict)
    resolves: bool = False


def customer_reasons(ticket: Ticket) -> list[Suppression]:
    e = ticket.enrichment
    if e is None:
        return [Suppression(reason="customer_unknown", detail="the ticket was not enriched")]
    if e.status != "ok" or e.customer is None:
        return [Suppression(reason="customer_unknown", detail=(
            f"enrichment {e.status}: {e.detail or 'no customer'}"))]
    if e.detail and "first match taken" in e.detail:
        return [Suppression(reason="customer_unknown", detail=e.detail)]
    return []


def order_reasons(ticket: Ticket, kind: AnswerKind,
                  mentioned_required: bool = False) -> list[Suppression]:
    """Order problems for an answer of ``kind`` about a known customer's order;
    ``mentioned_required``: the intent is answered only about an order the message names."""
    assert ticket.enrichment is not None
    orders = ticket.enrichment.orders
    attached = {o.number for o in orders}
    foreign = [n for n in ticket.order_numbers if n not in attached]
    out: list[Suppression] = []
    if foreign:
        out.append(Suppression(reason="order_not_customers", detail=(
            f"order {', '.join(foreign)} mentioned is not among this customer's orders")))
    if kind == "invoice":
        return out
    if len(orders) > 1:
        out.append(Suppression(reason="order_ambiguous", detail=(
            f"{len(orders)} orders mentioned ({', '.join(o.number for o in orders)}): which "
            "one is meant is not certain")))
    elif not orders:
        if not foreign:  # a foreign number alone: order_not_customers says it
            out.append(Suppression(reason="order_unknown", detail=(
                "no order mentioned and no open order of this customer")))
    elif orders[0].matched_by == "latest_open":
        guess = orders[0]
        if kind == "return":
            out.append(Suppression(reason="order_unknown", detail=(
                f"no order mentioned; the latest open order {guess.number} ({guess.status}) "
                "is not delivered, so it is not the one to return")))
        elif mentioned_required:
            out.append(Suppression(reason="order_unknown", detail=(
                "no order mentioned: without a number this question is about shipping in "
                f"general, not the latest open order {guess.number}")))
    return out


def _order(order: OrderSummary, config: RepliesConfig) -> OrderFacts:
    return OrderFacts(
        number=order.number, status=order.status, carrier=order.carrier,
        tracking_number=order.tracking_number,
        tracking_url=config.tracking_url(order.carrier, order.tracking_number),
        placed_at=order.placed_at, promised_delivery_at=order.promised_delivery_at,
        delivered_at=order.delivered_at, late=order.late,
        mentioned=order.matched_by == "mentioned",
    )


def _iso(when: datetime | None) -> str | None:
    return when.isoformat() if when is not None else None


def _order_facts(o: OrderFacts) -> list[Fact]:
    facts = [Fact(name="order.number", value=o.number), Fact(name="order.status", value=o.status),
             Fact(name="order.matched_by", value="mentioned" if o.mentioned else "latest_open")]
    if o.carrier:
        facts.append(Fact(name="order.carrier", value=o.carrier))
    if o.tracking_number:
        facts.append(Fact(name="order.tracking_number", value=o.tracking_number))
    if o.tracking_url:
        facts.append(Fact(name="order.tracking_url", value=o.tracking_url))
    if o.promised_delivery_at is not None:
        facts.append(Fact(name="order.promised_delivery_at", value=_iso(o.promised_delivery_at)))
    if o.delivered_at is not None:
        facts.append(Fact(name="order.delivered_at", value=_iso(o.delivered_at)))
    facts.append(Fact(name="order.late", value=o.late))
    return facts


def gather(kind: AnswerKind, ticket: Ticket, config: RepliesConfig,
           return_window_days: int) -> Found | None:
    """The facts for an answer of ``kind``; None when there is no order to answer from (the
    reasons are :func:`order_reasons`)."""
    e = ticket.enrichment
    orders = e.orders if e is not None else ()
    summary = orders[0] if len(orders) == 1 else None
    order = _order(summary, config) if summary is not None else None
    if kind == "invoice":
        facts = [Fact(name="invoice.url", value=config.links.invoices)]
        if order is not None and order.mentioned:
            facts.insert(0, Fact(name="order.number", value=order.number))
        return Found(kind, order if order is not None and order.mentioned else None,
                     tuple(facts), {"invoice_url": config.links.invoices}, resolves=True)
    if order is None or summary is None:
        return None
    facts = _order_facts(order)
    if kind == "order_status":
        resolves = (order.status in ON_ITS_WAY and not order.late
                    and order.promised_delivery_at is not None)
        return Found(kind, order, tuple(facts), resolves=resolves)
    if kind == "address_change":
        possible = order.status in CHANGEABLE
        facts.append(Fact(name="address.change_possible", value=possible))
        values: dict[str, object] = {
            "address": {"change_possible": possible, "url": config.links.address_change}}
        return Found(kind, order, tuple(facts), values,
                     resolves=possible and config.links.address_change is not None)
    # return: enrichment measured days since delivery against the same window
    days = summary.days_since_delivery
    window_open = bool(summary.in_return_window) and order.status == "delivered"
    days_left = max(return_window_days - days, 0) if days is not None else None
    facts += [Fact(name="return.window_days", value=return_window_days),
              Fact(name="return.window_open", value=window_open)]
    last_day = (order.delivered_at + timedelta(days=return_window_days)
                if order.delivered_at is not None else None)
    if days_left is not None:
        facts.append(Fact(name="return.days_left", value=days_left))
    if last_day is not None:
        facts.append(Fact(name="return.last_day", value=_iso(last_day)))
    values = {"returns": {"window_days": return_window_days, "window_open": window_open,
                          "days_left": days_left, "last_day": last_day,
                          "url": config.links.returns, "refund_days": config.refund_days}}
    return Found(kind, order, tuple(facts), values, resolves=window_open)
