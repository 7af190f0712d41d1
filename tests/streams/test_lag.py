from __future__ import annotations

import threading
import time

import pytest
from prometheus_client import CollectorRegistry, generate_latest

from streams.lag import (
    ConsumerLagCollector,
    PartitionLag,
    end_offset,
    fetch_offset_for_end,
    group_lag,
    offset_at_time,
    partition_lag,
)


def test_the_end_is_fetched_from_inside_the_last_batch() -> None:
    # Tansu, 5 + 3 records in two batches: listed = 5 + 1; Kafka: listed = 8
    assert fetch_offset_for_end(listed=6, start=0) == 5
    assert fetch_offset_for_end(listed=8, start=0) == 7
    # nothing on the partition (or everything deleted by retention): nothing to fetch
    assert fetch_offset_for_end(listed=0, start=0) is None
    assert fetch_offset_for_end(listed=40, start=40) is None


def test_the_end_is_the_largest_of_what_the_broker_said() -> None:
    # Tansu as measured: ListOffsets 6, the fetch from 5 returned offsets 5..7, high watermark 8
    assert end_offset(listed=6, highwater=8, last_read=7) == 8
    # the high watermark alone, or the records alone, correct it too
    assert end_offset(listed=6, highwater=None, last_read=7) == 8
    assert end_offset(listed=6, highwater=8, last_read=None) == 8
    # Kafka: all agree
    assert end_offset(listed=8, highwater=8, last_read=7) == 8
    # empty partition: nothing fetched
    assert end_offset(listed=0, highwater=None, last_read=None) == 0


def test_lag_counts_from_the_commit_or_from_the_start_when_there_is_none() -> None:
    assert partition_lag(end=8, committed=3, start=0) == 5
    assert partition_lag(end=8, committed=None, start=2) == 6
    assert partition_lag(end=8, committed=-1, start=0) == 8
    assert partition_lag(end=8, committed=8, start=0) == 0
    # a commit read after the end was: not a negative backlog
    assert partition_lag(end=8, committed=10, start=0) == 0


def test_group_lag_has_a_row_per_partition_sorted() -> None:
    ends = {("b", 0): 4, ("a", 1): 9, ("a", 0): 8}
    rows = group_lag("g", ends, starts={("a", 1): 2}, committed={("a", 0): 3})
    assert rows == [PartitionLag("g", "a", 0, 8, 3, 5), PartitionLag("g", "a", 1, 9, None, 7),
                    PartitionLag("g", "b", 0, 4, None, 4)]


def test_offset_at_a_time_with_no_record_since_is_the_end() -> None:
    # Tansu answers offset 0 with timestamp -1 when no record is that recent (measured)
    assert offset_at_time(0, -1, end=9) == 9
    # Kafka: offset -1 (kafka-python may give no answer at all)
    assert offset_at_time(-1, -1, end=9) == 9
    assert offset_at_time(None, None, end=9) == 9
    assert offset_at_time(3, 1_796_442_574_187, end=9) == 3
    assert offset_at_time(12, 1_796_442_574_187, end=9) == 9


class Reads:
    """What the broker answers, one list per read; counts the reads."""

    def __init__(self, *answers: list[PartitionLag] | Exception) -> None:
        self.answers = list(answers)
        self.calls = 0

    def __call__(self) -> list[PartitionLag]:
        self.calls += 1
        answer = self.answers[min(self.calls, len(self.answers)) - 1]
        if isinstance(answer, Exception):
            raise answer
        return answer


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


ROWS = [PartitionLag("tf", "inbound.email", 0, 8, 3, 5),
        PartitionLag("tf", "tickets.normalized", 2, 4, None, 4)]


def lag(registry: CollectorRegistry, topic: str, partition: int) -> float | None:
    return registry.get_sample_value("ticketflow_consumer_lag_messages",
                                     {"group": "tf", "topic": topic, "partition": str(partition)})


def errors(registry: CollectorRegistry) -> float | None:
    return registry.get_sample_value("ticketflow_consumer_lag_errors_total")


def test_collector_exports_every_partition_and_does_not_read_when_registered() -> None:
    registry = CollectorRegistry()
    reads = Reads(ROWS)
    registry.register(ConsumerLagCollector(reads, registry, clock=Clock()))
    assert reads.calls == 0  # registering asks the broker nothing
    assert lag(registry, "inbound.email", 0) == 5
    assert lag(registry, "tickets.normalized", 2) == 4
    text = generate_latest(registry).decode()
    assert "# TYPE ticketflow_consumer_lag_messages gauge" in text
    assert errors(registry) == 0


def test_collector_reuses_a_read_for_the_cache_time() -> None:
    registry = CollectorRegistry()
    clock = Clock()
    newer = [PartitionLag("tf", "inbound.email", 0, 9, 3, 6)]
    reads = Reads(ROWS, newer)
    registry.register(ConsumerLagCollector(reads, registry, cache_s=5.0, clock=clock))
    assert lag(registry, "inbound.email", 0) == 5
    clock.now += 4.9
    assert lag(registry, "inbound.email", 0) == 5
    assert reads.calls == 1
    clock.now += 0.2
    assert lag(registry, "inbound.email", 0) == 6
    assert reads.calls == 2


def test_a_failed_read_exports_nothing_and_is_counted_then_the_next_scrape_reads_again() -> None:
    registry = CollectorRegistry()
    clock = Clock()
    reads = Reads(RuntimeError("broker down"), ROWS)
    registry.register(ConsumerLagCollector(reads, registry, clock=clock))
    text = generate_latest(registry).decode()
    assert "ticketflow_consumer_lag_messages{" not in text
    assert errors(registry) == 1
    assert lag(registry, "inbound.email", 0) == 5  # not cached: the next scrape reads
    assert errors(registry) == 1


def test_a_slow_broker_holds_a_scrape_no_longer_than_the_timeout() -> None:
    registry = CollectorRegistry()
    clock = Clock()
    release = threading.Event()
    calls = []

    def slow() -> list[PartitionLag]:
        calls.append(1)
        release.wait(10)
        return ROWS

    collector = ConsumerLagCollector(slow, registry, timeout_s=0.2, clock=clock)
    registry.register(collector)
    started = time.monotonic()
    assert lag(registry, "inbound.email", 0) is None
    assert time.monotonic() - started < 2.0
    assert errors(registry) == 1
    # the next scrape waits for the same read rather than starting another
    assert lag(registry, "inbound.email", 0) is None
    assert len(calls) == 1 and errors(registry) == 2
    release.set()
    assert lag(registry, "inbound.email", 0) == 5
    assert len(calls) == 1


def test_a_read_that_finished_long_after_its_scrape_is_not_shown() -> None:
    registry = CollectorRegistry()
    clock = Clock()
    release = threading.Event()
    reads = Reads(ROWS, [PartitionLag("tf", "inbound.email", 0, 20, 3, 17)])

    def slow_first() -> list[PartitionLag]:
        if reads.calls == 0:
            release.wait(10)
        return reads()

    collector = ConsumerLagCollector(slow_first, registry, timeout_s=0.1, cache_s=5.0,
                                     clock=clock)
    registry.register(collector)
    assert lag(registry, "inbound.email", 0) is None
    release.set()
    collector._pending.result(timeout=5)  # type: ignore[union-attr]
    clock.now += 60  # the next scrape comes a minute later: the first read is stale
    assert lag(registry, "inbound.email", 0) == 17


@pytest.mark.parametrize("name", ["ticketflow_consumer_lag_messages",
                                  "ticketflow_consumer_lag_errors_total"])
def test_the_names_are_taken_on_the_registry(name: str) -> None:
    registry = CollectorRegistry()
    registry.register(ConsumerLagCollector(Reads(ROWS), registry))
    with pytest.raises(ValueError, match="Duplicated timeseries"):
        from prometheus_client import Gauge

        Gauge(name.removesuffix("_total"), "again", registry=registry)
