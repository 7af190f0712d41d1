from __future__ import annotations

from contextlib import contextmanager

import pytest
from prometheus_client import CollectorRegistry

import enrichment.stage as stage_module
from enrichment.stage import EnrichStage
from store.errors import StoreUnavailable
from store.queries import BatchFacts

from .helpers import NOW, customer, order, ticket


class FakeStore:
    """Answers lookups from a dict, counts them, and fails on demand."""

    def __init__(self, failures: int = 0) -> None:
        self.calls: list[tuple[set, set]] = []
        self.failures = failures

    def lookup(self, session, ids, orders) -> BatchFacts:
        self.calls.append((set(ids), set(orders)))
        if self.failures:
            self.failures -= 1
            raise StoreUnavailable("cannot connect to the database")
        known = {("email", "ana@example.com"): [customer()]}
        return BatchFacts(
            customers_by_identity={p: known[p] for p in ids if p in known},
            orders_by_number={n: order(n) for n in orders if n == "104512"},
            latest_open_order_by_customer={"C0001": order("105000")},
        )

    @contextmanager
    def session(self):
        yield None


@pytest.fixture
def store(monkeypatch) -> FakeStore:
    fake = FakeStore()
    monkeypatch.setattr(stage_module, "lookup_batch", fake.lookup)
    return fake


def make(store: FakeStore, **kw) -> tuple[EnrichStage, list[float], CollectorRegistry]:
    slept: list[float] = []
    registry = CollectorRegistry()
    clock_now = [0.0]
    stage = EnrichStage(store.session, clock=lambda: NOW, registry=registry, sleep=slept.append,
                        monotonic=lambda: clock_now[0], **kw)
    stage._test_clock = clock_now  # type: ignore[attr-defined]
    return stage, slept, registry


def test_one_lookup_per_batch_then_cache(store: FakeStore) -> None:
    stage, _, registry = make(store)
    batch = [ticket(submission=f"s{i}", message="order #104512") for i in range(50)]
    out = stage(batch)
    assert len(store.calls) == 1
    assert all(t.enrichment and t.enrichment.status == "ok" for t in out)
    stage(batch)
    assert len(store.calls) == 1  # all from the cache
    assert registry.get_sample_value("ticketflow_enrichment_cache_hits_total") > 0


def test_transient_errors_are_retried_with_backoff(store: FakeStore) -> None:
    store.failures = 2
    stage, slept, registry = make(store, attempts=3, backoff_s=0.1)
    out = stage([ticket()])
    assert out[0].enrichment and out[0].enrichment.status == "ok"
    assert slept == [0.1, 0.2]
    assert registry.get_sample_value("ticketflow_enrichment_retries_total") == 2


def test_outage_degrades_then_recovers_after_cooldown(store: FakeStore) -> None:
    store.failures = 10
    stage, _, registry = make(store, attempts=2, cooldown_s=5)
    out = stage([ticket(), ticket(submission="s2")])
    assert [t.enrichment.status for t in out if t.enrichment] == ["unavailable", "unavailable"]
    assert "cannot connect" in (out[0].enrichment.detail or "")
    calls = len(store.calls)
    cooling = stage([ticket(submission="s3")])
    assert len(store.calls) == calls  # cooling down: not even asked
    assert "cannot connect" in (cooling[0].enrichment.detail or "")  # the cause, repeated
    store.failures = 0
    stage._test_clock[0] = 6.0  # type: ignore[attr-defined]
    out = stage([ticket(submission="s4")])
    assert out[0].enrichment and out[0].enrichment.status == "ok"
    assert registry.get_sample_value("ticketflow_enrichment_total",
                                     {"status": "unavailable"}) == 3


def test_unexpected_store_error_degrades_too(store: FakeStore, monkeypatch) -> None:
    def broken(*_):
        raise RuntimeError("no such table: customers")

    monkeypatch.setattr(stage_module, "lookup_batch", broken)
    stage, _, _ = make(store)
    out = stage([ticket()])
    assert out[0].enrichment and out[0].enrichment.status == "unavailable"
    assert "no such table" in (out[0].enrichment.detail or "")


def test_facts_survive_a_cache_that_expires_at_once(store: FakeStore) -> None:
    stage, _, _ = make(store, cache_ttl_s=1e-9)
    out = stage([ticket(message="order #104512")])
    e = out[0].enrichment
    assert e and e.status == "ok" and e.orders[0].number == "104512"
