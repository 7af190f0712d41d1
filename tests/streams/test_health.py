"""The worker's HTTP endpoint (streams/health.py) on a real socket, with a real event loop in a
thread standing in for faust's: /metrics as prometheus_client serves it, /livez following the
loop, /readyz naming what fails, 404 elsewhere; the database probe on real stores."""

from __future__ import annotations

import asyncio
import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from prometheus_client import CollectorRegistry, Counter

from streams.health import Prober, WorkerHealth, database_probe, describe_assignment, serve
from streams.readiness import Check
from ticketflow.broker import free_port


def get(port: int, path: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


@pytest.fixture
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    yield loop
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)
    loop.close()


@pytest.fixture
def endpoint() -> Iterator[tuple[int, WorkerHealth, CollectorRegistry]]:
    registry = CollectorRegistry()
    Counter("ticketflow_tickets_total", "Tickets produced.", ["channel"],
            registry=registry).labels("sms").inc(3)
    health = WorkerHealth(
        registry,
        broker=Prober("broker", lambda: Check(True, "1 broker(s) answer at k:9092"), 60),
        database=Prober("database", lambda: Check(True, "sqlite answers", False), 60),
        live_timeout_s=0.5,
    )
    health.broker.run_once()
    health.database.run_once()
    port = free_port()
    server = serve(port, registry, health, addr="127.0.0.1")
    yield port, health, registry
    server.shutdown()
    server.server_close()


def test_metrics_are_the_registry_in_prometheus_text(endpoint: Any) -> None:
    port, _, _ = endpoint
    status, text = get(port, "/metrics")
    assert status == 200
    assert 'ticketflow_tickets_total{channel="sms"} 3.0' in text
    assert "ticketflow_ready 0.0" in text
    assert 'ticketflow_readiness_check{check="broker"} 0.0' in text


@pytest.mark.parametrize("path", ["/", "/health", "/healthz", "/ready", "/live", "/metricsx"])
def test_other_paths_are_404(endpoint: Any, path: str) -> None:
    status, body = get(endpoint[0], path)
    assert status == 404 and "no such path" in json.loads(body)["error"]


def test_livez_follows_the_event_loop(endpoint: Any, loop: asyncio.AbstractEventLoop) -> None:
    port, health, _ = endpoint
    status, body = get(port, "/livez")
    assert (status, json.loads(body)["live"]) == (200, True)  # starting: no loop yet
    assert "starting" in json.loads(body)["detail"]
    health.loop_started(loop)
    status, body = get(port, "/livez")
    assert status == 200 and "answered" in json.loads(body)["detail"]
    release = threading.Event()
    loop.call_soon_threadsafe(release.wait, 10)  # a synchronous call blocking the loop
    try:
        status, body = get(port, "/livez")
        assert status == 503
        assert json.loads(body) == {"live": False,
                                    "detail": "the event loop did not answer within 0.5 s"}
    finally:
        release.set()
    deadline = time.monotonic() + 10
    while get(port, "/livez")[0] != 200:
        assert time.monotonic() < deadline, "the loop never answered again"


def test_readyz_names_the_failing_checks_and_sets_the_gauges(
    endpoint: Any, loop: asyncio.AbstractEventLoop
) -> None:
    port, health, registry = endpoint
    health.loop_started(loop)  # no app yet: the group and table checks cannot pass
    status, body = get(port, "/readyz")
    verdict = json.loads(body)
    assert status == 503 and verdict["ready"] is False
    assert {n for n, c in verdict["checks"].items() if not c["ok"]} == {
        "partitions_assigned", "tables_recovered", "ruleset_loaded"}
    assert verdict["checks"]["broker"] == {"ok": True, "detail": "1 broker(s) answer at k:9092"}
    assert verdict["checks"]["database"] == {"ok": True, "degraded": False,
                                             "detail": "sqlite answers"}
    health.watch_ruleset(lambda: ("demo-shop", "v1"))
    get(port, "/readyz")
    value = registry.get_sample_value
    assert value("ticketflow_ready") == 0
    assert value("ticketflow_readiness_check", {"check": "ruleset_loaded"}) == 1
    assert value("ticketflow_readiness_check", {"check": "broker"}) == 1
    assert value("ticketflow_readiness_check", {"check": "tables_recovered"}) == 0


def test_a_probe_that_raises_fails_its_check_with_the_error() -> None:
    def broken() -> Check:
        raise OSError("network unreachable")

    probed = Prober("broker", broken, 60).run_once()
    assert probed.check == Check(False, "broker probe failed: OSError: network unreachable")


def test_the_database_probe_on_real_stores(tmp_path: Path) -> None:
    from store.db import make_engine

    ok = database_probe(make_engine(f"sqlite:///{tmp_path / 'ok.db'}"))()
    assert (ok.ok, ok.degraded) == (True, False)
    # nothing listens there: an outage, which the pipeline rides out degraded
    port = free_port()
    down = database_probe(make_engine(
        f"postgresql+psycopg://ticketflow@127.0.0.1:{port}/test"))()
    assert (down.ok, down.degraded) == (True, True), down
    assert "cannot connect" in down.detail
    # a file that cannot be opened needs someone to fix the setting: not ready
    broken = database_probe(make_engine(f"sqlite:///{tmp_path / 'no' / 'such' / 'x.db'}"))()
    assert (broken.ok, broken.degraded) == (False, True), broken
    assert "TICKETFLOW_DATABASE_URL" in broken.detail


def test_the_assignment_is_described_per_topic() -> None:
    from faust.types import TP

    tps = [TP("inbound.sms", p) for p in (3, 0, 1, 2)] + [TP("tickets.routed", 1),
                                                        TP("tickets.routed", 3)]
    assert describe_assignment(tps) == "6 (inbound.sms 0-3, tickets.routed 1,3)"
    assert describe_assignment([]) == "none (more workers than partitions)"
