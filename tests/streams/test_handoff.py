"""The routing agent's tickets handed to the SLA agent of the same worker (streams/handoff.py):
taken once, bounded, and the same tickets as parsing the bytes would give."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from prometheus_client import CollectorRegistry

import corpus
from enrichment.enrich import SegmentRules, enrich_ticket
from routing_rules import DEFAULT_RULESET_PATH, compile_ruleset, load_ruleset
from routing_rules.stage import route_batch
from schemas.routing import RoutedTicket
from sinks.kafka import encode
from sla.policies import load_policies_text
from sla.stage import SlaStage
from sla.tracker import SlaConfig
from store.queries import BatchFacts, CustomerFacts, OrderFacts
from streams.faust_adapter import key_partition
from streams.handoff import Handoff
from streams.metrics import HandoffCollector
from streams.pipeline import Pipeline
from streams.worker import reads_back
from tests.conftest import FIXED_NOW
from tests.sla.conftest import SHORT_POLICIES_YAML, Router, make_ticket, tid
from tests.sla.test_stage import routed_msg
from tests.streams.test_pipeline import record


def test_a_record_is_taken_once() -> None:
    handoff: Handoff[str] = Handoff()
    handoff.put([(b"a", "A"), (b"b", "B")])
    assert handoff.take(b"a") == "A"
    assert handoff.take(b"a") is None
    assert handoff.take(b"c") is None
    assert (handoff.hits, handoff.misses, len(handoff)) == (1, 2, 1)


def test_the_oldest_records_go_past_the_limit() -> None:
    handoff: Handoff[int] = Handoff(limit=3)
    handoff.put((bytes([i]), i) for i in range(5))
    assert len(handoff) == 3
    assert [handoff.take(bytes([i])) for i in range(5)] == [None, None, 2, 3, 4]


def test_bytes_sent_again_are_the_newest_again() -> None:
    handoff: Handoff[str] = Handoff(limit=2)
    handoff.put([(b"a", "A"), (b"b", "B")])
    handoff.put([(b"a", "A again"), (b"c", "C")])  # b is now the oldest
    assert [handoff.take(k) for k in (b"a", b"b", b"c")] == ["A again", None, "C"]


def test_the_parser_parses_only_what_was_not_handed_over() -> None:
    parsed: list[bytes] = []

    def parse(value: bytes) -> str:
        parsed.append(value)
        return value.decode().upper()

    handoff: Handoff[str] = Handoff()
    handoff.put([(b"x", "the record itself")])
    take_or_parse = handoff.parser(parse)
    assert take_or_parse(b"x") == "the record itself"
    assert take_or_parse(b"x") == "X"  # taken once: the second is parsed
    assert take_or_parse(b"y") == "Y"
    assert parsed == [b"x", b"y"]


def test_retain_drops_only_the_records_refused() -> None:
    handoff: Handoff[int] = Handoff()
    handoff.put((bytes([i]), i) for i in range(6))
    assert handoff.retain(lambda i: i % 2 == 0) == 3
    assert [handoff.take(bytes([i])) for i in range(6)] == [0, None, 2, None, 4, None]


def test_only_tickets_of_the_routed_partitions_owned_here_are_read_back() -> None:
    router = Router(compile_ruleset(load_ruleset(DEFAULT_RULESET_PATH)))
    parsed = [router.routed(make_ticket(tid(i))) for i in range(40)]
    partition = {r.ticket.ticket_id: key_partition(r.ticket.ticket_id.encode(), 4)
                 for r in parsed}
    assert set(partition.values()) == {0, 1, 2, 3}  # the sample spans every partition
    assert all(reads_back(r, {0, 1, 2, 3}, 4) for r in parsed)  # a lone worker
    assert [r.ticket.ticket_id for r in parsed if reads_back(r, {1, 3}, 4)] == [
        t for t, p in partition.items() if p in (1, 3)]
    assert not any(reads_back(r, set(), 4) for r in parsed)  # nothing assigned (rebalancing)


def test_the_handoff_counts_are_scraped_as_taken_and_parsed() -> None:
    registry = CollectorRegistry()
    handoff: Handoff[str] = Handoff()
    registry.register(HandoffCollector(handoff))
    take_or_parse = handoff.parser(bytes.decode)
    handoff.put([(b"a", "A"), (b"b", "B")])
    for value in (b"a", b"b", b"a", b"c", b"d"):
        take_or_parse(value)
    assert [registry.get_sample_value("ticketflow_handoff_records_total", {"result": r})
            for r in ("taken", "parsed")] == [2, 3]


def test_a_limit_below_one_is_refused() -> None:
    with pytest.raises(ValueError):
        Handoff(limit=0)


def _routed_corpus(intent_model: Any) -> list[RoutedTicket]:
    """The corpus as the worker routes it: normalized, classified, enriched (every sender a
    known customer with a late order, so summaries, floats and dates are all there) and routed
    with contacts remembered across the corpus (customers write on several channels)."""
    from classifiers.classify import classify_tickets

    tickets = Pipeline(lambda: FIXED_NOW).process(
        [record(f.read_bytes(), i, f.channel) for i, f in enumerate(corpus.load_manifest())]
    ).tickets
    tickets = classify_tickets(tickets, intent_model)
    customers: dict[tuple[str, str], list[CustomerFacts]] = {}
    for n, t in enumerate(tickets):
        kind, _, value = t.customer.identity_key.partition(":")
        customers[(kind, value)] = [CustomerFacts(
            id=f"C{n % 40:04d}", name="A Customer", tier=None, lifetime_value=120.5 + n,
            currency="EUR", order_count=3, first_order_at=FIXED_NOW - timedelta(days=400),
            last_order_at=FIXED_NOW - timedelta(days=3))]
    late = {f"C{n:04d}": OrderFacts(
        number=f"10{n:04d}", customer_id=f"C{n:04d}", status="shipped", total=59.9,
        currency="EUR", placed_at=FIXED_NOW - timedelta(days=6), shipped_at=None,
        delivered_at=None, carrier="DHL", tracking_number="JD0001",
        promised_delivery_at=FIXED_NOW - timedelta(days=1)) for n in range(40)}
    facts = BatchFacts(customers_by_identity=customers, orders_by_number={},
                       latest_open_order_by_customer=late)
    tickets = [enrich_ticket(t, facts, FIXED_NOW, SegmentRules()) for t in tickets]
    ruleset = compile_ruleset(load_ruleset(DEFAULT_RULESET_PATH))
    normalized = [record(encode(t), i, "ticket") for i, t in enumerate(tickets)]
    states: dict[str, Any] = {}
    out = route_batch(normalized, states.get, ruleset.route, FIXED_NOW)
    assert not out.deadletters
    return out.routed


def test_a_handed_over_ticket_is_the_one_its_bytes_parse_to(intent_model: Any) -> None:
    routed = _routed_corpus(intent_model)
    assert any(r.ticket.enrichment and r.ticket.enrichment.contacts
               and r.ticket.enrichment.contacts.recent for r in routed)
    assert any(r.ticket.enrichment and r.ticket.enrichment.orders for r in routed)
    for r in routed:
        value = encode(r)
        parsed = RoutedTicket.model_validate_json(value)
        assert parsed == r
        assert encode(parsed) == value


def test_the_sla_stage_stores_the_same_with_the_handoff_as_parsing(intent_model: Any) -> None:
    routed = _routed_corpus(intent_model)
    messages = [routed_msg(r, partition=i % 4) for i, r in enumerate(routed)]
    policies = load_policies_text(SHORT_POLICIES_YAML, "short")
    ruleset = compile_ruleset(load_ruleset(DEFAULT_RULESET_PATH))

    def run(stage: SlaStage) -> tuple[dict[str, bytes], list[Any]]:
        table: dict[str, bytes] = {}

        def put(partition: int, key: str, value: bytes | None) -> None:
            assert value is not None
            table[key] = value

        out = stage.handle_batch(messages, table.get)
        stage.stored(out.steps, table.get, put)
        return table, out.events

    handoff: Handoff[RoutedTicket] = Handoff()
    handoff.put((m.value, r) for m, r in zip(messages, routed, strict=True))
    parsing = SlaStage(SlaConfig(policies), ruleset.route, lambda: FIXED_NOW)
    handed = SlaStage(SlaConfig(policies), ruleset.route, lambda: FIXED_NOW,
                      parse_routed=handoff.parser(RoutedTicket.model_validate_json))
    assert run(handed) == run(parsing)
    assert (handoff.hits, handoff.misses) == (len(routed), 0)
