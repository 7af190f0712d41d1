"""Offsets read from the broker with kafka-python, right on Apache Kafka and on Tansu: partition
ends (see ``streams/lag.py`` for why a ListOffsets alone is not enough), starts, offsets by
time, consumer groups and what they committed. Used by the worker's lag collector and by
``ticketflow status``. Kafka errors come out as ``BrokerError`` saying what to check.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from kafka import KafkaAdminClient, KafkaConsumer, TopicPartition
from kafka.admin import OffsetSpec
from kafka.errors import KafkaError
from prometheus_client import CollectorRegistry

from core.errors import BrokerError
from core.settings import PLAINTEXT, KafkaSecurity, Settings
from streams.kafka_security import kafka_python_options
from streams.lag import (
    ConsumerLagCollector,
    PartitionLag,
    end_offset,
    fetch_offset_for_end,
    group_lag,
    offset_at_time,
)
from streams.topology import topology

TP = tuple[str, int]
"""(topic, partition): plain tuples out of this module, kafka-python's types stay inside."""


@dataclass(frozen=True, slots=True, order=True)
class RecordAt:
    topic: str
    partition: int
    offset: int
    timestamp_ms: int
    value: bytes | None


def _describe(exc: BaseException) -> str:
    text = str(exc)
    name = type(exc).__name__
    return text if text.startswith(name) else f"{name}: {text}" if text else name


def _tp(tp: TopicPartition) -> TP:
    return (tp.topic, tp.partition)


class BrokerOffsets:
    """Long-lived admin and consumer clients, made at the first read (nothing connects at
    construction) and dropped after an error, so the next read starts from fresh ones. Not
    thread-safe: one thread uses one instance."""

    def __init__(
        self, bootstrap: str, security: KafkaSecurity = PLAINTEXT, timeout_s: float = 10.0,
    ) -> None:
        self.bootstrap = bootstrap
        self.security = security
        self.timeout_s = timeout_s
        self._admin: KafkaAdminClient | None = None
        self._consumer: KafkaConsumer | None = None

    # -- clients -----------------------------------------------------------------------------

    def _options(self) -> dict[str, Any]:
        timeout_ms = int(self.timeout_s * 1000)
        return {"bootstrap_servers": self.bootstrap.split(","), "client_id": "ticketflow-offsets",
                "request_timeout_ms": timeout_ms, "bootstrap_timeout_ms": timeout_ms,
                **kafka_python_options(self.security)}

    def admin(self) -> KafkaAdminClient:
        if self._admin is None:
            with self._translated("connect to"):
                self._admin = KafkaAdminClient(**self._options())
        return self._admin

    def consumer(self) -> KafkaConsumer:
        if self._consumer is None:
            with self._translated("connect to"):
                self._consumer = KafkaConsumer(
                    group_id=None, enable_auto_commit=False,
                    # only the batch at the end is wanted; Kafka sends a whole first batch
                    # however small this is
                    max_partition_fetch_bytes=64 * 1024,
                    fetch_max_wait_ms=100, auto_offset_reset="latest", **self._options())
        return self._consumer

    def close(self) -> None:
        for client in (self._admin, self._consumer):
            if client is not None:
                with contextlib.suppress(Exception):
                    client.close()
        self._admin = self._consumer = None

    def __enter__(self) -> BrokerOffsets:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _translated(self, what: str) -> Iterator[None]:
        try:
            yield
        except BrokerError:
            self.close()
            raise
        except (KafkaError, OSError) as exc:
            self.close()
            if what == "connect to":
                raise BrokerError(
                    f"No Kafka broker answers at {self.bootstrap} ({_describe(exc)}): start one "
                    "(`ticketflow broker`) or pass the right --bootstrap / "
                    "TICKETFLOW_KAFKA_BOOTSTRAP, with the security settings it expects "
                    "(TICKETFLOW_KAFKA_SECURITY_PROTOCOL, _SASL_*, _SSL_*)."
                ) from exc
            raise BrokerError(
                f"Could not {what} the Kafka broker at {self.bootstrap}: "
                f"{_describe(exc)}. Check it runs and answers there (--bootstrap / "
                "TICKETFLOW_KAFKA_BOOTSTRAP) with the security settings it expects "
                "(TICKETFLOW_KAFKA_SECURITY_PROTOCOL, _SASL_*, _SSL_*)."
            ) from exc

    # -- topics and partitions ---------------------------------------------------------------

    def topics(self) -> list[str]:
        with self._translated("list the topics on"):
            return sorted(self.admin().list_topics())

    def partitions(self, topics: Iterable[str]) -> list[TP]:
        """Every partition of those of ``topics`` that exist."""
        names = sorted(set(topics) & set(self.topics()))
        if not names:
            return []
        with self._translated("describe the topics on"):
            described = self.admin().describe_topics(names)
        return sorted((d["name"], p["partition_index"]) for d in described for p in d["partitions"])

    # -- offsets -----------------------------------------------------------------------------

    def _list(self, tps: Iterable[TP], spec: Any) -> dict[TP, Any]:
        wanted = {TopicPartition(t, p): spec for t, p in tps}
        if not wanted:
            return {}
        with self._translated("list offsets on"):
            answers = self.admin().list_partition_offsets(
                wanted, timeout_ms=int(self.timeout_s * 1000))
        return {_tp(tp): answer for tp, answer in answers.items()}

    def listed_ends(self, tps: Iterable[TP]) -> dict[TP, int]:
        """ListOffsets "latest" as the broker answers it: wrong on Tansu (see ``ends``)."""
        return {tp: a.offset for tp, a in self._list(tps, OffsetSpec.LATEST).items()}

    def starts(self, tps: Iterable[TP]) -> dict[TP, int]:
        return {tp: a.offset for tp, a in self._list(tps, OffsetSpec.EARLIEST).items()}

    def ends(self, tps: Iterable[TP], starts: dict[TP, int] | None = None) -> dict[TP, int]:
        """Each partition's end (the next record's offset), right on Kafka and on Tansu: the
        listed end, corrected by one fetch from listed − 1 (``streams.lag``)."""
        tps = list(tps)
        listed = self.listed_ends(tps)
        starts = self.starts(tps) if starts is None else starts
        targets = {tp: at for tp in tps
                   if (at := fetch_offset_for_end(listed[tp], starts.get(tp, 0))) is not None}
        highwater, last_read = self._fetch_tails(targets)
        return {tp: end_offset(listed[tp], highwater.get(tp), last_read.get(tp)) for tp in tps}

    def _fetch_tails(self, targets: dict[TP, int]) -> tuple[dict[TP, int], dict[TP, int]]:
        """Fetch once from each target offset: the high watermarks answered and the offset of
        the last record each fetch returned."""
        highwater: dict[TP, int] = {}
        last_read: dict[TP, int] = {}
        if not targets:
            return highwater, last_read
        with self._translated("fetch from"):
            consumer = self.consumer()
            parts = {TopicPartition(t, p): at for (t, p), at in targets.items()}
            consumer.unsubscribe()  # fresh partition states: no high watermark from before
            consumer.assign(list(parts))
            for tp, at in parts.items():
                consumer.seek(tp, at)
            deadline = time.monotonic() + self.timeout_s
            waiting = set(parts)
            while waiting:
                if time.monotonic() > deadline:
                    raise BrokerError(
                        f"The Kafka broker at {self.bootstrap} answered no fetch for "
                        f"{len(waiting)} partition(s) within {self.timeout_s:.0f} s (e.g. "
                        f"{sorted(_tp(tp) for tp in waiting)[:3]}): is it overloaded?")
                for tp, records in consumer.poll(timeout_ms=100).items():
                    if records:
                        last_read[_tp(tp)] = max(last_read.get(_tp(tp), -1), records[-1].offset)
                for tp in list(waiting):
                    mark = consumer.highwater(tp)
                    if mark is not None:
                        highwater[_tp(tp)] = mark
                        waiting.discard(tp)
            consumer.unsubscribe()
        return highwater, last_read

    def offsets_at(self, tps: Iterable[TP], timestamp_ms: int, ends: dict[TP, int]
                   ) -> dict[TP, int]:
        """The first offset of each partition written at or after ``timestamp_ms`` (record
        timestamps); ``ends[tp]`` where nothing was."""
        answers = self._list(tps, timestamp_ms)
        out = {}
        for tp, end in ends.items():
            answer = answers.get(tp)
            out[tp] = offset_at_time(answer.offset if answer else None,
                                     answer.timestamp if answer else None, end)
        return out

    def read_records(self, ends: dict[TP, int]) -> list[RecordAt]:
        """Every record of the partitions in ``ends`` from their start up to their end (the
        ones ``ends`` gives), in partition then offset order."""
        out: list[RecordAt] = []
        wanted = {TopicPartition(t, p): end for (t, p), end in ends.items()}
        if not wanted:
            return out
        with self._translated("read records from"):
            consumer = self.consumer()
            consumer.unsubscribe()
            consumer.assign(list(wanted))
            consumer.seek_to_beginning()
            deadline = time.monotonic() + self.timeout_s
            while any(consumer.position(tp) < end for tp, end in wanted.items()):
                if time.monotonic() > deadline:
                    raise BrokerError(
                        f"The Kafka broker at {self.bootstrap} did not return the records of "
                        f"{sorted({tp.topic for tp in wanted})} within {self.timeout_s:.0f} s: "
                        "is it overloaded?")
                for tp, records in consumer.poll(timeout_ms=100).items():
                    out += [RecordAt(tp.topic, tp.partition, r.offset, r.timestamp, r.value)
                            for r in records if r.offset < wanted[tp]]
            consumer.unsubscribe()
        return sorted(out)

    # -- groups ------------------------------------------------------------------------------

    def groups(self) -> list[str]:
        with self._translated("list the consumer groups on"):
            return sorted(g["group_id"] for g in self.admin().list_groups())

    def committed(self, group: str) -> dict[TP, int]:
        """What ``group`` committed, by partition (nothing for an unknown group)."""
        with self._translated(f"read the offsets of group {group} from"):
            answer = self.admin().list_group_offsets({group: None}).get(group, {})
        return {_tp(tp): meta.offset for tp, meta in answer.items() if meta.offset >= 0}

    def group_lag(self, group: str, topics: Iterable[str]) -> list[PartitionLag]:
        """``group``'s lag on every partition of ``topics`` (those that exist) and on every
        partition it committed an offset for."""
        committed = self.committed(group)
        tps = sorted(set(self.partitions(topics)) | set(committed))
        starts = self.starts(tps)
        return group_lag(group, self.ends(tps, starts), starts, committed)


def worker_topics(app_id: str) -> list[str]:
    """What the worker's consumer group (= the app id) reads: every agent's inputs."""
    return sorted({topic for agent in topology(app_id).agents for topic in agent.inputs})


def register_consumer_lag(registry: CollectorRegistry, settings: Settings, bootstrap: str,
                          cache_s: float = 5.0, timeout_s: float = 3.0) -> ConsumerLagCollector:
    """The worker's lag collector on ``registry``: its group (``settings.app_id``) on the
    topics its agents read. Nothing connects before the first scrape."""
    offsets = BrokerOffsets(bootstrap, settings.security_for(bootstrap), timeout_s=timeout_s)
    topics = worker_topics(settings.app_id)
    collector = ConsumerLagCollector(partial(offsets.group_lag, settings.app_id, topics),
                                     registry, cache_s=cache_s, timeout_s=timeout_s)
    registry.register(collector)
    return collector

