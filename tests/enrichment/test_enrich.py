from __future__ import annotations

from datetime import timedelta

from enrichment.enrich import SegmentRules, enrich_ticket, segment_of
from store.queries import BatchFacts

from .helpers import NOW, customer, order, ticket

RULES = SegmentRules()


def facts(customers=None, orders=None, open_orders=None) -> BatchFacts:
    return BatchFacts(customers_by_identity=customers or {}, orders_by_number=orders or {},
                      latest_open_order_by_customer=open_orders or {})


def test_mixed_case_email_resolves_and_mentioned_order_is_attached() -> None:
    t = ticket(message="Where is order #104512?")
    late = order(promised=NOW - timedelta(days=2))
    out = enrich_ticket(t, facts({("email", "ana@example.com"): [customer()]},
                                 {"104512": late}), NOW, RULES)
    e = out.enrichment
    assert e is not None and e.status == "ok"
    assert e.customer_key == "customer:C0001"
    assert e.customer is not None and e.customer.matched_by == "email"
    (o,) = e.orders
    assert (o.number, o.matched_by, o.late) == ("104512", "mentioned", True)


def test_latest_open_order_when_none_mentioned() -> None:
    out = enrich_ticket(ticket(), facts({("email", "ana@example.com"): [customer()]},
                                        open_orders={"C0001": order("105000")}), NOW, RULES)
    assert out.enrichment and out.enrichment.orders[0].matched_by == "latest_open"


def test_another_customers_order_is_never_shown() -> None:
    out = enrich_ticket(ticket(message="order 104512"),
                        facts({("email", "ana@example.com"): [customer()]},
                              {"104512": order(cid="C0999")}), NOW, RULES)
    assert out.enrichment and out.enrichment.orders == ()


def test_return_window_and_days_since_delivery_follow_the_clock() -> None:
    delivered = order(status="delivered", delivered=NOW - timedelta(days=31))
    out = enrich_ticket(ticket(message="return 104512"),
                        facts({("email", "ana@example.com"): [customer()]},
                              {"104512": delivered}), NOW, RULES)
    o = out.enrichment.orders[0] if out.enrichment else None
    assert o is not None and o.days_since_delivery == 31 and o.in_return_window is False
    assert o.late is False
    later = enrich_ticket(ticket(message="return 104512"),
                          facts({("email", "ana@example.com"): [customer()]},
                                {"104512": delivered}), NOW - timedelta(days=2), RULES)
    assert later.enrichment and later.enrichment.orders[0].in_return_window is True


def test_shared_email_is_settled_by_the_order_mentioned() -> None:
    mum, son = customer("C0001"), customer("C0002")
    out = enrich_ticket(ticket(message="about #104512"),
                        facts({("email", "ana@example.com"): [mum, son]},
                              {"104512": order(cid="C0002")}), NOW, RULES)
    e = out.enrichment
    assert e and e.customer and e.customer.customer_id == "C0002"
    assert e.detail and "shared by 2 customers" in e.detail


def test_unknown_customer_is_not_found_and_keyed_by_identity() -> None:
    out = enrich_ticket(ticket(email="new@shop.example"), facts(), NOW, RULES)
    assert out.enrichment and out.enrichment.status == "not_found"
    assert out.enrichment.customer_key == "email:new@shop.example"


def test_segments() -> None:
    assert segment_of(customer(ltv=2000), RULES) == "vip"
    assert segment_of(customer(ltv=50, orders=12), RULES) == "vip"
    assert segment_of(customer(ltv=400, orders=2), RULES) == "high"
    assert segment_of(customer(ltv=40, orders=1), RULES) == "new"
    assert segment_of(customer(ltv=100, orders=2), RULES) == "regular"
    assert segment_of(customer(ltv=400, orders=2), SegmentRules(high_lifetime_value=500)) == (
        "regular")
