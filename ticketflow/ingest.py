"""Publishing raw payload files to ``inbound.<channel>`` (``ticketflow ingest``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kafka import KafkaProducer
from kafka.errors import KafkaError

from core.errors import BrokerError, TicketflowError
from streams.topics import inbound_topic


@dataclass(frozen=True, slots=True)
class Published:
    path: Path
    channel: str
    topic: str
    partition: int
    offset: int


def expand(paths: Iterable[Path]) -> Iterator[Path]:
    """Files as given; directories recursively, in sorted order."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file())
        elif path.is_file():
            yield path
        else:
            raise TicketflowError(f"{path}: no such file or directory.")


def publish(
    producer: KafkaProducer, items: Iterable[tuple[str, Path]], timeout_s: float = 30.0,
    transform: Callable[[str, bytes], bytes] | None = None,
) -> list[Published]:
    """Send each file's bytes (unchanged, or through ``transform(channel, bytes)``) to its
    channel's topic; return where each one landed."""
    futures = []
    for channel, path in items:
        topic = inbound_topic(channel)
        value = path.read_bytes()
        if transform is not None:
            value = transform(channel, value)
        futures.append((path, channel, topic, producer.send(topic, value=value)))
    producer.flush(timeout=timeout_s)
    published = []
    for path, channel, topic, future in futures:
        try:
            meta = future.get(timeout=timeout_s)
        except KafkaError as exc:
            raise BrokerError(f"Could not publish {path} to {topic}: {exc}") from exc
        published.append(Published(path, channel, topic, meta.partition, meta.offset))
    return published


def channel_files(channel: str, paths: Iterable[Path]) -> list[tuple[str, Path]]:
    # Any channel name is accepted on purpose: the worker dead-letters unknown channels, which
    # is how a new provider's traffic shows up before its normalizer exists.
    return [(channel, path) for path in expand(paths)]
