"""``take_ahead``: faust's ``take_events`` with the next batch handed over while the body works.

Run through a real faust agent (``Agent.test_context``: faust's own stream, processors, acks
and flow control, no broker); the body holds each batch until the test lets it go.
"""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import faust
from faust.streams import Stream

from streams.faust_adapter import drop_monitor_sensor, take_ahead

MAX = 3


class Harness:
    def __init__(self, within: float) -> None:
        # the broker is never contacted: test_context feeds the agent's channel directly
        self.app = faust.App("take-ahead-test", broker="kafka://127.0.0.1:1",
                             store="memory://")
        self.batches: list[list[Any]] = []  # the events of each batch the body got
        self.done: list[bool] = []  # whether the body has finished with that batch
        self.go = asyncio.Semaphore(0)  # one release: the body finishes one batch
        self.stream: Any = None

        async def body(stream: Any) -> None:
            self.stream = stream
            async for events in take_ahead(stream, MAX, within):
                self.batches.append(events)
                self.done.append(False)
                await self.go.acquire()
                self.done[-1] = True

        self.agent = self.app.agent(self.app.channel(), name="take-ahead", concurrency=1)(body)

    def values(self, index: int) -> list[Any]:
        return [event.value for event in self.batches[index]]

    def acked(self, index: int) -> list[bool]:
        return [event.message.acked for event in self.batches[index]]

    def waiting(self) -> int:
        """Events put but not yet taken off the agent's channel by its stream."""
        return int(self.stream.channel.queue.qsize())


async def until(condition: Callable[[], bool], what: str, timeout_s: float = 5.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.005)  # noqa: sleep  (the poll interval, not a wait for an outcome)


@asynccontextmanager
async def running(within: float = 30.0) -> AsyncIterator[tuple[Harness, Any]]:
    harness = Harness(within)
    async with harness.agent.test_context() as agent:
        yield harness, agent
        for _ in range(20):  # let the body end whatever it still holds
            harness.go.release()


def run(test: Callable[[], Any]) -> None:
    asyncio.run(test())


def test_the_next_batch_is_handed_over_while_the_body_works() -> None:
    async def test() -> None:
        async with running() as (h, agent):
            for value in range(2 * MAX + 1):
                await agent.put(value, wait=False)
            await until(lambda: len(h.batches) == 1, "the first batch")
            # faust's take_events holds the stream at the first event after the batch (MAX
            # left waiting on the channel); here the whole next batch is taken off while the
            # body still holds the first, and only the event after it waits
            await until(lambda: h.waiting() == 1, "the next batch to be handed over")
            assert h.values(0) == [0, 1, 2] and not h.done[0]
            h.go.release()
            await until(lambda: len(h.batches) == 2, "the second batch")
            assert h.values(1) == [3, 4, 5]  # full at once: no `within` wait (30 s here)

    run(test)


def test_a_batch_is_acked_when_the_body_has_finished_with_it_not_before() -> None:
    async def test() -> None:
        async with running() as (h, agent):
            for value in range(2 * MAX):
                await agent.put(value, wait=False)
            await until(lambda: len(h.batches) == 1 and h.waiting() == 0, "the first batch")
            assert h.acked(0) == [False] * MAX
            h.go.release()
            await until(lambda: len(h.batches) == 2, "the second batch")
            assert h.acked(0) == [True] * MAX
            assert h.acked(1) == [False] * MAX  # handed over early, acked only when done
            h.go.release()
            await until(lambda: all(h.acked(1)), "the second batch's acks")

    run(test)


def test_a_partial_batch_is_yielded_within_seconds_after_its_first_event() -> None:
    async def test() -> None:
        async with running(within=0.05) as (h, agent):
            await agent.put("only", wait=False)
            await until(lambda: len(h.batches) == 1, "a batch of one")
            assert h.values(0) == ["only"]
            await agent.put("next", wait=False)
            h.go.release()
            await until(lambda: len(h.batches) == 2, "the next batch of one")
            assert h.values(1) == ["next"]

    run(test)


def test_on_a_rebalance_every_event_handed_over_is_worked_through_and_acked() -> None:
    """faust lets revoked partitions go only once every event handed over to a stream is acked
    (``Consumer.wait_empty``), and the stream keeps a reference to the last one it handed over:
    the batch ahead must not be dropped when flow control clears faust's queues."""

    async def test() -> None:
        async with running(within=0.05) as (h, agent):
            put = [await agent.put(value, wait=False) for value in range(2 * MAX + 1)]
            await until(lambda: len(h.batches) == 1 and h.waiting() == 1, "the batch ahead")
            h.app.flow_control.clear()  # what App._on_partitions_revoked does first
            h.go.release()
            await until(lambda: len(h.batches) == 2, "the batch ahead")
            assert [h.values(0), h.values(1)] == [[0, 1, 2], [3, 4, 5]]
            h.go.release()
            await until(lambda: all(event.message.acked for event in put[:2 * MAX]),
                        "the acks of both batches")
            # the event still on the channel was cleared with faust's queues, never handed
            # over: recovery's seek to the committed offset reads it again
            assert not put[-1].message.acked and len(h.batches) == 2

    run(test)


def test_each_batch_tells_faust_when_its_partitions_stream_last_took_an_event() -> None:
    """With faust's Monitor out of the per-record path (as in the worker's app), faust's
    slow-processing check would find no stream ever took an event, and log "Stream has not
    started processing" at ERROR for every busy partition after 5 minutes."""

    async def test() -> None:
        async with running() as (h, agent):
            h.app.on_init_dependencies()
            drop_monitor_sensor(h.app)
            inbound = h.app.monitor.stream_inbound_time
            before = time.monotonic()
            put = [await agent.put(value, wait=False) for value in range(MAX)]
            await until(lambda: len(h.batches) == 1, "the first batch")
            tps = {p.message.tp for p in put}
            assert tps and all(before <= inbound[tp] <= time.monotonic() for tp in tps)
            first = {tp: inbound[tp] for tp in tps}
            for value in range(MAX):
                await agent.put(value, wait=False)
            h.go.release()
            await until(lambda: len(h.batches) == 2, "the second batch")
            assert all(inbound[tp] >= first[tp] for tp in tps)

    run(test)


def test_faust_still_reads_stream_inbound_time_from_its_monitor() -> None:
    from faust.transport.drivers.aiokafka import AIOKafkaConsumerThread

    check = inspect.getsource(AIOKafkaConsumerThread.verify_event_path)
    assert "monitor.stream_inbound_time" in check


def test_faust_still_has_what_take_ahead_relies_on() -> None:
    """take_ahead is faust's take_events with a batch of room: the same stream internals, and
    a rebalance still waits for every event handed over to be acked."""
    take_events = inspect.getsource(Stream.take_events)
    for name in ("add_processor", "_enable_passive", "enable_acks", "_processors.remove",
                 "current_event", "self.ack(event)"):
        assert name in take_events, name
    assert hasattr(Stream, "_active_agens") or "_active_agens" in inspect.getsource(Stream)
    revoked = inspect.getsource(faust.App._on_partitions_revoked)
    assert "_consumer_wait_empty" in revoked
