from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from routing_rules import CompiledRuleset
from routing_rules.testing import apply_override, base_ticket
from schemas.routing import Decision
from schemas.ticket import Ticket

Make = Callable[[str], CompiledRuleset]
DEFAULT = "- {id: default, default: true, then: {queue: general}}\n"


def ticket(body: str = "Hello", **overrides: Any) -> Ticket:
    data = base_ticket(body)
    for path, value in overrides.items():
        apply_override(data, path.replace("__", "."), value)
    return Ticket.model_validate(data)


def one(make: Make, cond: str) -> CompiledRuleset:
    return make(f"- id: r\n  when: {cond}\n  then: {{queue: a}}\n" + DEFAULT)


CASES = [
    ("{field: classification.intent, op: eq, value: refund}",
     {"classification__intent": "refund"}, {"classification__intent": "invoice"}),
    ("{field: classification.intent, op: ne, value: refund}",
     {"classification__intent": "invoice"}, {"classification__intent": "refund"}),
    ("{field: language, op: in, value: [fr, de]}", {"language": "de"}, {"language": "en"}),
    ("{field: language, op: not_in, value: [fr, de]}", {"language": "en"}, {"language": "fr"}),
    ("{field: classification.confidence, op: lt, value: 0.5}",
     {"classification__confidence": 0.4}, {"classification__confidence": 0.5}),
    ("{field: classification.confidence, op: lte, value: 0.5}",
     {"classification__confidence": 0.5}, {"classification__confidence": 0.6}),
    ("{field: enrichment.contacts.last_24h, op: gt, value: 2}",
     {"enrichment__contacts__last_24h": 3}, {"enrichment__contacts__last_24h": 2}),
    ("{field: enrichment.contacts.last_24h, op: gte, value: 3}",
     {"enrichment__contacts__last_24h": 3}, {}),  # enrichment missing → false
    ("{field: enrichment.customer.lifetime_value, op: between, value: [100, 500]}",
     {"enrichment__customer__lifetime_value": 500}, {"enrichment__customer__lifetime_value": 501}),
    ("{field: body, op: contains, value: PARCEL}", {"body": "my parcel is late"},
     {"body": "my order"}),
    ("{field: classification.urgency.kind, op: contains, value: anger}",
     {"classification__urgency__kind": ["deadline", "anger"]},
     {"classification__urgency__kind": ["deadline"]}),
    ("{field: classification.urgency.kind, op: contains_any, value: [anger, chargeback]}",
     {"classification__urgency__kind": ["chargeback"]}, {}),
    ("{field: body, op: contains_any, value: [refund, money back]}",
     {"body": "I want my Money Back"}, {"body": "hello"}),
    ("{field: body, op: matches, value: '\\border\\s+\\d{6}'}", {"body": "ORDER 104512 please"},
     {"body": "order 12"}),
    ("{field: text, op: keywords, value: [rembourse, refund]}", {"body": "Je veux être REMBOURSÉ"},
     {"body": "remboursement"}),
    ("{field: enrichment.orders.late, op: contains, value: true}",
     {"enrichment__orders__late": [False, True]}, {"enrichment__orders__late": [False]}),
    ("{field: enrichment.orders.total, op: gt, value: 100}",
     {"enrichment__orders__total": [20, 150]}, {"enrichment__orders__total": [20, 50]}),
    ("{field: enrichment.orders.status, op: not_in, value: [cancelled]}",
     {"enrichment__orders__status": ["shipped"]},
     {"enrichment__orders__status": ["shipped", "cancelled"]}),
    ("{field: enrichment.customer.segment, op: exists, value: true}",
     {"enrichment__customer__segment": "new"}, {}),
    ("{field: enrichment.customer.segment, op: exists, value: false}", {},
     {"enrichment__customer__segment": "new"}),
    ("{all: [{field: language, op: eq, value: fr}, {field: channel, op: eq, value: webform}]}",
     {"language": "fr"}, {"language": "en"}),
    ("{any: [{field: language, op: eq, value: fr}, {field: language, op: eq, value: de}]}",
     {"language": "de"}, {"language": "en"}),
    ("{not: {field: language, op: eq, value: fr}}", {"language": "en"}, {"language": "fr"}),
    ("{not: {field: enrichment.customer.segment, op: eq, value: vip}}", {},
     {"enrichment__customer__segment": "vip"}),
]


@pytest.mark.parametrize(("cond", "yes", "no"), CASES)
def test_operators(make: Make, cond: str, yes: dict[str, Any], no: dict[str, Any]) -> None:
    rules = one(make, cond)
    assert rules.route(ticket(**yes)).queue == "a"
    assert rules.route(ticket(**no)).queue == "general"


def test_missing_classification_is_false(make: Make) -> None:
    rules = one(make, "{field: classification.confidence, op: lt, value: 0.5}")
    data = base_ticket()
    data["classification"] = None
    decision = rules.route(Ticket.model_validate(data))
    assert decision.queue == "general" and decision.default_applied
    assert decision.priority.value == "P3"


def paris(y: int, mo: int, d: int, h: int, mi: int = 0) -> Ticket:
    from zoneinfo import ZoneInfo
    at = datetime(y, mo, d, h, mi, tzinfo=ZoneInfo("Europe/Paris")).astimezone(UTC)
    return ticket(received_at=at.isoformat())


@pytest.mark.parametrize(("when", "inside"), [
    ((2026, 11, 18, 9, 0), True),     # Wednesday opening
    ((2026, 11, 18, 8, 59), False),
    ((2026, 11, 18, 12, 45), False),  # lunch break of the split shift
    ((2026, 11, 18, 13, 30), True),
    ((2026, 11, 18, 18, 0), False),   # closing is exclusive
    ((2026, 11, 21, 11, 0), True),    # Saturday morning
    ((2026, 11, 21, 15, 0), False),   # Saturday afternoon
    ((2026, 11, 22, 11, 0), False),   # Sunday
    ((2026, 12, 25, 10, 0), False),   # holiday (a Friday)
    ((2026, 10, 23, 17, 30), True),   # Friday before the DST change, UTC+2
    ((2026, 10, 26, 9, 30), True),    # Monday after it, UTC+1
    ((2027, 3, 29, 9, 30), True),     # Monday after the spring change, UTC+2
    ((2027, 3, 29, 8, 30), False),
])
def test_business_hours(make: Make, when: tuple[int, ...], inside: bool) -> None:
    rules = one(make, "{business_hours: {calendar: support}}")
    assert (rules.route(paris(*when)).queue == "a") is inside
    outside = one(make, "{business_hours: {calendar: support, within: false}}")
    assert (outside.route(paris(*when)).queue == "a") is not inside


def test_business_hours_dst_in_utc(make: Make) -> None:
    rules = one(make, "{business_hours: {calendar: support}}")
    # 08:30 UTC is 09:30 in Paris in winter (open) but 10:30 in summer; 07:30 UTC: 08:30 winter
    winter = ticket(received_at="2026-10-26T07:30:00+00:00")
    summer = ticket(received_at="2026-10-23T07:30:00+00:00")
    assert rules.route(winter).queue == "general"
    assert rules.route(summer).queue == "a"


def test_first_match_and_continue_accumulate(make: Make) -> None:
    rules = make("""\
        - id: tag-fr
          when: {field: language, op: eq, value: fr}
          then: {tags: [fr], raise_priority: 1, sla_policy: low}
          continue: true
        - id: tagged
          when: {field: tags, op: contains, value: fr}
          then: {tags: [seen-fr], flag_for_human: true}
          continue: true
        - id: first
          when: {field: channel, op: eq, value: webform}
          then: {queue: a, tags: [a], sla_policy: standard}
        - id: second
          when: {field: channel, op: eq, value: webform}
          then: {queue: b}
        """ + DEFAULT)
    d = rules.route(ticket(language="fr"))
    assert d.queue == "a" and d.topic == "queue.a" and not d.default_applied
    assert d.tags == ("fr", "seen-fr", "a") and d.priority.value == "P2"
    assert d.sla_policy == "standard" and d.flag_for_human
    assert [m.rule_id for m in d.matched] == ["tag-fr", "tagged", "first"]
    assert d.matched[0].reasons == ("language == 'fr'",)
    assert d.matched[1].reasons == ("tags contains 'fr'",)
    assert "queue = a" in d.matched[2].actions
    assert d.ruleset_name == "t" and d.ruleset_version == rules.version
    Decision.model_validate(d.model_dump())  # a valid Decision
    d2 = rules.route(ticket(language="en"))
    assert d2.tags == ("a",) and d2.priority.value == "P3" and not d2.flag_for_human


def test_raise_priority_capped(make: Make) -> None:
    rules = make("""\
        - id: up
          when: {field: channel, op: eq, value: webform}
          then: {raise_priority: 3}
          continue: true
        - id: set
          when: {field: language, op: eq, value: de}
          then: {queue: a, priority: P4, raise_priority: 1}
        """ + DEFAULT)
    assert rules.route(ticket(classification__priority="P2")).priority.value == "P1"
    assert rules.route(ticket(language="de")).priority.value == "P3"


def test_reasons_list_conditions_that_held(make: Make) -> None:
    rules = one(make, "{any: [{field: language, op: eq, value: fr}, "
                      "{field: enrichment.customer.segment, op: in, value: [vip]}]}")
    d = rules.route(ticket(enrichment__customer__segment="vip"))
    assert d.matched[0].reasons == ("enrichment.customer.segment in ['vip']",)
    assert d.matched[-1].rule_id == "default" or d.queue == "a"


def test_route_dict_matches_route(make: Make) -> None:
    rules = one(make, "{field: classification.intent, op: in, value: [refund, invoice]}")
    t = ticket(classification__intent="refund")
    assert rules.route_dict(rules.view(t)) == rules.route(t)
    assert rules.route_dict({"classification.intent": "invoice"}).queue == "a"
