"""Every metric the Grafana dashboard reads is one a real worker exports: the names come from a
live worker's /metrics (every family has its HELP/TYPE lines even before its first sample), not
from a list kept by hand."""

from __future__ import annotations

import time
import urllib.request
from collections.abc import Callable

import pytest

import corpus
from streams.kafka_io import make_producer
from streams.topics import inbound_topic
from ticketflow.broker import free_port
from ticketflow.processes import WorkerProcess

from ..live import fail_if_exited, wait_until
from .dashboard import load, used_metrics
from .promql import recording_rules
from .promql_names import metric_names, series_names

pytestmark = pytest.mark.integration

# Series Prometheus makes itself for every scrape target, not the worker.
PROMETHEUS_MADE = frozenset({"up"})

def scrape(port: int) -> str | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as reply:
            text: str = reply.read().decode()
            return text
    except OSError:
        return None


@pytest.mark.timeout(300)
def test_every_dashboard_query_reads_metrics_a_live_worker_exports(
    topics: str, start_worker: Callable[..., WorkerProcess]
) -> None:
    port = free_port()
    worker = start_worker(TICKETFLOW_METRICS_PORT=str(port))
    # one ticket through all three agents (pipeline, routing, SLA), so that whatever registers
    # its metrics when it first runs has done so
    email = next(f for f in corpus.iter_files("email") if not f.broken)
    producer = make_producer(topics)
    try:
        producer.send(inbound_topic("email"), email.read_bytes()).get(timeout=30)
    finally:
        producer.close()
    exposition: list[str] = []

    def sla_applied() -> bool:
        text = scrape(port)
        if text is None:
            return False
        exposition[:] = [text]
        return "\nticketflow_sla_events_total{" in text

    def poll() -> None:
        fail_if_exited(worker)
        # wait_until's poll interval between two scrapes
        time.sleep(0.25)  # noqa: sleep

    wait_until(sla_applied, 240, "the worker's /metrics to count an SLA event", poll)
    exported = series_names(exposition[0])
    assert "ticketflow_tickets_total" in exported and "ticketflow_batch_seconds_bucket" in exported

    used = used_metrics(load())
    # a recorded series (ops/prometheus/alerts.yml) is Prometheus' own: what it reads must be
    # exported instead (test_dashboard.py checks that each one read is recorded)
    recorded = recording_rules()
    for name, where in list(used.items()):
        if name in recorded:
            del used[name]
            for source in metric_names(recorded[name]):
                used.setdefault(source, set()).update(f"{w} via {name}" for w in where)
    assert "ticketflow_kpi_fcr_decided_total" in used  # through ticketflow:kpi_fcr_ratio:24h
    missing = {name: sorted(where) for name, where in used.items()
               if name not in exported | PROMETHEUS_MADE}
    assert not missing, f"the dashboard reads metrics no worker exports: {missing}"
