"""The faust adapter: the recovery race (faust-streaming #596) reproduced deterministically
against faust's own consumer and shown closed in ours; fatal gaps and holes; and one canary per
workaround that fails when a faust or aiokafka upgrade changes what it relies on.

The race is driven through the real drain loop (``Consumer._drain_messages``) of a real faust
consumer object; only the broker side is replaced: ``getmany`` hands out scripted batches and
``seek_to_committed`` answers the committed offset. The interleavings are the two traced in
``../shared/findings/failover-loss.md``.
"""

from __future__ import annotations

import asyncio
import hashlib
import inspect
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import faust
import pytest
from faust.serializers import codecs
from faust.transport.consumer import Consumer as FaustBaseConsumer
from faust.transport.drivers import aiokafka as faust_aiokafka
from faust.types import TP
from prometheus_client import CollectorRegistry

from streams.faust_adapter import (
    EXIT_OFFSET_ANOMALY,
    GuardedConsumer,
    OffsetGuard,
    build_transport,
    run_eagerly,
    send_batches,
    table_key,
    table_value,
)

TOPIC = "inbound.email"
PART = TP(TOPIC, 2)
OTHER = TP(TOPIC, 3)  # never committed
CHANGELOG = TP("app-table-changelog", 2)
COMMITTED = 81
BATCH = list(range(81, 99))  # 81..98, as in the traced trial


@dataclass
class Message:
    topic: str
    partition: int
    offset: int
    key: bytes | None = None
    value: bytes = b""

    @property
    def tp(self) -> TP:
        return TP(self.topic, self.partition)


class Exited(Exception):
    def __init__(self, status: int) -> None:
        self.status = status


def raise_exit(status: int) -> None:
    raise Exited(status)


@dataclass
class Clock:
    now: float = 0.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Harness:
    """A consumer whose broker side is scripted. ``queue`` is the agent's stream buffer: what
    the callback delivered and nobody cleared yet."""

    consumer: Any
    app: faust.App
    queue: list[int] = field(default_factory=list)
    fetches: list[Callable[[], AsyncIterator[tuple[TP, Message]]]] = field(default_factory=list)
    on_delivered: dict[int, Callable[[], Awaitable[None]]] = field(default_factory=dict)
    rewound: set[TP] = field(default_factory=set)  # partitions sought to their beginning
    others: list[tuple[TP, int]] = field(default_factory=list)  # delivered, not of PART
    sought: list[tuple[TP, int]] = field(default_factory=list)  # single-partition seeks
    exhausted: asyncio.Event = field(default_factory=asyncio.Event)

    async def recovery_seek(self) -> None:
        """What ``Recovery.on_recovery_completed`` does to a stream partition: seek to the
        committed offset, then resume flow, which clears the stream buffers."""
        await self.consumer.perform_seek()
        self.queue.clear()

    async def drain(self) -> None:
        fetcher = faust.Service()  # only its _stopped event is read
        task = asyncio.create_task(self.consumer._drain_messages(fetcher))
        done = asyncio.ensure_future(self.exhausted.wait())
        await asyncio.wait({task, done}, timeout=5, return_when=asyncio.FIRST_COMPLETED)
        done.cancel()
        fetcher._stopped.set()
        self.consumer._stopped.set()
        await asyncio.wait_for(task, 5)

    def ack_all(self) -> None:
        """The agent processes and acks what is in its buffer, in order."""
        for offset in sorted(set(self.queue)):
            self.consumer.ack(_AckMessage(TOPIC, PART.partition, offset))


@dataclass(eq=False)  # hashable by identity, as faust's messages are
class _AckMessage(Message):
    acked: bool = False
    __hash__ = object.__hash__


def make_harness(consumer_class: str, guard: OffsetGuard | None = None) -> Harness:
    """Call inside the event loop that drives it: faust's services bind to the running one."""
    app = faust.App("adapter-test", broker="kafka://127.0.0.1:1", autodiscover=False,
                    store="memory://")
    guard = guard or OffsetGuard.with_registry(CollectorRegistry(), exit_process=raise_exit)
    transport_class = (build_transport(guard, 100) if consumer_class == "ours"
                       else faust_aiokafka.Transport)
    transport = transport_class(app.conf.broker_consumer, app)
    harness: Harness

    async def callback(message: Message) -> None:
        if message.tp == PART:
            harness.queue.append(message.offset)
        else:
            harness.others.append((message.tp, message.offset))
        hook = harness.on_delivered.pop(message.offset, None)
        if hook is not None:
            await hook()

    async def noop(*args: Any, **kwargs: Any) -> None:
        return None

    consumer = transport.create_consumer(
        callback=callback, on_partitions_revoked=noop, on_partitions_assigned=noop)
    harness = Harness(consumer=consumer, app=app)

    async def getmany(timeout: float) -> AsyncIterator[tuple[TP, Message]]:
        if not harness.fetches:
            harness.exhausted.set()  # every scripted fetch was consumed
            return
        async for item in harness.fetches.pop(0)():
            yield item

    async def seek_to_committed() -> dict[TP, int]:
        return {PART: COMMITTED}

    async def seek(tp: TP, offset: int) -> None:
        harness.sought.append((tp, offset))  # the scripted fetches say what comes from there

    async def seek_to_beginning(tps: set[TP]) -> None:
        harness.rewound.update(tps)

    consumer.getmany = getmany
    consumer._seek = seek
    consumer._seek_to_beginning = seek_to_beginning
    consumer.assignment = lambda: {PART, OTHER, CHANGELOG}
    consumer._is_changelog_tp = lambda tp: tp == CHANGELOG
    consumer.seek_to_committed = seek_to_committed
    app.topics.acks_enabled_for = lambda topic: True  # type: ignore[method-assign]
    consumer._committed_offset[PART] = COMMITTED
    consumer._read_offset[PART] = COMMITTED
    if isinstance(consumer, GuardedConsumer):
        consumer._next_offset[PART] = COMMITTED
    return harness


def batch(offsets: list[int], before: Callable[[], Awaitable[None]] | None = None,
          tp: TP = PART) -> Callable[[], AsyncIterator[tuple[TP, Message]]]:
    return mixed([(tp, offset) for offset in offsets], before)


def mixed(records: list[tuple[TP, int]], before: Callable[[], Awaitable[None]] | None = None
          ) -> Callable[[], AsyncIterator[tuple[TP, Message]]]:
    async def fetch() -> AsyncIterator[tuple[TP, Message]]:
        if before is not None:
            await before()
        for tp, offset in records:
            yield tp, Message(tp.topic, tp.partition, offset)
    return fetch


def result_a(harness: Harness) -> None:
    """Recovery's seek lands while the drain loop is handing over record 88 of a prefetched
    batch 81..98; resuming flow clears 81..88 from the buffer. Then the refetch from 81."""
    harness.fetches = [batch(BATCH), batch(BATCH)]
    harness.on_delivered[88] = harness.recovery_seek


def result_b(harness: Harness) -> None:
    """The seek lands while a fetch is in flight; the fetch then returns records 89..98 from
    the old position (81..88 were in the buffer and are cleared). Then the refetch from 81."""
    harness.fetches = [batch(list(range(81, 89))), batch(list(range(89, 99)),
                                                         before=harness.recovery_seek),
                       batch(BATCH)]


SCENARIOS = {"A: stuck hole": result_a, "B: gap committed": result_b}


def drained(consumer_class: str, setup: Callable[[Harness], None],
            guard: OffsetGuard | None = None) -> Harness:
    """A harness built and drained in one event loop (faust's services bind to the running
    loop), returned for the synchronous checks (acks, commits) that follow."""

    async def go() -> Harness:
        harness = make_harness(consumer_class, guard)
        setup(harness)
        await harness.drain()
        return harness

    return asyncio.run(go())


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_faust_own_consumer_loses_records_in_the_race(scenario: str) -> None:
    """Today's faust: after the race, 81..88 are never in the agent's buffer again, and what is
    committed skips them or never moves. If this starts failing, faust fixed #596: re-check
    whether GuardedConsumer is still needed."""
    harness = drained("faust", SCENARIOS[scenario])
    assert not set(range(81, 89)) <= set(harness.queue)
    harness.ack_all()
    committed_to = harness.consumer._new_offset(PART)
    # A: commits blocked forever at 81 (None); B: the gap is filled in and 81..88 committed
    assert committed_to is None or committed_to > 88


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_guarded_consumer_redelivers_everything_after_the_race(scenario: str) -> None:
    harness = drained("ours", SCENARIOS[scenario])
    assert set(BATCH) <= set(harness.queue)
    harness.ack_all()
    assert harness.consumer._new_offset(PART) == 99
    assert not harness.consumer._gap[PART]  # nothing was marked acked unprocessed


def test_a_fetch_that_skipped_existing_records_stops_the_worker() -> None:
    queue: list[int] = []

    def setup(harness: Harness) -> None:
        # 83..89 exist: read again from 83 after the jump, they come
        harness.fetches = [batch([81, 82, 90]), batch(list(range(83, 92)))]
        harness.queue = queue

    with pytest.raises(Exited) as exited:
        drained("ours", setup)
    assert exited.value.status == EXIT_OFFSET_ANOMALY
    assert queue == [81, 82]  # 90 was not delivered, nor anything after the verdict


def test_offsets_the_log_does_not_hold_are_counted_not_fatal() -> None:
    """Read again from 83, the log still goes on at 90 (retention, or a write the broker lost
    with its producer): restarting could not help, so the worker goes on."""

    def setup(harness: Harness) -> None:
        harness.fetches = [batch([81, 82, 90]), batch([90, 91])]

    harness = drained("ours", setup)
    assert harness.queue == [81, 82, 90, 91]
    assert harness.consumer.guard.anomalies.labels("log_gap")._value.get() == 1
    harness.ack_all()
    assert harness.consumer._new_offset(PART) == 92  # 83..89 need no ack: nothing is there


def test_records_dropped_as_stale_are_fetched_again_from_the_seek_position() -> None:
    """A fetch that was under way during the seek may return records from the new position;
    dropping them moved aiokafka past them, so the partition is sought back to where the
    seek put it (the committed offset) and they come again."""

    def setup(harness: Harness) -> None:
        harness.fetches = [batch(BATCH, before=harness.recovery_seek), batch(BATCH)]

    harness = drained("ours", setup)
    assert harness.sought == [(PART, COMMITTED)]
    assert harness.queue == BATCH


def test_seeking_one_partition_keeps_the_rest_of_the_batch_for_the_others() -> None:
    """Recovery seeks changelog partitions while stream records are in the same batch: only
    the sought partition's records are stale (dropping all of them lost the batch's tail)."""

    def setup(harness: Harness) -> None:
        async def seek_changelog() -> None:
            await harness.consumer.seek(CHANGELOG, 0)

        harness.on_delivered[81] = seek_changelog
        harness.fetches = [mixed([(PART, 81), (CHANGELOG, 5), (OTHER, 0), (PART, 82),
                                  (CHANGELOG, 6), (OTHER, 1)])]

    harness = drained("ours", setup)
    assert harness.queue == [81, 82]
    assert harness.others == [(OTHER, 0), (OTHER, 1)]  # changelog 5, 6: fetched before the seek


def test_after_a_rebalance_a_partition_never_committed_is_read_from_its_beginning() -> None:
    """Its records handed over before the rebalance were cleared from the stream buffers,
    unacked; faust left the fetch position past them."""

    def setup(harness: Harness) -> None:
        harness.fetches = [batch([], before=harness.consumer.perform_seek)]

    harness = drained("ours", setup)
    assert harness.rewound == {OTHER}  # not PART (committed), not the changelog


def test_a_hole_blocks_commits_and_stops_the_worker_when_it_lasts() -> None:
    clock = Clock()
    guard = OffsetGuard.with_registry(CollectorRegistry(), exit_process=raise_exit,
                                      clock=clock, hole_timeout_s=10)
    harness = drained("ours", lambda harness: None, guard)
    harness.queue = [82, 83]  # 81 was never acked
    harness.ack_all()
    assert harness.consumer._new_offset(PART) is None  # faust would commit 84 here
    clock.now = 9.9
    assert harness.consumer._new_offset(PART) is None
    clock.now = 10.0
    with pytest.raises(Exited) as exited:
        harness.consumer._new_offset(PART)
    assert exited.value.status == EXIT_OFFSET_ANOMALY
    assert guard.anomalies.labels("hole")._value.get() == 1


def test_faust_commits_past_a_one_record_hole() -> None:
    """Why ``_new_offset`` is overridden: faust's check is ``min(acked) - committed > 1``."""
    harness = drained("faust", lambda harness: None)
    harness.queue = [82, 83]
    harness.ack_all()
    assert harness.consumer._new_offset(PART) == 84


def test_a_hole_that_closes_in_time_is_forgotten() -> None:
    clock = Clock()
    guard = OffsetGuard.with_registry(CollectorRegistry(), exit_process=raise_exit,
                                      clock=clock, hole_timeout_s=10)
    harness = drained("ours", lambda harness: None, guard)
    harness.queue = [82]
    harness.ack_all()
    assert harness.consumer._new_offset(PART) is None
    harness.queue = [81]
    harness.ack_all()
    clock.now = 60
    assert harness.consumer._new_offset(PART) == 83


# ---------------------------------------------------------------------------------------------
# Canaries: each fails when an upgrade changes what a workaround relies on.


def test_a_hand_over_that_waits_is_cut_off_by_a_flow_stop_and_read_again() -> None:
    """A hand-over that finishes without waiting runs in the drain loop itself; one that waits
    (a full stream buffer, flow control) still races the flow stop as in faust's loop: cut off,
    its record is not counted as read, and it comes again from where the last one left off."""
    cut_off: list[int] = []

    def setup(harness: Harness) -> None:
        async def full_buffer() -> None:
            harness.queue.pop()  # 85 is not in the buffer until there is room
            asyncio.get_running_loop().call_soon(harness.consumer.stop_flow)
            try:
                await asyncio.get_running_loop().create_future()  # no room comes
            except asyncio.CancelledError:
                cut_off.append(85)
                raise

        harness.on_delivered[85] = full_buffer
        harness.fetches = [batch(BATCH), batch(list(range(85, 99)))]

    harness = drained("ours", setup)
    assert cut_off == [85]
    assert harness.sought == [(PART, 85)]
    assert harness.queue == BATCH


def _run(coro: Awaitable[Any]) -> Any:
    return asyncio.run(coro)  # type: ignore[arg-type]


def test_run_eagerly_finishes_a_coroutine_that_never_waits_on_the_spot() -> None:
    done: list[str] = []

    async def hand_over() -> None:
        done.append("delivered")

    assert run_eagerly(hand_over()) is None
    assert done == ["delivered"]


def test_run_eagerly_raises_what_the_coroutine_raised() -> None:
    async def broken() -> None:
        raise ValueError("undecodable")

    with pytest.raises(ValueError, match="undecodable"):
        run_eagerly(broken())


def test_run_eagerly_hands_back_the_rest_of_a_coroutine_that_waits() -> None:
    steps: list[str] = []

    async def go() -> str:
        room = asyncio.get_running_loop().create_future()

        async def hand_over() -> str:
            steps.append("before")
            value = await room
            steps.append(f"after {value}")
            return "delivered"

        rest = run_eagerly(hand_over())
        assert rest is not None and steps == ["before"]
        task = asyncio.ensure_future(rest)
        await asyncio.sleep(0)  # noqa: sleep  (one loop step: the task runs to its wait)
        assert not task.done()
        room.set_result("room")
        return await task

    assert _run(go()) == "delivered"
    assert steps == ["before", "after room"]


def test_cancelling_the_rest_cancels_the_coroutine() -> None:
    """What ``wait_first`` does to the hand-over when the flow stops first."""
    seen: list[str] = []

    async def go() -> None:
        async def hand_over() -> None:
            try:
                await asyncio.get_running_loop().create_future()
            except asyncio.CancelledError:
                seen.append("cancelled")
                raise

        rest = run_eagerly(hand_over())
        assert rest is not None
        task = asyncio.ensure_future(rest)
        await asyncio.sleep(0)  # noqa: sleep  (one loop step: the task runs to its wait)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    _run(go())
    assert seen == ["cancelled"]


def _source_digest(obj: Any) -> str:
    return hashlib.sha256(inspect.getsource(obj).encode()).hexdigest()[:16]


def test_drain_loop_is_the_one_our_copy_was_made_from() -> None:
    """GuardedConsumer._drain_messages is faust 0.15.3's loop with the epoch check and fatal
    gaps. A changed upstream loop must be merged by hand: compare, update, then this digest."""
    assert _source_digest(FaustBaseConsumer._drain_messages) == "44a2500309e83c63"


def test_recovery_still_seeks_after_resuming_partitions() -> None:
    """The ordering behind #596 (resume, then seek, then resume flow clearing buffers). If it
    changes, the race may be gone upstream: re-run bench failover without the guard."""
    from faust.tables.recovery import Recovery

    source = inspect.getsource(Recovery.on_recovery_completed)
    assert source.index("consumer.resume_partitions") < source.index("perform_seek")
    assert source.index("perform_seek") < source.index("self.app.flow_control.resume()")


def test_fetch_wait_reaches_aiokafka() -> None:
    """faust hard-codes 1500 ms; we set aiokafka's private ``_fetch_max_wait_ms``."""
    from aiokafka import AIOKafkaConsumer

    assert "_fetch_max_wait_ms" in inspect.getsource(AIOKafkaConsumer.__init__)
    assert "_create_worker_consumer" in vars(faust_aiokafka.AIOKafkaConsumerThread)


def test_faust_producer_still_wraps_an_aiokafka_producer() -> None:
    """``aiokafka_producer`` reaches aiokafka's producer the way faust's ``send`` does."""
    assert "_ensure_producer" in vars(faust_aiokafka.Producer)
    assert "self._ensure_producer()" in inspect.getsource(faust_aiokafka.Producer.send)


def test_aiokafka_send_still_sizes_and_partitions_as_send_batches_does() -> None:
    """``send_batches`` calls what ``AIOKafkaProducer.send`` calls for each record, so a record
    lands on the partition ``send`` would have chosen."""
    from aiokafka import AIOKafkaProducer
    from aiokafka.producer.message_accumulator import BatchBuilder

    send = inspect.getsource(AIOKafkaProducer.send)
    assert "self._serialize(key, value, headers)" in send
    assert "self._partition(" in send
    assert list(inspect.signature(AIOKafkaProducer._partition).parameters) == [
        "self", "topic", "partition", "key", "value", "serialized_key", "serialized_value"]
    # what faust_adapter._partitioning does once per call instead of per record
    partition = inspect.getsource(AIOKafkaProducer._partition)
    for step in ("if partition is not None:",
                 "assert partition in self._metadata.partitions_for_topic(topic)",
                 "all_partitions = list(self._metadata.partitions_for_topic(topic))",
                 "available = list(self._metadata.available_partitions_for_topic(topic))",
                 "return self._partitioner(serialized_key, all_partitions, available)"):
        assert step in partition
    assert list(inspect.signature(AIOKafkaProducer.send_batch).parameters) == [
        "self", "batch", "topic", "partition"]
    assert {"timestamp", "key", "value", "headers"} <= set(
        inspect.signature(BatchBuilder.append).parameters)


def test_the_apps_producer_partitions_keys_like_kafka() -> None:
    """Co-partitioning: faust configures aiokafka's DefaultPartitioner, murmur2 as Kafka's Java
    client (vectors from Kafka's UtilsTest, as unsigned 32-bit)."""
    from aiokafka.partitioner import DefaultPartitioner, murmur2

    app = faust.App("adapter-test", broker="kafka://localhost:1")
    assert isinstance(app.producer.partitioner, DefaultPartitioner)
    assert murmur2(b"21") == -973932308 % 2**32
    assert murmur2(b"foobar") == -790332482 % 2**32
    assert murmur2(b"abc") == 479470107


@dataclass
class CapturingProducer:
    """A real (never started) AIOKafkaProducer whose metadata says 4 partitions and whose
    ``send_batch`` records what it is given."""

    producer: Any = None
    sent: list[tuple[str, int, list[tuple[bytes | None, bytes]]]] = field(default_factory=list)
    fail_partition: int | None = None

    async def start(self, max_batch_size: int = 16384) -> Any:
        from aiokafka import AIOKafkaProducer
        from aiokafka.partitioner import DefaultPartitioner

        producer = AIOKafkaProducer(bootstrap_servers="localhost:1", max_batch_size=max_batch_size,
                                    partitioner=DefaultPartitioner())
        producer._metadata.partitions_for_topic = lambda topic: {0, 1, 2, 3}
        producer._metadata.available_partitions_for_topic = lambda topic: {0, 1, 2, 3}

        async def partitions_for(topic: str) -> set[int]:
            return {0, 1, 2, 3}

        async def send_batch(batch: Any, topic: str, *, partition: int) -> asyncio.Future[Any]:
            from aiokafka.record.default_records import DefaultRecordBatch

            records = [(r.key, r.value) for r in DefaultRecordBatch(bytes(batch._build()))]
            self.sent.append((topic, partition, records))
            future = asyncio.get_running_loop().create_future()
            if partition == self.fail_partition:
                future.set_exception(ConnectionError("broker down"))
            else:
                future.set_result(None)
            return future

        producer.partitions_for = partitions_for
        producer.send_batch = send_batch
        self.producer = producer
        return producer


def kafka_partition(key: bytes, partitions: int = 4) -> int:
    from aiokafka.partitioner import murmur2

    return (murmur2(key) & 0x7FFFFFFF) % partitions


def test_send_batches_sends_one_batch_per_partition_where_send_would() -> None:
    keys = [f"customer:C{i:04d}".encode() for i in range(40)]

    async def run() -> CapturingProducer:
        capture = CapturingProducer()
        producer = await capture.start()
        items = [(key, b"v%d" % i, None) for i, key in enumerate(keys)]
        items.append((None, b"explicit", 2))
        await (await send_batches(producer, "tickets.normalized", items, [("h", b"1")]))
        for key in keys:  # what AIOKafkaProducer.send would have chosen
            assert producer._partition("t", None, key, b"", key, b"") == kafka_partition(key)
        with pytest.raises(AssertionError, match="Unrecognized partition"):  # as send
            await send_batches(producer, "t", [(None, b"v", 4)])
        await producer.stop()
        return capture

    capture = asyncio.run(run())
    assert sorted(p for _, p, _ in capture.sent) == [0, 1, 2, 3]  # one batch each
    for topic, partition, records in capture.sent:
        assert topic == "tickets.normalized"
        expected = [(k, b"v%d" % i) for i, k in enumerate(keys) if kafka_partition(k) == partition]
        if partition == 2:
            expected.append((None, b"explicit"))
        assert records == expected  # every record, in input order


def test_send_batches_starts_a_new_batch_when_one_is_full() -> None:
    async def run() -> CapturingProducer:
        capture = CapturingProducer()
        producer = await capture.start(max_batch_size=1000)
        items = [(None, bytes([i]) * 300, 1) for i in range(7)]
        await (await send_batches(producer, "t", items))
        await producer.stop()
        return capture

    capture = asyncio.run(run())
    assert len(capture.sent) > 1
    assert [v for _, _, records in capture.sent for _, v in records] == [
        bytes([i]) * 300 for i in range(7)]


def test_send_batches_delivery_fails_when_one_batch_fails() -> None:
    async def run() -> None:
        capture = CapturingProducer(fail_partition=1)
        producer = await capture.start()
        delivered = await send_batches(producer, "t", [(None, b"a", 0), (None, b"b", 1)])
        with pytest.raises(ConnectionError):
            await delivered
        await producer.stop()

    asyncio.run(run())


def test_table_keys_use_the_tables_json_codec() -> None:
    assert table_key("cust:1") == b'"cust:1"'


def test_table_values_decode_with_the_tables_own_codec() -> None:
    # what recovery does with a changelog record: faust's codec of the table's value type
    state = {"v": 3, "c": [["tk_1", 1_764_000_000.5, ["104512"], "cv_1", None, "refund",
                            ["tk_2", 1_764_000_100.0]]], "note": "café – 5 €"}
    assert codecs.loads("json", table_value("json", state)) == state
    assert table_value("raw", b'{"a":1}') == b'{"a":1}'


def test_table_writes_inside_take_still_need_the_explicit_partition() -> None:
    """#497: a table write reads the changelog partition from the current event."""
    from faust.tables.base import Collection

    assert "current_event" in inspect.getsource(Collection.partition_for_key)


def test_take_events_acks_in_finally() -> None:
    """#315: a batch is acked when the body ends, even if it raised — so bodies never raise."""
    from faust.streams import Stream

    source = inspect.getsource(Stream.take_events)
    assert "finally" in source and "ack" in source


def test_in_recovery_is_not_declared_on_the_app() -> None:
    assert "in_recovery" not in vars(faust.App)


def test_faust_consumer_still_has_the_hooks_we_override() -> None:
    for name in ("perform_seek", "seek", "stop_flow", "on_partitions_revoked", "_new_offset",
                 "_drain_messages", "_new_consumer_thread"):
        assert hasattr(faust_aiokafka.Consumer, name), name


def test_faust_adds_its_monitor_to_the_sensors_and_our_app_takes_it_out() -> None:
    """faust calls every sensor on every record; its Monitor is added when the app starts
    (``on_init_dependencies``) and feeds faust's web views, which are off (and one check,
    kept by take_ahead: tests/streams/test_take_ahead.py)."""
    from core.settings import Settings
    from streams.app import build_app

    plain = faust.App("adapter-test", broker="kafka://localhost:1", web_enabled=False)
    plain.on_init_dependencies()
    assert plain.monitor in set(plain.sensors)

    guard = OffsetGuard.with_registry(CollectorRegistry(), exit_process=raise_exit)
    app = build_app(Settings(), "127.0.0.1:1", guard)
    app.on_init_dependencies()
    assert app.monitor not in set(app.sensors)
    # the consumer still reports end offsets and commits to the monitor itself
    app.monitor.track_tp_end_offset(PART, 99)
    app.monitor.on_tp_commit({PART: 81})
    # faust's record path goes through the sensor delegate, which no longer reaches it
    app.sensors.on_message_in(PART, 81, Message(TOPIC, 2, 81))
    assert app.monitor.messages_received_total == 0


def test_a_rebalance_still_reaches_the_monitor_without_a_missing_state_warning(
        caplog: pytest.LogCaptureFixture) -> None:
    """faust warns "Missing sensor state for rebalance" when no sensor returns a state at the
    start of a rebalance; the monitor's rebalance hooks stay, as a sensor of their own."""
    from core.settings import Settings
    from streams.app import build_app

    guard = OffsetGuard.with_registry(CollectorRegistry(), exit_process=raise_exit)
    app = build_app(Settings(), "127.0.0.1:1", guard)
    app.on_init_dependencies()
    app.monitor.stream_inbound_time[PART] = 1.0
    with caplog.at_level(logging.WARNING):
        app.on_rebalance_start()
        app.on_rebalance_return()
        app.on_rebalance_end()
    assert "Missing sensor state" not in caplog.text
    assert app.monitor.rebalances == 1
    assert len(app.monitor.rebalance_return_latency) == 1
    assert len(app.monitor.rebalance_end_latency) == 1
    assert PART not in app.monitor.stream_inbound_time  # cleared at the start, as faust does


def test_key_partition_is_where_the_producer_puts_a_keyed_record() -> None:
    """The app's producer partitions with KeyPartitioner, faust's configures it on aiokafka's
    producer; key_partition must agree, or expiry would look on the wrong partition."""
    from aiokafka.partitioner import DefaultPartitioner

    from core.settings import Settings
    from streams.app import build_app
    from streams.faust_adapter import KeyPartitioner, key_partition

    guard = OffsetGuard.with_registry(CollectorRegistry(), exit_process=raise_exit)
    app = build_app(Settings(), "127.0.0.1:1", guard)
    assert isinstance(app.conf.producer_partitioner, KeyPartitioner)
    assert app.producer._settings_default()["partitioner"] is app.conf.producer_partitioner
    keys = [f"customer-{i}".encode() for i in range(200)]
    kafka = DefaultPartitioner()
    assert [key_partition(k, 4) for k in keys] == [kafka(k, [0, 1, 2, 3], []) for k in keys]
    assert {key_partition(k, 4) for k in keys} == {0, 1, 2, 3}


def test_key_partitioner_is_kafkas_murmur2_whether_it_remembers_the_key_or_not() -> None:
    from aiokafka.partitioner import DefaultPartitioner

    from streams.faust_adapter import KeyPartitioner

    kafka, ours = DefaultPartitioner(), KeyPartitioner(remembered=8)
    keys = [f"ticket-{i % 20}".encode() for i in range(100)]  # repeats, beyond what it keeps
    for n in (1, 3, 4, 7):
        parts = list(range(10, 10 + n))  # the partition ids, not their positions
        assert [ours(k, parts, parts) for k in keys] == [kafka(k, parts, parts) for k in keys]
    assert ours(None, [0, 1, 2, 3], [2]) == 2  # no key: one of the available ones


def test_rocksdb_tables_are_written_and_read_by_partition_not_by_current_event(
        tmp_path: Any) -> None:
    """faust's RocksDB store reads and writes the *current event's* partition; inside ``take``
    that is the batch's last record. ``write_table_batch`` and ``table_reader`` must use the
    given partition / find the key wherever it is, and record the changelog offset reached."""
    import weakref
    from types import SimpleNamespace

    from faust.streams import _current_event

    from streams.faust_adapter import _persist_offsets, _store_put, table_reader

    async def run() -> None:
        app = faust.App("rocks-test", store="rocksdb://", datadir=str(tmp_path),
                        autodiscover=False)
        table = app.Table("t", default=None, partitions=4, value_type=bytes)
        _store_put(table, 2, "on-two", b"v2")
        _store_put(table, 0, "on-zero", b"v0")
        assert table.data._db_for_partition(2)[table.data._encode_key("on-two")] == b"v2"

        class Event:  # weak-referenceable, as faust's events are
            message = SimpleNamespace(partition=0)

        last = Event()
        token = _current_event.set(weakref.ref(last))  # as inside take, after a p0 record
        try:
            assert table.get("on-two") is None  # faust's own read misses it: why we have ours
            read = table_reader(table)
            assert (read("on-two"), read("on-zero"), read("nowhere")) == (b"v2", b"v0", None)
        finally:
            _current_event.reset(token)

        _store_put(table, 2, "on-two", None)
        assert table_reader(table)("on-two") is None

        done: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        done.set_result([  # send_batches: one metadata (first offset) per batch
            SimpleNamespace(topic="rocks-test-t-changelog", partition=2, offset=41),
            SimpleNamespace(topic="rocks-test-t-changelog", partition=0, offset=7),
            SimpleNamespace(topic="rocks-test-t-changelog", partition=2, offset=40)])
        _persist_offsets(table.data, done)
        assert table.data.persisted_offset(TP("rocks-test-t-changelog", 2)) == 41
        assert table.data.persisted_offset(TP("rocks-test-t-changelog", 0)) == 7

    asyncio.run(run())
