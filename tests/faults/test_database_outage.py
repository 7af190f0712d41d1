"""The database goes down under traffic and comes back: tickets keep flowing while it is down
(``enrichment.status = "unavailable"``), none is lost, and enrichment recovers by itself once it
is back — no restart.

The worker reaches PostgreSQL (CI's, ``127.0.0.1:5432``, a fresh schema seeded with the demo
shop) through a TCP proxy in this test; "down" closes every open connection and refuses new
ones, as a database restart or a failover does. Skipped with the reason when PostgreSQL is not
running (a developer's machine without it)."""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import corpus
from core.clock import system_clock
from streams.kafka_io import make_consumer, make_producer
from streams.topics import TICKETS_ROUTED, inbound_topic
from ticketflow.failover_bench import isolate_group
from ticketflow.pipeline_bench import Variant, Workload, load_bases
from ticketflow.processes import WorkerProcess
from ticketflow.seed import db_seed

from ..live import fail_if_exited, wait_until
from ..store.conftest import fresh_database

PG_HOST, PG_PORT = "127.0.0.1", 5432


class Proxy:
    """A TCP proxy to PostgreSQL that can be taken down (every connection closed, new ones
    refused) and brought back."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.up = True
        self.lock = threading.Lock()
        self.open: list[socket.socket] = []
        self.accepted = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return  # closed
            with self.lock:
                if not self.up:
                    client.close()
                    continue
                try:
                    upstream = socket.create_connection((PG_HOST, PG_PORT), timeout=5)
                except OSError:
                    client.close()
                    continue
                self.accepted += 1
                self.open += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def down(self) -> None:
        with self.lock:
            self.up = False
            for s in self.open:
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                s.close()
            self.open = []

    def back(self) -> None:
        with self.lock:
            self.up = True

    def close(self) -> None:
        self.down()
        self.server.close()


@pytest.fixture
def postgres_url(tmp_path: Path) -> Iterator[str]:
    with fresh_database("postgresql", tmp_path) as url:
        db_seed(url, system_clock())
        yield url


def webform_variants(tag: str) -> Iterator[Variant]:
    """Unique copies of the corpus's good web forms (their customers are in the demo shop)."""
    files = [f for f in corpus.load_manifest() if f.channel == "webform" and not f.expected_error]
    workload = Workload(load_bases((f.channel, f.read_bytes()) for f in files), tag)
    index = 0
    while True:
        yield workload.record(index)
        index += 1


@pytest.mark.timeout(480)
def test_tickets_flow_while_the_database_is_down_and_enrichment_recovers_when_it_is_back(
    topics: str, start_worker: Callable[..., WorkerProcess], postgres_url: str
) -> None:
    proxy = Proxy()
    proxied = postgres_url.replace(f"{PG_HOST}:{PG_PORT}", f"127.0.0.1:{proxy.port}")
    group = f"ft-dbdown-{time.time_ns():x}"
    isolate_group(topics, group)
    consumer = make_consumer(topics, [TICKETS_ROUTED.name], from_beginning=False)
    producer = make_producer(topics)
    variants = webform_variants(group)
    status: dict[str, str] = {}  # ticket id -> enrichment status of its first routing
    mine: set[str] = set()  # the shared broker's tickets.routed has other tests' tickets too

    def poll() -> None:
        fail_if_exited(worker)
        for _tp, messages in consumer.poll(timeout_ms=200).items():
            for message in messages:
                routed = json.loads(message.value)
                if routed["ticket"]["ticket_id"] in mine:
                    status.setdefault(routed["ticket"]["ticket_id"],
                                      routed["ticket"]["enrichment"]["status"])

    def phase(count: int, what: str) -> set[str]:
        batch = [next(variants) for _ in range(count)]
        mine.update(t for v in batch for t in v.ticket_ids)
        for variant in batch:
            producer.send(inbound_topic(variant.channel), value=variant.value)
        producer.flush(30)
        ids = {t for v in batch for t in v.ticket_ids}
        wait_until(lambda: ids <= set(status), 180, f"the tickets {what} to be routed", poll)
        return ids

    worker = start_worker(TICKETFLOW_APP_ID=group, TICKETFLOW_DATABASE_URL=proxied)
    try:
        before = phase(10, "before the outage")
        proxy.down()
        during = phase(10, "during the outage")
        proxy.back()
        # the pool reconnects on its own: every ticket from the first enriched one on is "ok"
        after: set[str] = set()
        deadline = time.monotonic() + 120
        while not any(status[t] == "ok" for t in after):
            if time.monotonic() > deadline:
                pytest.fail(f"enrichment did not recover: {[status[t] for t in after]}")
            after |= phase(5, "after the outage")
        last = phase(10, "once recovered")
    finally:
        producer.close()
        consumer.close()
        proxy.close()

    looked_up = {"ok", "not_found"}  # the lookup worked (some forms are from new customers)
    assert {status[t] for t in before} <= looked_up and "ok" in {status[t] for t in before}
    assert {status[t] for t in during} == {"unavailable"}
    assert {status[t] for t in last} <= looked_up and "ok" in {status[t] for t in last}
    assert proxy.accepted >= 2  # the worker connected again after the outage
