"""Never wrong, never unsafe: each reason withholds the answer, says why, and the agent still
gets the acknowledgement (and the facts where there are some)."""

from __future__ import annotations

import pytest

from replies import Replies
from replies.templates import Templates
from tests.replies.conftest import order, routed
from tests.sla.conftest import paris

WED_11 = paris(2026, 11, 18, 11)
SHIPPED = order(status="shipped", carrier="DHL", tracking_number="JD1",
                promised_delivery_at="2026-11-20T12:00:00+00:00")


def reasons(s) -> dict[str, str]:
    return {x.reason: x.detail for x in s.suppressed}


def suggest(engine: Replies, **overrides):
    overrides.setdefault("classification__intent", "order_status")
    return engine.suggest(routed(WED_11, channel="email", **overrides))


def test_nothing_suppresses_a_plain_question(demo: Replies) -> None:
    s = suggest(demo, **SHIPPED)
    assert s.suppressed == () and s.answer is not None


def test_needs_triage_stands_in_for_low_confidence(demo: Replies) -> None:
    s = suggest(demo, classification__confidence=0.41, classification__needs_triage=True,
                **SHIPPED)
    assert reasons(s) == {"needs_triage": "the classifier is unsure: order_status at 0.41; a "
                                          "person confirms the intent first"}
    assert s.answer is None and s.acknowledgement.text


def test_low_confidence_uses_the_intents_own_threshold(demo: Replies) -> None:
    at_075 = dict(classification__confidence=0.75, **order(status="delivered"))
    assert "low_confidence" not in reasons(suggest(demo, **at_075))  # order_status: 0.70
    s = suggest(demo, classification__intent="refund", **at_075)    # refund: 0.80
    assert reasons(s) == {"low_confidence": "confidence 0.75 < 0.80 for refund"}


def test_strongly_negative_sentiment(demo: Replies) -> None:
    s = suggest(demo, classification__sentiment__score=-0.7,
                classification__sentiment__label="negative",
                classification__sentiment__drivers=["ridiculous", "!!!"], **SHIPPED)
    assert reasons(s) == {"negative_sentiment": "sentiment -0.70 < -0.50 (ridiculous, !!!)"}
    # the facts stay for the agent: the parcel is still on its way
    assert {f.name for f in s.facts} >= {"order.status", "order.tracking_url"}
    mild = suggest(demo, classification__sentiment__score=-0.3, **SHIPPED)
    assert mild.suppressed == ()


@pytest.mark.parametrize("cue", ["safety_hazard", "legal_threat", "chargeback"])
def test_urgency_cues_the_shop_lists(demo: Replies, cue: str) -> None:
    s = suggest(demo, classification__urgency__kind=[cue],
                classification__urgency__evidence=["(evidence)"], **SHIPPED)
    assert reasons(s) == {"urgency_cue": f"{cue}: '(evidence)'"}


def test_other_urgency_cues_do_not_suppress(demo: Replies) -> None:
    s = suggest(demo, classification__urgency__kind=["deadline"], **SHIPPED)
    assert s.suppressed == ()


def test_excluded_segment(demo: Replies) -> None:
    config = demo.config.model_copy(update={"excluded_segments": ("vip",)})
    engine = Replies(config, demo.templates, demo.policies)
    s = suggest(engine, enrichment__customer__segment="vip", **SHIPPED)
    assert reasons(s) == {"excluded_segment":
                          "customer segment 'vip' is excluded from factual answers"}
    assert suggest(engine, **SHIPPED).suppressed == ()  # a regular customer is answered


@pytest.mark.parametrize(("enrichment", "detail"), [
    (None, "the ticket was not enriched"),
    ({"status": "not_found", "customer_key": "email:test@example.com",
      "detail": "no customer with this channel identity"},
     "enrichment not_found: no customer with this channel identity"),
    ({"status": "unavailable", "customer_key": "email:test@example.com",
      "detail": "store unavailable"}, "enrichment unavailable: store unavailable"),
])
def test_no_customer(demo: Replies, enrichment, detail: str) -> None:
    s = suggest(demo, enrichment=enrichment)
    assert reasons(s) == {"customer_unknown": detail}
    assert s.facts == ()


def test_a_customer_settled_by_a_guess_is_unknown(demo: Replies) -> None:
    s = suggest(demo, enrichment__detail="email shared by 2 customers; first match taken",
                **SHIPPED)
    assert reasons(s) == {"customer_unknown":
                          "email shared by 2 customers; first match taken"}
    settled = suggest(demo, enrichment__detail="email shared by 2 customers; resolved by the "
                      "order mentioned", **SHIPPED)
    assert settled.suppressed == ()


def test_no_order(demo: Replies) -> None:
    s = suggest(demo, enrichment__customer__segment="regular")
    assert reasons(s) == {"order_unknown":
                          "no order mentioned and no open order of this customer"}


def test_several_orders(demo: Replies) -> None:
    s = suggest(demo, enrichment__orders__status=["shipped", "paid"])
    assert reasons(s) == {"order_ambiguous": "2 orders mentioned (100000, 100001): which one "
                                             "is meant is not certain"}


def test_an_order_that_is_not_the_customers(demo: Replies) -> None:
    # enrichment never attaches another customer's order: the number is just missing there
    s = suggest(demo, order_numbers=["100000", "199999"], **SHIPPED)
    assert reasons(s) == {"order_not_customers":
                          "order 199999 mentioned is not among this customer's orders"}
    alone = suggest(demo, order_numbers=["199999"], enrichment__customer__segment="regular")
    assert reasons(alone) == {"order_not_customers":
                              "order 199999 mentioned is not among this customer's orders"}


def test_the_latest_open_order_answers_where_is_my_order_but_not_a_return(
        demo: Replies) -> None:
    latest = order(status="shipped", matched_by="latest_open")
    assert suggest(demo, **latest).suppressed == ()
    s = suggest(demo, classification__intent="return_exchange", **latest)
    assert list(reasons(s)) == ["order_unknown"]
    assert "not the one to return" in reasons(s)["order_unknown"]
    s = suggest(demo, classification__intent="delivery_info", **latest)
    assert "shipping in general" in reasons(s)["order_unknown"]


def test_all_reasons_that_hold_are_listed(demo: Replies) -> None:
    s = suggest(demo, classification__confidence=0.5,
                classification__sentiment__score=-0.9,
                classification__urgency__kind=["legal_threat"],
                enrichment__orders__status=["shipped", "paid"])
    assert set(reasons(s)) == {"low_confidence", "negative_sentiment", "urgency_cue",
                               "order_ambiguous"}


def test_no_template_in_any_usable_language(demo: Replies) -> None:
    sources = {k: v for k, v in demo.templates.sources.items()
               if not k.startswith("order_status.")}
    engine = Replies(demo.config, Templates(demo.templates.directory, sources), demo.policies)
    s = engine.suggest(routed(WED_11, channel="email", language="fr",
                              classification__intent="order_status", **SHIPPED))
    assert reasons(s) == {"no_template": "no order_status template in fr or en"}
    assert s.facts and s.acknowledgement.language == "fr"


def test_a_template_that_fails_to_render_is_no_template(demo: Replies) -> None:
    sources = dict(demo.templates.sources)
    # the sandbox refuses Python internals at render time
    sources["order_status.en.j2"] = "{{ order.number.__class__.__mro__ }}"
    sources["order_status.fr.j2"] = "{{ order.number.__class__.__mro__ }}"
    engine = Replies(demo.config, Templates(demo.templates.directory, sources), demo.policies)
    s = engine.suggest(routed(WED_11, channel="email", language="fr",
                              classification__intent="order_status", **SHIPPED))
    detail = reasons(s)["no_template"]
    assert detail.startswith("order_status.fr.j2: ") and "order_status.en.j2: " in detail
    assert "access to attribute '__class__' of 'str' object is unsafe" in detail
    assert s.answer is None


def test_no_facts_of_an_order_in_doubt(demo: Replies) -> None:
    # a return asked without a number: the latest open order is not the one to return, and
    # its facts (shipped, late) would only mislead the agent
    s = suggest(demo, classification__intent="return_exchange",
                **order(status="shipped", late=True, matched_by="latest_open"))
    assert list(reasons(s)) == ["order_unknown"] and s.facts == ()
    s = suggest(demo, order_numbers=["199999"], **order(status="shipped",
                                                          matched_by="latest_open"))
    assert list(reasons(s)) == ["order_not_customers"] and s.facts == ()
