"""Creating topics, idempotently, with kafka-python's admin client."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TypeVar

from kafka import KafkaAdminClient
from kafka.admin import NewTopic
from kafka.errors import KafkaError, KafkaTimeoutError, TopicAlreadyExistsError

from core.errors import BrokerError, TopicError
from core.settings import PLAINTEXT, KafkaSecurity
from streams.kafka_security import kafka_python_options
from streams.topics import TopicSpec

T = TypeVar("T")
_MAX_BACKOFF_S = 15.0


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


def retry_until_reachable(
    attempt: Callable[[], T], bootstrap: str, wait_s: float, say: Callable[[str], None],
    sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic,
) -> T:
    """``attempt()`` until it no longer raises BrokerError (the broker does not answer), with
    exponential backoff (1 s, 2 s, … at most 15 s) for up to ``wait_s``; then the last error.

    For a worker started before its broker (compose, Kubernetes, a reboot): one line when the
    wait starts and one when it ends, not a crash loop or a line per try."""
    deadline = clock() + wait_s
    delay = 1.0
    waited = False
    while True:
        try:
            result = attempt()
        except BrokerError:
            left = deadline - clock()
            if left <= 0:
                raise
            if not waited:
                say(f"Kafka at {bootstrap} does not answer yet; retrying for up to "
                    f"{wait_s:.0f} s (TICKETFLOW_BROKER_WAIT_S) ...")
                waited = True
            sleep(min(delay, left))
            delay = min(delay * 2, _MAX_BACKOFF_S)
            continue
        if waited:
            say(f"Kafka at {bootstrap} answers; starting.")
        return result


def new_topic(
    spec: TopicSpec, partitions: int, replication_factor: int,
    config: Mapping[str, str] | None = None,
) -> NewTopic:
    """The creation request for ``spec``: its own config, then ``config`` (settings'
    ``topic_config``, e.g. ``min.insync.replicas``) over it."""
    return NewTopic(spec.name, partitions, replication_factor,
                    topic_configs={**spec.config, **(config or {})})


def create_topics(
    bootstrap: str, specs: Iterable[TopicSpec], partitions: int, replication_factor: int = 1,
    security: KafkaSecurity = PLAINTEXT, config: Mapping[str, str] | None = None,
) -> list[TopicStatus]:
    """Create the topics that are missing; leave existing ones alone (their config too). Safe
    to run again. ``config``: added to every created topic's own (``Settings.topic_config``)."""
    specs = list(specs)
    with admin_client(bootstrap, security=security) as admin:
        try:
            existing = set(admin.list_topics())
        except KafkaError as exc:
            raise TopicError(f"Could not list topics on {bootstrap}: {exc}") from exc
        missing = [s for s in specs if s.name not in existing]
        for spec in missing:
            topic = new_topic(spec, partitions, replication_factor, config)
            try:
                admin.create_topics([topic])
            except TopicAlreadyExistsError:
                pass  # another process created it between list and create
            except KafkaError as exc:
                raise TopicError(
                    f"Could not create topic {spec.name} on {bootstrap}: {exc}. Check the "
                    "broker allows topic creation and that replication factor "
                    f"{replication_factor} fits its broker count (and min.insync.replicas, "
                    "if set, the replication factor)."
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
