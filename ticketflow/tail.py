"""Printing a topic's messages as they arrive (``ticketflow tail``)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

from core.settings import PLAINTEXT, KafkaSecurity
from streams.kafka_io import make_consumer


def decode(value: bytes | None) -> Any:
    if value is None:
        return None
    try:
        return json.loads(value)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return value.decode("utf-8", "replace")


def tail(
    bootstrap: str,
    topics: list[str],
    from_beginning: bool,
    limit: int | None = None,
    idle_timeout_s: float | None = None,
    security: KafkaSecurity = PLAINTEXT,
) -> Iterator[dict[str, Any]]:
    """Yield each message as a dict; stop after ``limit`` messages or ``idle_timeout_s`` quiet."""
    consumer = make_consumer(bootstrap, topics, from_beginning, security=security)
    seen = 0
    last = time.monotonic()
    try:
        while limit is None or seen < limit:
            batch = consumer.poll(timeout_ms=200)
            if not batch:
                if idle_timeout_s is not None and time.monotonic() - last > idle_timeout_s:
                    return
                continue
            last = time.monotonic()
            for tp, messages in batch.items():
                for msg in messages:
                    yield {
                        "topic": tp.topic, "partition": tp.partition, "offset": msg.offset,
                        "key": msg.key.decode("utf-8", "replace") if msg.key else None,
                        "value": decode(msg.value),
                    }
                    seen += 1
                    if limit is not None and seen >= limit:
                        return
    finally:
        consumer.close()
