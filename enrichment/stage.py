"""The enrichment stage: one store lookup per micro-batch, a bounded TTL cache, retries with
backoff for transient errors, and degradation instead of loss.

When the database is down or slow the tickets still flow, marked ``unavailable``; after a failed
batch the stage stops asking for ``cooldown_s`` so an outage costs each batch nothing.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from typing import Any

from cachetools import TTLCache
from prometheus_client import CollectorRegistry, Counter, Histogram

from core.clock import Clock
from enrichment.enrich import SegmentRules, enrich_ticket, identities, unavailable
from schemas import Ticket
from store.errors import StoreUnavailable
from store.queries import BatchFacts, CustomerFacts, OrderFacts, lookup_batch

log = logging.getLogger(__name__)

Identity = tuple[str, str]


class EnrichmentMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.tickets = Counter("ticketflow_enrichment_total", "Tickets enriched, by status.",
                               ["status"], registry=registry)
        self.lookups = Histogram("ticketflow_enrichment_lookup_seconds",
                                 "Time of one batch lookup in the store.", registry=registry)
        self.retries = Counter("ticketflow_enrichment_retries_total",
                               "Store lookups retried after a transient error.",
                               registry=registry)
        self.cache_hits = Counter("ticketflow_enrichment_cache_hits_total",
                                  "Identities and orders answered from the cache.",
                                  registry=registry)


class EnrichStage:
    def __init__(
        self,
        session_factory: Callable[[], Any],
        clock: Clock,
        rules: SegmentRules | None = None,
        registry: CollectorRegistry | None = None,
        cache_size: int = 50_000,
        cache_ttl_s: float = 60.0,
        attempts: int = 3,
        backoff_s: float = 0.2,
        cooldown_s: float = 5.0,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.session_factory = session_factory
        self.clock = clock
        self.rules = rules or SegmentRules()
        self.metrics = EnrichmentMetrics(registry or CollectorRegistry())
        self.attempts = attempts
        self.backoff_s = backoff_s
        self.cooldown_s = cooldown_s
        self.sleep = sleep
        self.monotonic = monotonic
        self._down_until = 0.0
        self._last_failure = ""
        self._customers: TTLCache[Identity, list[CustomerFacts]] = TTLCache(cache_size, cache_ttl_s)
        self._orders: TTLCache[str, OrderFacts | None] = TTLCache(cache_size, cache_ttl_s)
        self._open: TTLCache[str, OrderFacts | None] = TTLCache(cache_size, cache_ttl_s)

    def __call__(self, tickets: Sequence[Ticket]) -> list[Ticket]:
        if not tickets:
            return []
        if self.monotonic() < self._down_until:
            return self._count(unavailable(
                tickets, f"{self._last_failure} (not retried until the cool-down ends)"))
        try:
            facts = self._facts(tickets)
        except Exception as exc:  # any store failure degrades the batch; none drops it
            self._down_until = self.monotonic() + self.cooldown_s
            log.warning("enrichment store unavailable: %s", exc)
            reason = str(exc) if isinstance(exc, StoreUnavailable) else (
                f"store lookup failed ({type(exc).__name__}: {exc})")
            self._last_failure = reason
            return self._count(unavailable(tickets, reason))
        now = self.clock()
        return self._count([enrich_ticket(t, facts, now, self.rules) for t in tickets])

    def _count(self, tickets: list[Ticket]) -> list[Ticket]:
        for ticket in tickets:
            if ticket.enrichment:
                self.metrics.tickets.labels(ticket.enrichment.status).inc()
        return tickets

    def _facts(self, tickets: Sequence[Ticket]) -> BatchFacts:
        """Facts for the batch: cache hits plus one lookup for the rest. Built from local
        copies, never re-read from the cache, which may expire entries at any moment."""
        wanted_ids = {pair for t in tickets for pair in identities(t)}
        wanted_orders = {n for t in tickets for n in t.order_numbers}
        customers: dict[Identity, list[CustomerFacts]] = {}
        orders: dict[str, OrderFacts | None] = {}
        open_orders: dict[str, OrderFacts | None] = {}
        for pair in wanted_ids:
            cached = self._customers.get(pair)
            # a hit counts only if every matched customer's open order is cached too
            if cached is not None and all(c.id in self._open for c in cached):
                customers[pair] = cached
                open_orders.update({c.id: self._open.get(c.id) for c in cached})
        for number in wanted_orders:
            if number in self._orders:
                orders[number] = self._orders.get(number)
        missing_ids = wanted_ids - set(customers)
        missing_orders = wanted_orders - set(orders)
        self.metrics.cache_hits.inc(len(customers) + len(orders))
        if missing_ids or missing_orders:
            fresh = self._lookup(missing_ids, missing_orders)
            for pair in missing_ids:
                matches = fresh.customers_by_identity.get(pair, [])
                customers[pair] = self._customers[pair] = matches
                for customer in matches:
                    latest = fresh.latest_open_order_by_customer.get(customer.id)
                    open_orders[customer.id] = self._open[customer.id] = latest
            for number in missing_orders:
                orders[number] = self._orders[number] = fresh.orders_by_number.get(number)
        return BatchFacts(
            customers_by_identity={p: m for p, m in customers.items() if m},
            orders_by_number={n: o for n, o in orders.items() if o is not None},
            latest_open_order_by_customer={c: o for c, o in open_orders.items() if o is not None},
        )

    def _lookup(self, ids: set[Identity], orders: set[str]) -> BatchFacts:
        delay = self.backoff_s
        for attempt in range(1, self.attempts + 1):
            started = time.perf_counter()
            try:
                with self.session_factory() as session:
                    return lookup_batch(session, ids, orders)
            except StoreUnavailable:
                if attempt == self.attempts:
                    raise
                self.metrics.retries.inc()
                self.sleep(delay)
                delay *= 2
            finally:
                self.metrics.lookups.observe(time.perf_counter() - started)
        raise AssertionError("unreachable")
