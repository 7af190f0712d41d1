"""The ``ticketflow.kpi_rollup`` agent on a real broker: KPI facts published to a fresh app id's
``<app id>-kpi-facts`` topic (dated November 2026, as a replay of the demo corpus would be),
read back from ``kpi.rollups`` and ``kpi.alerts`` and from the worker's /metrics.

Isolation: the app id, its facts topic and every intent are unique to the run, so nothing here
is read by another test as its own (records on the shared kpi.* topics carry these intents) and
the group starts at the end of every shared topic (``isolate_group``)."""

from __future__ import annotations

import json
import time
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from prometheus_client.parser import text_string_to_metric_families

from kpi.stage import fact_messages
from schemas.kpi import KpiFact, KpiFactKind, OrderFact, kpi_fact_id
from streams.admin import create_topics
from streams.faust_adapter import key_partition
from streams.kafka_io import make_consumer, make_producer
from streams.topics import internal_topics, kpi_facts_topic
from ticketflow.broker import free_port
from ticketflow.failover_bench import isolate_group
from ticketflow.processes import WorkerProcess

from ..live import PARTITIONS, fail_if_exited, wait_until

H = datetime(2026, 11, 10, 10, 0, tzinfo=UTC)  # event time: weeks before "now"
M = timedelta(minutes=1)
HOUR = timedelta(hours=1)
DHL = OrderFact(field="carrier", value="DHL")
UPS = OrderFact(field="carrier", value="UPS")
LATE = OrderFact(field="late", value="true")


def same_partition_intents(run: str) -> tuple[str, str]:
    """Two intents whose facts share a partition: one's facts move the other's watermark."""
    spiky = f"it-spike-{run}"
    want = key_partition(spiky.encode(), PARTITIONS)
    quiet = next(name for name in (f"it-quiet-{run}-{i}" for i in range(1000))
                 if key_partition(name.encode(), PARTITIONS) == want)
    return spiky, quiet


def gauge(port: int, family: str, intent: str) -> float | None:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as r:
        text = r.read().decode()
    for metric in text_string_to_metric_families(text):
        for sample in metric.samples:
            if sample.name == family and sample.labels.get("intent") == intent:
                return float(sample.value)
    return None


def test_rollups_and_a_spike_from_facts_on_a_real_broker(
    topics: str, start_worker: Callable[..., WorkerProcess]
) -> None:
    run = f"{time.time_ns():x}"
    app_id = f"it-kpiroll-{run}"
    spiky, quiet = same_partition_intents(run)
    facts_topic = kpi_facts_topic(app_id).name
    create_topics(topics, internal_topics(app_id), PARTITIONS)
    isolate_group(topics, app_id)
    port = free_port()
    consumer = make_consumer(topics, ["kpi.rollups", "kpi.alerts"], from_beginning=False,
                             fetch_max_wait_ms=100)
    producer = make_producer(topics)
    rollups: list[dict[str, Any]] = []
    alerts: list[dict[str, Any]] = []
    workers: list[WorkerProcess] = []

    def publish(*facts: KpiFact) -> None:
        for batch in fact_messages(facts):  # as the KPI stage sends them
            producer.send(facts_topic, key=batch.intent.encode(),
                          value=batch.model_dump_json().encode(),
                          partition=key_partition(batch.intent.encode(), PARTITIONS))
        producer.flush()

    def fact(kind: KpiFactKind, ticket: str, at: datetime, intent: str, queue: str = "orders",
             **fields: Any) -> KpiFact:
        return KpiFact(fact_id=kpi_fact_id(ticket, kind), kind=kind, ticket_id=ticket, at=at,
                       queue=queue, channel="email", intent=intent, **fields)

    def poll() -> None:
        fail_if_exited(workers[0])
        for tp, records in consumer.poll(timeout_ms=200).items():
            for record in records:
                value = json.loads(record.value)
                if value.get("intent") in (spiky, quiet):
                    (rollups if tp.topic == "kpi.rollups" else alerts).append(value)

    def latest(intent: str, queue: str = "orders") -> dict[str, Any] | None:
        mine = [r for r in rollups if r["intent"] == intent and r["queue"] == queue]
        return max(mine, key=lambda r: r["revision"]) if mine else None

    spike_tickets = [f"{run}-s{i:02d}" for i in range(12)]
    quiet_tickets = [f"{run}-q{i}" for i in range(2)]
    first_quiet = fact("received", quiet_tickets[0], H + 5 * M, quiet, order_facts=(UPS,))
    try:
        workers.append(start_worker(TICKETFLOW_APP_ID=app_id, TICKETFLOW_METRICS_PORT=str(port)))
        # hour H: two quiet tickets (one solved), then twelve of one intent in twelve minutes
        publish(first_quiet,
                fact("received", quiet_tickets[1], H + 6 * M, quiet),
                fact("solved", quiet_tickets[0], H + 40 * M, quiet, first_response_s=90.0,
                     resolution_s=2100.0),
                *(fact("received", t, H + (10 + i) * M, spiky,
                       order_facts=(DHL, LATE) if i % 4 else (UPS,))
                  for i, t in enumerate(spike_tickets)))
        wait_until(lambda: bool(alerts), 240, "the spike on kpi.alerts", poll)
        (alert,) = alerts
        assert (alert["intent"], datetime.fromisoformat(alert["window_start"]),
                alert["count"]) == (spiky, H, 10)
        # a new intent: baseline 0, the ratio against the floor (10 / 3)
        assert alert["baseline"] == 0.0 and round(alert["ratio"], 9) == 3.0
        assert alert["example_ticket_ids"] == spike_tickets[:10]
        assert [(o["field"], o["value"], o["count"]) for o in alert["top_order_facts"]][:2] == [
            ("carrier", "DHL", 7), ("late", "true", 7)]
        wait_until(lambda: gauge(port, "ticketflow_kpi_volume_spike", spiky) == 1.0, 30,
                   "the spike gauge", poll)
        assert gauge(port, "ticketflow_kpi_volume_spike", quiet) == 0.0
        assert rollups == []  # hour H is still open

        # the spiky intent's next fact, two hours on, closes hour H for both intents
        publish(fact("received", f"{run}-next", H + 2 * HOUR, spiky))
        wait_until(lambda: latest(quiet) is not None and latest(spiky) is not None, 60,
                   lambda: f"hour H's rollups (so far {rollups})", poll)
        q = latest(quiet)
        assert q is not None
        assert (q["revision"], q["received"], q["solved"], q["resolution_p50_s"],
                q["first_response_p90_s"]) == (1, 2, 1, 2100.0, 90.0)
        s = latest(spiky)
        assert s is not None and (s["revision"], s["received"]) == (1, 12)
        wait_until(lambda: gauge(port, "ticketflow_kpi_volume_spike", spiky) == 0.0, 30,
                   "the spike gauge back to 0 in the next hour", poll)

        # a late fact for hour H: its cell one revision up; a duplicate changes nothing
        publish(fact("received", f"{run}-late", H + 30 * M, quiet))
        publish(first_quiet)  # redelivered
        publish(fact("received", f"{run}-billing", H + 31 * M, quiet, queue="billing"))
        wait_until(lambda: latest(quiet, "billing") is not None, 60,
                   "the late billing cell (after the duplicate, on the same partition)", poll)
    finally:
        consumer.close()
        producer.close()
    q = latest(quiet)
    assert q is not None and (q["revision"], q["received"]) == (2, 3)
    assert len(alerts) == 1
    assert {datetime.fromisoformat(r["hour_start"]) for r in rollups} == {H}

