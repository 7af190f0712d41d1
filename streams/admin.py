"""Creating topics, idempotently, with kafka-python's admin client."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from kafka import KafkaAdminClient
from kafka.admin import NewTopic
from kafka.errors import KafkaError, KafkaTimeoutError, TopicAlreadyExistsError

from core.errors import BrokerError, TopicError
from core.settings import PLAINTEXT, KafkaSecurity
from streams.kafka_security import kafka_python_options
from streams.topics import TopicSpec


@dataclass(frozen=True, slots=True)
class TopicStatus:
    name: str
    partitions: int
    created: bool


@contextlib.contextmanager
def admin_client(
    bootstrap: str, timeout_s: float = 15.0, security: KafkaSecurity = PLAINTEXT
) -> Iterator[KafkaAdminClient]:
    """``security``: ``settings.kafka_security`` for a configured broker; the plaintext default
    is for the embedded one."""
    try:
        client = KafkaAdminClient(
            bootstrap_servers=bootstrap.split(","),
            client_id="ticketflow-admin",
            request_timeout_ms=int(timeout_s * 1000),
            bootstrap_timeout_ms=int(timeout_s * 1000),
            **kafka_python_options(security),
        )
    except KafkaTimeoutError as exc:
        raise BrokerError(
            f"No Kafka broker answers at {bootstrap}: start one (`ticketflow broker`) or pass "
            "the right --bootstrap / TICKETFLOW_KAFKA_BOOTSTRAP."
        ) from exc
    try:
        yield client
    finally:
        client.close()


def create_topics(
    bootstrap: str, specs: Iterable[TopicSpec], partitions: int, replication_factor: int = 1,
    security: KafkaSecurity = PLAINTEXT,
) -> list[TopicStatus]:
    """Create the topics that are missing; leave existing ones alone. Safe to run again."""
    specs = list(specs)
    with admin_client(bootstrap, security=security) as admin:
        try:
            existing = set(admin.list_topics())
        except KafkaError as exc:
            raise TopicError(f"Could not list topics on {bootstrap}: {exc}") from exc
        missing = [s for s in specs if s.name not in existing]
        for spec in missing:
            topic = NewTopic(spec.name, partitions, replication_factor, topic_configs=spec.config)
            try:
                admin.create_topics([topic])
            except TopicAlreadyExistsError:
                pass  # another process created it between list and create
            except KafkaError as exc:
                raise TopicError(
                    f"Could not create topic {spec.name} on {bootstrap}: {exc}. Check the "
                    "broker allows topic creation and that replication factor "
                    f"{replication_factor} fits its broker count."
                ) from exc
        counts = partition_counts(admin, [s.name for s in specs])
    created = {s.name for s in missing}
    return [TopicStatus(s.name, counts.get(s.name, 0), s.name in created) for s in specs]


def partition_counts(admin: KafkaAdminClient, names: list[str]) -> dict[str, int]:
    try:
        described = admin.describe_topics(names)
    except KafkaError as exc:
        raise TopicError(f"Could not describe topics {names}: {exc}") from exc
    return {d["name"]: len(d["partitions"]) for d in described}
