"""A real scrape: a Prometheus server (Debian's `prometheus`) with the shipped alert rules
scrapes a real worker fed with the corpus, and its HTTP API shows the rules loaded, the
documented series, and alerts firing for the conditions provoked here — a burst of dead letters,
then the worker stopped.

The server scrapes and evaluates every second. It loads a copy of ops/prometheus/alerts.yml
with every duration divided by 60 (`for: 5m` becomes `5s`, `[10m]` becomes `[10s]`; see
``tests.ops.promql.fast_rules``); a unit test checks that the copy differs from the shipped
file in nothing else. Thresholds stay as shipped, so a condition must be as large as in
production, only shorter.
"""

from __future__ import annotations

import shutil
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

import corpus
from streams.kafka_io import make_producer
from streams.topics import inbound_topic
from ticketflow.broker import free_port
from ticketflow.failover_bench import Expected, OutputWatch, Tally, count_trial, isolate_group
from ticketflow.processes import WorkerProcess

from ..integration.test_pipeline_restart import alive, publish_files
from ..live import PARTITIONS, fail_if_exited, wait_until
from .dashboard import load as load_dashboard
from .dashboard import queries
from .prometheus_server import PrometheusServer
from .promql import (
    documented_metrics,
    fast_rules,
    is_documented,
    rule_names,
    runbook_queries,
)

pytestmark = pytest.mark.integration

# Documented series that need an event the corpus run does not have; each must then be absent
# (present: the reason is wrong, drop it from here).
NEEDS_AN_EVENT = {
    "ticketflow_redactions_total": "TICKETFLOW_REDACT is off",
    "ticketflow_sla_reroutes_total": "no assignment timeout or decline: no help-desk events",
    "ticketflow_sla_helpdesk_rejected_total": "no help-desk events",
    "ticketflow_offset_anomalies_total": "no offset gap or stuck hole",
    "ticketflow_sla_breaches_total": "the corpus' deadlines passed before the worker saw its "
                                     "tickets: replayed breaches, counted apart",
    "ticketflow_sla_breach_lateness_seconds": "no live breach (see above)",
    # the service KPIs of a ticket come with its help-desk events (none here): solved, surveyed
    "ticketflow_kpi_first_response_seconds": "no ticket solved: no help-desk events",
    "ticketflow_kpi_queue_first_response_seconds": "no ticket solved: no help-desk events",
    "ticketflow_kpi_resolution_seconds": "no ticket solved: no help-desk events",
    "ticketflow_kpi_queue_resolution_seconds": "no ticket solved: no help-desk events",
    "ticketflow_kpi_fcr_decided_total": "no ticket solved, so no FCR window closes",
    "ticketflow_kpi_csat_score_total": "no csat_submitted: no help-desk events",
    "ticketflow_kpi_csat_responses_total": "no csat_submitted: no help-desk events",
}
GARBAGE = b'{"truncated": [1, 2'  # invalid_json on a JSON channel
BURST_CHANNEL = "webform"


@dataclass
class Scraped:
    prometheus: PrometheusServer
    worker: WorkerProcess
    metrics_port: int
    bootstrap: str
    watch: OutputWatch
    tally: Tally
    expected: Expected

    @property
    def instance(self) -> str:
        return f"127.0.0.1:{self.metrics_port}"

    def alive(self) -> Callable[[], None]:
        prometheus_alive = self.prometheus_alive()
        worker_alive = alive(self.worker, self.watch, self.tally)

        def poll() -> None:
            prometheus_alive()
            worker_alive()
        return poll

    def prometheus_alive(self) -> Callable[[], None]:
        def poll() -> None:
            code = self.prometheus.poll()
            if code is not None:
                pytest.fail(f"prometheus exited with {code}:\n{self.prometheus.log_tail()}")
            # wait_until's poll interval between two API reads
            time.sleep(0.2)  # noqa: sleep
        return poll


@pytest.fixture(scope="module")
def scraped(topics: str, model_dir: Path, seeded_database: str,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scraped]:
    binary = shutil.which("prometheus")
    if binary is None:
        pytest.skip("the prometheus server is not installed (Debian package prometheus; "
                    ".ci/run installs it)")
    tmp = tmp_path_factory.mktemp("scrape")
    group = f"ops-scrape-{time.time_ns():x}"
    isolate_group(topics, group)
    metrics_port = free_port()
    worker = WorkerProcess(topics, tmp / "worker.log", env={
        "TICKETFLOW_APP_ID": group, "TICKETFLOW_DATA_DIR": str(tmp / "data"),
        "TICKETFLOW_PARTITIONS": str(PARTITIONS), "TICKETFLOW_MODEL_DIR": str(model_dir),
        "TICKETFLOW_DATABASE_URL": seeded_database,
        "TICKETFLOW_METRICS_PORT": str(metrics_port)})
    prometheus = PrometheusServer(binary, tmp / "prometheus", config={
        "global": {"scrape_interval": "1s", "scrape_timeout": "1s",
                   "evaluation_interval": "1s"},
        "scrape_configs": [{"job_name": "ticketflow",
                            "static_configs": [{"targets": [f"127.0.0.1:{metrics_port}"]}]}],
    }, rules=fast_rules())
    watch = OutputWatch(topics)
    try:
        prometheus.start()
        worker.start()
        scraped = Scraped(prometheus, worker, metrics_port, topics, watch, Tally(), Expected())
        wait_until(prometheus.ready, 30, lambda: f"prometheus to be ready:\n"
                   f"{prometheus.log_tail()}", scraped.prometheus_alive())
        scraped.expected = publish_files(topics, corpus.load_manifest(), scraped.tally)
        wait_until(lambda: scraped.tally.missing(scraped.expected) == ([], []), 240,
                   lambda: f"the worker to route the corpus; "
                   f"{count_trial(scraped.expected, scraped.tally)}", scraped.alive())
        # ... and Prometheus to have scraped all of it
        tickets, deadletters = len(scraped.expected.tickets), len(scraped.expected.deadletters)
        wait_until(lambda: (prometheus.value("sum(ticketflow_tickets_total)"),
                            prometheus.value("sum(ticketflow_deadletters_total)"))
                   == (tickets, deadletters), 30,
                   lambda: f"{tickets} tickets and {deadletters} dead letters in Prometheus; "
                   f"it has {prometheus.query('sum(ticketflow_tickets_total)')} and "
                   f"{prometheus.query('sum(ticketflow_deadletters_total)')}", scraped.alive())
        yield scraped
    finally:
        watch.close()
        worker.stop()
        prometheus.stop()


def test_the_shipped_rules_load_and_evaluate_without_errors(scraped: Scraped) -> None:
    prometheus = scraped.prometheus

    def rules() -> list[dict]:
        return [r for g in prometheus.api("rules")["groups"] for r in g["rules"]]

    # each rule evaluated at least once (health "unknown" before)
    wait_until(lambda: all(r["health"] != "unknown" for r in rules()), 30,
               lambda: f"every rule to be evaluated: {rules()}", scraped.alive())
    loaded = rules()
    assert sorted(r["name"] for r in loaded) == sorted(rule_names())
    broken = [(r["name"], r["health"], r.get("lastError")) for r in loaded
              if r["health"] != "ok" or r.get("lastError")]
    assert not broken


def test_the_runbook_queries_are_valid_promql(scraped: Scraped) -> None:
    for query in runbook_queries():
        try:
            scraped.prometheus.api("query", query=query)
        except urllib.error.HTTPError as exc:  # 400: a syntax or type error
            pytest.fail(f"ops/RUNBOOK.md: {query!r}: {exc.read().decode(errors='replace')}")


def test_the_dashboard_queries_are_valid_promql(scraped: Scraped) -> None:
    """Every panel query of the Grafana dashboard, its variables given values as Grafana would
    (the Worker variable's "All", a rate interval), is accepted by the real server."""
    checked = 0
    for where, expr in queries(load_dashboard()):
        query = (expr.replace("$__rate_interval", "1m").replace("${instance}", ".*")
                 .replace("$instance", ".*"))
        assert "$" not in query, f"{where}: a Grafana variable left in {query!r}"
        try:
            scraped.prometheus.api("query", query=query)
        except urllib.error.HTTPError as exc:  # 400: a syntax or type error
            pytest.fail(f"dashboard {where}: {query!r}: {exc.read().decode(errors='replace')}")
        checked += 1
    assert checked >= 30


def test_the_documented_series_exist_after_the_corpus(scraped: Scraped) -> None:
    documented = documented_metrics()
    if not documented:
        pytest.skip("the README's metrics table (block ops:metrics-table) is empty in this "
                    "checkout: no documented series to look for")
    prometheus = scraped.prometheus

    def absent() -> list[str]:
        names = prometheus.api("label/__name__/values")
        return sorted(e for e in documented if e not in NEEDS_AN_EVENT
                      and not any(is_documented(n, {e}) for n in names))

    # the SLA agent and the collectors may answer a few scrapes after the last routed ticket
    wait_until(lambda: not absent(), 30,
               lambda: f"the documented series {absent()} in Prometheus", scraped.alive())
    names = prometheus.api("label/__name__/values")
    unexpected = sorted(e for e in documented if e in NEEDS_AN_EVENT
                        and any(is_documented(n, {e}) for n in names))
    assert not unexpected, f"series listed as needing an event are present: {unexpected}"


def test_a_dead_letter_burst_and_a_stopped_worker_fire_their_alerts(scraped: Scraped) -> None:
    prometheus, instance = scraped.prometheus, scraped.instance

    # the corpus' few dead letters per channel are under the alert's floor
    assert prometheus.alerts("TicketflowDeadLetterRateHigh") == []

    # 1. a burst of garbage on one channel, published until the alert fires; each round waits
    # for the worker to dead-letter what it got, so the rate holds up while the alert is pending
    producer = make_producer(scraped.bootstrap)
    published = 0

    def dead_letters() -> float:
        with urllib.request.urlopen(f"http://{instance}/metrics", timeout=10) as r:
            text = r.read().decode()
        return sum(s.value for f in text_string_to_metric_families(text)
                   if f.name == "ticketflow_deadletters" for s in f.samples
                   if s.name == "ticketflow_deadletters_total"
                   and s.labels.get("channel") == BURST_CHANNEL)

    before = dead_letters()

    def burst() -> None:
        nonlocal published
        for _ in range(10):
            producer.send(inbound_topic(BURST_CHANNEL), value=GARBAGE)
        producer.flush(timeout=30)
        published += 10
        wait_until(lambda: dead_letters() - before >= published, 30,
                   f"the worker to dead-letter {published} garbage records", scraped.alive())

    def firing_on_the_channel() -> bool:
        return any(a["labels"].get("channel") == BURST_CHANNEL
                   for a in prometheus.alerts("TicketflowDeadLetterRateHigh", "firing"))

    try:
        wait_until(firing_on_the_channel, 30,
                   lambda: f"TicketflowDeadLetterRateHigh on {BURST_CHANNEL} after {published} "
                   f"garbage records; alerts: {prometheus.api('alerts')['alerts']}", burst)
    finally:
        producer.close()
    [alert] = prometheus.alerts("TicketflowDeadLetterRateHigh", "firing")
    assert alert["labels"] == {"alertname": "TicketflowDeadLetterRateHigh",
                               "channel": BURST_CHANNEL, "severity": "ticket"}
    assert float(alert["value"]) > 0.05

    # 2. the worker stopped: its target is down
    # (a scrape that timed out once may have left the alert pending: wait it out)
    wait_until(lambda: prometheus.value(f'up{{instance="{instance}"}}') == 1
               and prometheus.alerts("TicketflowWorkerDown") == [], 30,
               "the worker's target up and TicketflowWorkerDown silent before the stop",
               scraped.alive())
    fail_if_exited(scraped.worker)
    assert scraped.worker.stop(timeout_s=60) == 0, scraped.worker.log_path.read_text(
        errors="replace")[-3000:]
    wait_until(lambda: any(a["labels"].get("instance") == instance
                           for a in prometheus.alerts("TicketflowWorkerDown", "firing")), 30,
               lambda: f"TicketflowWorkerDown for {instance}; alerts: "
               f"{prometheus.api('alerts')['alerts']}", scraped.prometheus_alive())
    [down] = prometheus.alerts("TicketflowWorkerDown", "firing")
    assert down["labels"] == {"alertname": "TicketflowWorkerDown", "job": "ticketflow",
                              "instance": instance, "severity": "page"}
