"""Publishing records to Kafka from inside a faust agent, and waiting until the broker has them.

Waiting matters: faust acks the batch's input offsets as soon as the agent body returns, so an
unawaited send lost in a crash would be a lost ticket. Awaiting delivery gives at-least-once;
deterministic ids let consumers dedupe the rare redelivery.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel

SCHEMA_HEADER = "ticketflow-schema"


def encode(record: BaseModel) -> bytes:
    return record.model_dump_json().encode("utf-8")


class TopicSink:
    """Sends (key, record) pairs to one faust topic and awaits their delivery."""

    def __init__(self, topic: Any, schema: str) -> None:
        self.topic = topic
        self.headers = {SCHEMA_HEADER: schema.encode(), "content-type": b"application/json"}

    async def send_all(self, items: Iterable[tuple[str, BaseModel]]) -> int:
        pending = [
            await self.topic.send(key=key.encode(), value=encode(record), headers=self.headers)
            for key, record in items
        ]
        if pending:
            await asyncio.gather(*pending)
        return len(pending)


class ProducerSink:
    """Like :class:`TopicSink`, but straight to the app's producer: faust's per-message topic
    machinery (FutureMessage, codecs, callbacks) cost ~0.8 ms a message under load, the
    producer itself ~0.05 ms. Values are already-encoded JSON, so nothing is lost."""

    def __init__(self, app: Any, topic: str, schema: str) -> None:
        self.app = app
        self.topic = topic
        self.headers = [(SCHEMA_HEADER, schema.encode()), ("content-type", b"application/json")]

    async def send_all(self, items: Iterable[tuple[str, BaseModel]]) -> int:
        producer = self.app.producer
        pending = [
            await producer.send(self.topic, key.encode(), encode(record), None, None,
                                self.headers)
            for key, record in items
        ]
        if pending:
            await asyncio.gather(*pending)
        return len(pending)
