from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from streams.worker import (
    EXIT_PUBLISH_FAILED,
    publish_or_die,
    publish_while_suggesting,
    to_raw_record,
)


class Flaky:
    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.calls = 0

    async def __call__(self) -> int:
        self.calls += 1
        if self.calls <= self.failures:
            raise ConnectionError("broker down")
        return 1


async def no_sleep(_: float) -> None:
    return None


def test_publish_retries_until_it_succeeds() -> None:
    send = Flaky(failures=3)
    exits: list[int] = []
    asyncio.run(publish_or_die(send, give_up_after_s=60, sleep=no_sleep, exit_process=exits.append))
    assert send.calls == 4
    assert exits == []


def test_publish_exits_without_ack_when_broker_stays_down() -> None:
    send = Flaky(failures=10**9)
    exits: list[int] = []
    with pytest.raises(ConnectionError):
        asyncio.run(publish_or_die(send, give_up_after_s=0, sleep=no_sleep,
                                   exit_process=exits.append))
    assert exits == [EXIT_PUBLISH_FAILED]


def test_event_becomes_raw_record_with_its_coordinates() -> None:
    message = SimpleNamespace(topic="inbound.sms", partition=2, offset=41, key=b"k",
                              value=b"Body=hi", timestamp=1_763_000_000.5)
    record = to_raw_record(SimpleNamespace(message=message))
    assert record.channel == "sms"
    assert (record.source.topic, record.source.partition, record.source.offset) == (
        "inbound.sms", 2, 41)
    assert record.source.key == "k"
    assert record.timestamp == datetime.fromtimestamp(1_763_000_000.5, UTC)


def test_contacts_sweep_runs_every_so_often_up_to_event_time_never_past_the_wall() -> None:
    from streams.worker import ContactsSweep

    start = 1000.0
    sweep = ContactsSweep(every_s=60, started=start)
    assert not sweep.due(start + 120)  # nothing routed yet: nothing to compare with
    sweep.advance(datetime(2026, 11, 1, tzinfo=UTC))
    sweep.advance(datetime(2026, 10, 1, tzinfo=UTC))  # older: the watermark stays
    assert sweep.due(start + 61) and not sweep.due(start + 62) and sweep.due(start + 122)
    wall = datetime(2026, 11, 2, tzinfo=UTC)
    assert sweep.watermark(wall) == datetime(2026, 11, 1, tzinfo=UTC)
    sweep.advance(datetime(2027, 1, 1, tzinfo=UTC))  # a ticket dated in the future
    assert sweep.watermark(wall) == wall


def test_publish_runs_the_sends_at_once() -> None:
    # each send waits until both have started: one after the other, the first would never end
    async def run() -> list[str]:
        started: list[str] = []
        both = asyncio.Barrier(2)

        def send(name: str) -> Callable[[], Awaitable[int]]:
            async def call() -> int:
                started.append(name)
                await both.wait()
                return 1
            return call

        await asyncio.wait_for(publish_or_die(send("routed"), send("queue"),
                                              give_up_after_s=60, sleep=no_sleep), timeout=10)
        return started

    assert sorted(asyncio.run(run())) == ["queue", "routed"]


def test_publish_retries_only_the_send_that_failed() -> None:
    ok, flaky = Flaky(failures=0), Flaky(failures=2)
    exits: list[int] = []
    asyncio.run(publish_or_die(ok, flaky, give_up_after_s=60, sleep=no_sleep,
                               exit_process=exits.append))
    assert (ok.calls, flaky.calls, exits) == (1, 3, [])


def test_routed_tickets_go_out_while_the_suggestions_are_rendered_then_the_suggestions() -> None:
    # the suggestions are held until the routed send has started: waiting for them before
    # publishing, as the route agent once did, would never end
    from streams.replies_batch import Suggested

    async def run() -> list[str]:
        order: list[str] = []
        routed_started = asyncio.Event()
        rendered = Suggested(items=[(b"tk_1", b"{}", None)], failed=[], by_channel={},
                             answered={}, suppressed={}, auto_send={})

        async def routed() -> int:
            order.append("routed")
            routed_started.set()
            return 1

        async def suggesting() -> Suggested:
            await routed_started.wait()
            order.append("rendered")
            return rendered

        def send_suggestions(s: Suggested) -> Callable[[], Awaitable[int]]:
            async def call() -> int:
                assert s is rendered
                order.append("suggested")
                return len(s.items)
            return call

        got = await asyncio.wait_for(publish_while_suggesting(
            [routed], suggesting(), send_suggestions, give_up_after_s=60, sleep=no_sleep),
            timeout=10)
        assert got is rendered
        return order

    assert asyncio.run(run()) == ["routed", "rendered", "suggested"]


def test_when_publishing_the_routed_tickets_fails_for_good_no_suggestion_is_sent() -> None:
    sent: list[str] = []
    exits: list[int] = []

    async def suggesting() -> object:
        return object()

    def send_suggestions(_: object) -> Callable[[], Awaitable[int]]:
        async def call() -> int:
            sent.append("suggested")
            return 1
        return call

    with pytest.raises(ConnectionError):
        asyncio.run(publish_while_suggesting(
            [Flaky(failures=10**9)], suggesting(), send_suggestions,  # type: ignore[arg-type]
            give_up_after_s=0, sleep=no_sleep, exit_process=exits.append))
    assert (exits, sent) == ([EXIT_PUBLISH_FAILED], [])
