"""Factual answers per kind: what each says, the facts it lists, when it settles the question
(can_auto_resolve), and what the routing decision lets a help desk send (auto_send)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from replies import Replies
from schemas.replies import suggestion_id
from tests.replies.conftest import order, routed
from tests.sla.conftest import paris

WED_11 = paris(2026, 11, 18, 11)
SHIPPED = order(status="shipped", carrier="Royal Mail", tracking_number="AB 123/45",
                promised_delivery_at="2026-11-20T12:00:00+00:00")


def suggest(engine: Replies, intent: str, **overrides):
    return engine.suggest(routed(overrides.pop("at", WED_11), classification__intent=intent,
                                 **overrides))


def facts(s) -> dict:
    return {f.name: f.value for f in s.facts}


def test_an_order_on_its_way_with_its_tracking_link(demo: Replies) -> None:
    s = suggest(demo, "order_status", channel="email", **SHIPPED)
    assert s.answer_kind == "order_status" and s.suppressed == ()
    assert s.answer is not None and s.answer.template == "order_status.en.j2"
    # carrier names match without regard to case or spacing; the number is URL-quoted
    url = "https://www.royalmail.com/track-your-item#/tracking-results/AB%20123%2F45"
    assert f"You can follow it here: {url}" in s.answer.text
    assert "on its way with Royal Mail. It should arrive by 20 November." in s.answer.text
    assert facts(s)["order.tracking_url"] == url
    assert facts(s)["order.late"] is False
    assert s.can_auto_resolve


def test_a_late_order_is_answered_but_not_settled(demo: Replies) -> None:
    s = suggest(demo, "delivery_info", channel="email", language="de",
                **{**SHIPPED, **order(status="shipped", late=True, carrier="DHL",
                                      tracking_number="JD1",
                                      promised_delivery_at="2026-11-14T12:00:00+00:00")})
    assert s.answer is not None and not s.can_auto_resolve
    assert "hätte bis 14. November ankommen sollen" in s.answer.text
    assert "melden uns heute bis" in s.answer.text  # a person follows up, by the promise


def test_a_carrier_without_a_pattern_still_gives_its_number(demo: Replies) -> None:
    s = suggest(demo, "order_status", channel="email",
                **order(status="shipped", carrier="Pigeon Post", tracking_number="PP9"))
    assert "Its tracking number is PP9." in s.answer.text
    assert "order.tracking_url" not in facts(s)


@pytest.mark.parametrize(("status", "resolves", "words"), [
    ("paid", True, "we're getting it ready to ship"),
    ("delivered", False, "delivered your order"),
    ("cancelled", False, "was cancelled, so it won't be shipped"),
    ("returned", False, "came back to us as a return"),
])
def test_each_order_status(demo: Replies, status: str, resolves: bool, words: str) -> None:
    s = suggest(demo, "order_status", channel="email",
                **order(status=status, promised_delivery_at="2026-11-20T12:00:00+00:00"))
    assert words in s.answer.text
    assert s.can_auto_resolve is resolves


def test_return_window_open_with_days_left(demo: Replies) -> None:
    s = suggest(demo, "return_exchange", channel="email", language="fr",
                **order(status="delivered", delivered_at="2026-11-08T12:00:00+00:00",
                        days_since_delivery=10, in_return_window=True))
    assert "court jusqu'au 8 décembre (encore 20 jours)" in s.answer.text
    assert "https://demoshop.example/account/returns" in s.answer.text
    assert {k: facts(s)[k] for k in ("return.days_left", "return.window_open",
                                     "return.window_days")} == {
        "return.days_left": 20, "return.window_open": True, "return.window_days": 30}
    assert s.can_auto_resolve


def test_the_window_follows_the_settings(shipped_policies) -> None:
    from replies.config import DEFAULT_CONFIG_PATH

    engine = Replies.load(DEFAULT_CONFIG_PATH, shipped_policies, return_window_days=14)
    s = suggest(engine, "refund", classification__confidence=0.95, channel="email",
                **order(status="delivered", delivered_at="2026-11-08T12:00:00+00:00",
                        days_since_delivery=10, in_return_window=True))
    assert "14-day return window is open until 22 November (4 days left)" in s.answer.text


def test_the_last_day_of_the_window(demo: Replies) -> None:
    s = suggest(demo, "return_exchange", channel="email",
                **order(status="delivered", delivered_at="2026-10-19T12:00:00+00:00",
                        days_since_delivery=30, in_return_window=True))
    assert "today is the last day of our 30-day return window" in s.answer.text


def test_return_window_closed_is_not_settled(demo: Replies) -> None:
    s = suggest(demo, "return_exchange", channel="email", language="es",
                **order(status="delivered", delivered_at="2026-10-01T12:00:00+00:00",
                        days_since_delivery=48, in_return_window=False))
    assert "fuera del plazo de devolución" in s.answer.text
    assert facts(s)["return.window_open"] is False and not s.can_auto_resolve


def test_a_return_of_an_order_not_yet_delivered(demo: Replies) -> None:
    s = suggest(demo, "return_exchange", channel="email", **order(status="shipped",
                                                                  carrier="DPD"))
    assert "hasn't been delivered yet: it's on its way with DPD" in s.answer.text
    assert not s.can_auto_resolve


def test_address_change_possible_until_shipped(demo: Replies) -> None:
    before = suggest(demo, "shipping_address", channel="email", **order(status="placed"))
    assert facts(before)["address.change_possible"] is True
    assert "can still be changed" in before.answer.text
    assert not before.can_auto_resolve  # no self-service link: a person makes the change
    after = suggest(demo, "shipping_address", channel="email",
                    **order(status="shipped", carrier="UPS", tracking_number="1Z9"))
    assert facts(after)["address.change_possible"] is False
    assert "so we can no longer change its address" in after.answer.text


def test_address_change_with_a_self_service_link_settles_it(demo: Replies) -> None:
    config = demo.config.model_copy(update={"links": demo.config.links.model_copy(
        update={"address_change": "https://demoshop.example/account/addresses"})})
    engine = Replies(config, demo.templates, demo.policies)
    s = suggest(engine, "shipping_address", channel="sms", customer__phone="+33612345678",
                **order(status="paid"))
    assert "Change it here: https://demoshop.example/account/addresses" in s.answer.text
    assert s.can_auto_resolve


def test_invoice_names_the_order_mentioned_or_none(demo: Replies) -> None:
    named = suggest(demo, "invoice", channel="email", order_numbers=["100000"],
                    **order(number="100000", status="delivered"))
    assert "the invoice for your order 100000" in named.answer.text and named.can_auto_resolve
    guessed = suggest(demo, "invoice", channel="email",
                      **order(status="paid", matched_by="latest_open"))
    assert "the invoice for any of your orders" in guessed.answer.text
    assert facts(guessed) == {"invoice.url": "https://demoshop.example/account/orders"}


def test_intents_without_an_answer_kind_get_only_the_acknowledgement(demo: Replies) -> None:
    s = suggest(demo, "product_question", channel="email", **SHIPPED)
    assert s.answer_kind is None and s.answer is None and s.facts == ()
    assert s.suppressed == () and not s.can_auto_resolve


def test_an_sms_answer_fits_two_segments_and_keeps_its_link(demo: Replies) -> None:
    s = suggest(demo, "order_status", channel="sms", language="es",
                customer__phone="+34600000869", **order(
                    status="shipped", carrier="Correos", tracking_number="PQ4F6P0703442180108",
                    promised_delivery_at="2026-11-20T12:00:00+00:00"))
    assert s.answer.sms_segments <= 2 and not s.answer.trimmed
    assert s.answer.text.endswith("tracking-number=PQ4F6P0703442180108")


@pytest.mark.parametrize(("auto_reply", "answered", "expected"), [
    ("off", True, "none"),
    ("acknowledge", True, "acknowledgement"),
    ("answer", True, "answer"),
    ("answer", False, "acknowledgement"),  # nothing to answer with: the promise still goes
])
def test_auto_send_follows_the_routing_decision(demo: Replies, auto_reply: str,
                                                answered: bool, expected: str) -> None:
    confidence = 0.95 if answered else 0.3
    s = demo.suggest(routed(WED_11, channel="email", classification__intent="order_status",
                            classification__confidence=confidence,
                            decide={"auto_reply": auto_reply}, **SHIPPED))
    assert (s.answer is not None) is answered
    assert s.auto_send == expected


def test_a_replay_gives_the_same_suggestion(demo: Replies) -> None:
    r = routed(WED_11, channel="email", classification__intent="order_status", **SHIPPED)
    first, again = demo.suggest(r), demo.suggest(r)
    assert first == again
    assert first.suggestion_id == suggestion_id(r.ticket.ticket_id)
    assert first.created_at == r.routed_at
    later = r.model_copy(update={"routed_at": r.routed_at + timedelta(hours=1)})
    assert demo.suggest(later).created_at == r.routed_at + timedelta(hours=1)


def test_templates_version_changes_with_a_template(demo: Replies) -> None:
    from replies.templates import Templates

    sources = dict(demo.templates.sources)
    sources["invoice.en.j2"] += "\nP.S. Thank you!"
    changed = Replies(demo.config, Templates(demo.templates.directory, sources), demo.policies)
    unchanged = Replies(demo.config, Templates(demo.templates.directory,
                                               demo.templates.sources), demo.policies)
    assert changed.templates_version != unchanged.templates_version
    assert len(changed.templates_version) == 16
