"""kafka-python producers and consumers for the command-line tools, with errors translated."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from typing import Any

from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.errors import KafkaError, KafkaTimeoutError

from core.errors import BrokerError
from core.settings import PLAINTEXT, KafkaSecurity
from streams.kafka_security import kafka_python_options

_UNREACHABLE = (
    "No Kafka broker answers at {bootstrap}: start one (`ticketflow broker`) or pass the right "
    "--bootstrap / TICKETFLOW_KAFKA_BOOTSTRAP."
)


def make_producer(
    bootstrap: str, timeout_s: float = 15.0, max_request_size: int = 1024 * 1024,
    security: KafkaSecurity = PLAINTEXT,
) -> KafkaProducer:
    """``security``: ``settings.kafka_security`` for a configured broker; the plaintext default
    is for the embedded one."""
    try:
        return KafkaProducer(
            bootstrap_servers=bootstrap.split(","),
            max_request_size=max_request_size,
            acks="all",
            linger_ms=5,
            client_id="ticketflow-cli",
            bootstrap_timeout_ms=int(timeout_s * 1000),
            max_block_ms=int(timeout_s * 1000),
            **kafka_python_options(security),
        )
    except KafkaTimeoutError as exc:
        raise BrokerError(_UNREACHABLE.format(bootstrap=bootstrap)) from exc


def make_consumer(
    bootstrap: str, topics: Iterable[str], from_beginning: bool, timeout_s: float = 15.0,
    fetch_max_wait_ms: int = 500, security: KafkaSecurity = PLAINTEXT,
) -> KafkaConsumer:
    """A group-less consumer assigned every partition of ``topics``: it sees everything, and
    reading does not disturb any consumer group. Lower ``fetch_max_wait_ms`` to see records
    sooner (Tansu may hold a fetch most of that long even when records arrive)."""
    try:
        consumer = KafkaConsumer(
            bootstrap_servers=bootstrap.split(","),
            group_id=None,
            enable_auto_commit=False,
            client_id="ticketflow-cli",
            fetch_max_wait_ms=fetch_max_wait_ms,
            bootstrap_timeout_ms=int(timeout_s * 1000),
            **kafka_python_options(security),
        )
    except KafkaTimeoutError as exc:
        raise BrokerError(_UNREACHABLE.format(bootstrap=bootstrap)) from exc
    try:
        partitions: list[TopicPartition] = []
        for topic in topics:
            ids = consumer.partitions_for_topic(topic)
            if not ids:
                consumer.close()
                raise BrokerError(
                    f"Topic {topic} does not exist on {bootstrap}: run `ticketflow topics create`."
                )
            partitions.extend(TopicPartition(topic, p) for p in sorted(ids))
        consumer.assign(partitions)
        if from_beginning:
            consumer.seek_to_beginning()
        else:
            consumer.seek_to_end()
            # kafka-python resolves the end lazily, at the first poll: records written before
            # that would be skipped though they came after this consumer was made
            for tp in partitions:
                consumer.position(tp)
    except KafkaError as exc:
        consumer.close()
        raise BrokerError(f"Could not subscribe to {list(topics)} on {bootstrap}: {exc}") from exc
    return consumer


def read_to_end(consumer: KafkaConsumer, tps: list[TopicPartition],
                timeout_s: float) -> Iterator[Any]:
    """Every record of ``tps`` from the beginning to the end offsets at the time of the call
    (on Tansu the end offset is the last batch's base offset + 1: reaching it fetches that
    whole batch). Raises ``BrokerError`` when the end is not reached in ``timeout_s``."""
    consumer.assign(tps)
    consumer.seek_to_beginning(*tps)
    end = consumer.end_offsets(tps)
    deadline = time.monotonic() + timeout_s
    while any(consumer.position(tp) < end[tp] for tp in tps):
        if time.monotonic() > deadline:
            raise BrokerError(f"reading {sorted({tp.topic for tp in tps})} did not reach the "
                              f"end in {timeout_s:.0f} s: is the broker overloaded?")
        for records in consumer.poll(timeout_ms=500).values():
            yield from records
