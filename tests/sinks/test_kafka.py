from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

import pytest

from schemas import Source
from sinks.kafka import SCHEMA_HEADER, Item, Sink


class FakeSend:
    def __init__(self, fail: bool = False) -> None:
        self.calls: list[tuple[str, list[Item], list[tuple[str, bytes]]]] = []
        self.delivered = 0
        self.fail = fail

    async def __call__(self, topic: str, items: Sequence[Item],
                       headers: list[tuple[str, bytes]]) -> Any:
        self.calls.append((topic, list(items), headers))

        async def delivery() -> None:
            # the broker answers later, not while send() runs
            acked = asyncio.get_running_loop().create_future()
            asyncio.get_running_loop().call_soon(acked.set_result, None)
            await acked
            if self.fail:
                raise ConnectionError("broker down")
            self.delivered += len(items)

        return delivery()


def test_send_all_sends_every_record_in_one_call_and_waits_for_delivery() -> None:
    send = FakeSend()
    sink = Sink(send, "tickets.deadletter", "source/1")
    records = [("a", Source(topic="t", partition=0, offset=1)),
               ("b", Source(topic="t", partition=1, offset=2))]
    assert asyncio.run(sink.send_all(records)) == 2
    assert send.delivered == 2  # awaited before send_all returned
    [(topic, items, headers)] = send.calls
    assert topic == "tickets.deadletter"
    assert items == [(b"a", records[0][1].model_dump_json().encode(), None),
                     (b"b", records[1][1].model_dump_json().encode(), None)]
    assert (SCHEMA_HEADER, b"source/1") in headers


def test_send_encoded_keeps_explicit_partitions_and_sends_nothing_for_nothing() -> None:
    send = FakeSend()
    sink = Sink(send, "sla.commands", "sla_command/1")
    assert asyncio.run(sink.send_encoded(iter([(None, b"x", 3)]))) == 1
    assert send.calls[0][1] == [(None, b"x", 3)]
    assert asyncio.run(sink.send_encoded([])) == 0
    assert len(send.calls) == 1


def test_a_failed_delivery_raises() -> None:
    sink = Sink(FakeSend(fail=True), "t", "s/1")
    with pytest.raises(ConnectionError):
        asyncio.run(sink.send_encoded([(b"k", b"v", None)]))


def test_encode_is_model_dump_json_as_utf8() -> None:
    from datetime import UTC, datetime

    from schemas import DeadLetter, ErrorCode
    from sinks.kafka import encode

    record = DeadLetter(
        deadletter_id="dl_" + "0" * 24, error_code=ErrorCode.INVALID_JSON,
        reason="Zürich — ✓ 😀 \"quoted\" </script>", payload_base64="e30=", payload_size=2,
        source=Source(topic="inbound.chat", partition=1, offset=2),
        failed_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC))
    assert encode(record) == record.model_dump_json().encode("utf-8")
