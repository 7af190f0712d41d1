"""Every faust-streaming / aiokafka workaround ticketflow relies on, in one module, each with the
upstream issue or the measurement behind it. ``tests/streams/test_faust_adapter.py`` has a test
for each that fails when a faust or aiokafka upgrade changes what the workaround depends on.

| workaround | why |
|---|---|
| ``GuardedConsumer`` drain loop | faust-streaming #596: after a rebalance, records fetched *before*
  recovery's seek were still delivered (or recorded as an offset gap and committed unprocessed),
  and records cleared from the stream queues were never fetched again: tickets lost silently.
  Here a record fetched before a seek/flow stop is never delivered and never moves the read
  offset; the fetch position the seek set is the only source of records. |
| ``OffsetGuard`` | "never skip silently": on these topics (not compacted, not transactional) a
  fetch that skips existing records, or a hole at the head of acked offsets that blocks
  commits, is a bug. It is logged at ERROR, counted, and the worker exits with
  ``EXIT_OFFSET_ANOMALY`` so a supervisor restarts it from the committed offset
  (deterministic ids make the redone work harmless). faust itself commits past a one-record
  hole (``min(acked) - committed > 1``) and turns a gap into acked offsets (#312/#313, #596).
  A gap is first read again: offsets the log itself does not hold (retention; Tansu loses
  the offsets of a write whose producer was killed mid-request) are counted and logged,
  not fatal, since a restart would meet them again. |
| fetch wait | faust hard-codes ``fetch_max_wait_ms=1500``; Tansu holds fetches for much of it,
  which made SLA tick commands up to 0.7 s late. |
| ``write_table_batch`` | faust-streaming #497: ``table[key] = v`` inside ``stream.take`` raises
  (it reads the changelog partition from the current event). We write ``table.data`` and send
  the changelog record ourselves, with the input partition. |
| ``send_batches`` | records go to aiokafka's producer (faust's wraps it: ``Producer._producer``)
  as one ``BatchBuilder`` per partition, not one ``send`` each: faust's topic machinery
  (FutureMessage, codecs) cost ≈0.8 ms a message; faust's and aiokafka's ``send`` still a
  signal, a metadata wait, an accumulator append and a future per record. The partition and the
  size check are aiokafka's own (``_partition``, ``_serialize``, what ``send`` calls), so keys
  land where ``send`` put them (co-partitioning). faust's ``on_produce_message`` signal is not
  sent (nothing of ours, and no faust part we use, listens to it). |
| ``_store_put`` / ``table_reader`` | faust's RocksDB store reads and writes the *current
  event's* partition (``Store._set``/``_get``); inside ``take`` that is the batch's last record,
  so other partitions' keys would be written to or looked up in the wrong database. We write the
  given partition's database and look a key up wherever it is; delivered changelog offsets are
  recorded as faust's ``_on_changelog_sent`` would (``_persist_offsets``). A tombstone (None)
  deletes, in either store. |
| ``KeyPartitioner`` / ``key_partition`` | aiokafka's ``DefaultPartitioner`` (murmur2, as
  Kafka's) remembering recent keys' hashes (its murmur2 is pure Python, ≈3 % of a busy
  worker); the contacts expiry needs a key's partition without producing it. |
| ``table_key`` | faust's recovery decodes changelog keys with the table's own codec (json); a
  ``Schema`` passed to the table is not used there (recovery then waited forever). |
| ``raw_topic`` with a topic *list* | faust's pattern subscription crashes on aiokafka 0.14
  ("provide either topics or pattern"). |
| ``batch_agent`` (``concurrency=1``) | faust-streaming #606: with more, offsets can be committed
  past unfinished messages. |
| ``take_ahead`` | faust's ``take_events`` takes one event past a batch and then holds the
  stream until the body is done with it: the pipeline's child process idled while the worker
  handed the next batch over record by record, and every record fetched after that one (the
  consumer is shared by all agents) waited. Here the next batch fills meanwhile; like faust's
  take buffer it is worked through and acked on a rebalance (faust waits for that). |
| agent bodies never raise | faust-streaming #315: a ``take`` batch is acked when the body ends,
  even when it raised; bodies return failures as dead letters and retry delivery instead. |
| ``is_rebalancing`` | ``App.in_recovery`` is set by the recovery service, not declared on
  ``faust.App`` (absent before the first rebalance). |
| eager hand-over (``run_eagerly``) | faust's drain loop hands every record over through
  ``Service.wait_first(callback, suspend_flow)``: four tasks and an ``asyncio.wait`` a record
  (≈15 % of a busy worker's GIL time, measured with py-spy). The callback (faust's
  ``on_message``) suspends only when flow control, the producer's buffer or a full stream
  buffer makes it wait; it is run here until it first suspends, and only a suspended one goes
  through ``wait_first`` as before (what Python 3.12's eager tasks do). The loop lets other
  tasks run every 20 records instead of 100 (``_YIELD_EVERY``). |
| ``quiet_debug_logging`` | faust and aiokafka call ``log.debug`` on every message; with debug
  disabled globally those calls return at once (≈8 % of a busy worker). |
| ``drop_monitor_sensor`` | faust adds its ``Monitor`` to the app's sensors at start: on every
  record it counts, times and keys dicts by stream and table for faust's web views, which are
  off here (``web_enabled=False``; the worker's metrics are its own), ≈ 2.4 % of a busy
  worker's GIL time with the delegate's per-record dicts (py-spy ``--gil``). The monitor stays
  the app's (the consumer reports end offsets and commits to it directly); it is only no
  longer called per record. What faust itself reads of it stays: when each partition's stream
  last took an event (the aiokafka driver's ``verify_event_path``: after 5 minutes without,
  "Stream has not started processing" at ERROR for every partition with records to read),
  which ``take_ahead`` records per batch; and its rebalance hooks (without a sensor returning
  a state faust warns "Missing sensor state for rebalance"), kept as a sensor whose
  per-record hooks are faust's no-ops (``MonitorRebalances``: ≈ 0.15 µs a record). |
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Generator, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache, partial
from typing import Any, cast

import faust
from aiokafka.partitioner import DefaultPartitioner, murmur2
from faust.sensors import Sensor
from faust.serializers import codecs
from faust.stores import rocksdb as faust_rocksdb
from faust.transport.consumer import CONSUMER_FETCHING
from faust.transport.drivers import aiokafka as faust_aiokafka
from faust.types import TP
from prometheus_client import CollectorRegistry, Counter
from pydantic_core import to_json

from sla.stage import InMessage

log = logging.getLogger(__name__)

# EX_SOFTWARE: the worker found an offset anomaly it must not paper over. Distinct from
# EXIT_PUBLISH_FAILED (75): a supervisor restarts on both, an operator reads which one.
EXIT_OFFSET_ANOMALY = 70

# Records the drain loop hands over before it lets the event loop run other tasks (faust: 100).
# Handed over eagerly a record takes no loop iteration of its own, so 100 of them would hold
# the agents off for milliseconds.
_YIELD_EVERY = 20

# A hole at the head of acked offsets is normal for as long as the record before it is being
# processed; one that lasts this long means the record will never be acked (faust #596).
DEFAULT_HOLE_TIMEOUT_S = 10.0


# ---------------------------------------------------------------------------------------------
# Never skip silently


@dataclass
class OffsetGuard:
    """Decides what an offset anomaly means and acts on it: log at ERROR, count, exit.

    ``exit_process`` and ``clock`` are injected so tests can watch the decision without dying.
    """

    anomalies: Counter
    exit_process: Callable[[int], None] = os._exit
    clock: Callable[[], float] = time.monotonic
    hole_timeout_s: float = DEFAULT_HOLE_TIMEOUT_S
    _holes_since: dict[TP, float] = field(default_factory=dict)

    @classmethod
    def with_registry(cls, registry: CollectorRegistry, **kwargs: Any) -> OffsetGuard:
        anomalies = Counter(
            "ticketflow_offset_anomalies", "Offset gaps and stuck holes in consumed partitions "
            "(each one stops the worker so it restarts from the committed offset).",
            ["kind"], registry=registry,
        )
        return cls(anomalies=anomalies, **kwargs)

    def log_gap(self, tp: TP, expected: int, got: int) -> None:
        """Read again from ``expected``, the log itself goes on at ``got``: those offsets hold
        no records (retention deleted them, or the broker lost a write). Nothing was skipped
        by us; restarting could not help."""
        self.anomalies.labels("log_gap").inc()
        log.warning("no records at offsets %d..%d of %s[%d] (read twice): deleted by retention "
                    "or never written by the broker", expected, got - 1, tp.topic, tp.partition)

    def gap(self, tp: TP, expected: int, got: int) -> None:
        """A fetch skipped records that exist: a consumer bug, never papered over."""
        self._fail("gap", f"offset gap on {tp.topic}[{tp.partition}]: a fetch skipped offsets "
                   f"{expected}..{got - 1}, which exist (read again, they came)")

    def check_hole(self, tp: TP, base: int | None, first_acked: int | None) -> bool:
        """True when ``tp`` has a hole at the head of its acked offsets (then nothing may be
        committed for it). A hole older than ``hole_timeout_s`` stops the worker."""
        if base is None or first_acked is None or first_acked <= base:
            self._holes_since.pop(tp, None)
            return False
        now = self.clock()
        since = self._holes_since.setdefault(tp, now)
        if now - since >= self.hole_timeout_s:
            self._fail("hole", f"commits blocked on {tp.topic}[{tp.partition}] for "
                       f"{now - since:.0f} s: offsets {base}..{first_acked - 1} were never "
                       f"acked, {first_acked} and later were")
        return True

    def forget(self, tps: Iterable[TP]) -> None:
        for tp in tps:
            self._holes_since.pop(tp, None)

    def _fail(self, kind: str, what: str) -> None:
        self.anomalies.labels(kind).inc()
        log.error("%s; stopping the worker (exit %d) so it restarts from the committed offset",
                  what, EXIT_OFFSET_ANOMALY)
        logging.shutdown()  # os._exit skips handlers' flush
        self.exit_process(EXIT_OFFSET_ANOMALY)
        raise SystemExit(EXIT_OFFSET_ANOMALY)  # only reached when exit_process is a test double


# ---------------------------------------------------------------------------------------------
# The consumer: faust's, with the recovery race closed (faust-streaming #596)


class GuardedConsumer(faust_aiokafka.Consumer):
    """faust's aiokafka consumer with three changes.

    1. **Position epochs.** A flow stop (rebalance) or a seek of all stream partitions starts a
       new epoch; a seek of one partition marks that partition. The drain loop remembers where
       it stood when it fetched a batch; a record fetched before its partition's position was
       moved is never delivered and never moves the read offset. Before, recovery's seek back
       to the committed offset raced the drain loop's prefetched batch: the loop delivered the
       rest of the old batch, overwrote the read offset, and the records refetched from the
       committed offset were dropped as "already read", or the jump was recorded as a gap and
       committed unprocessed. And a partition that has no committed offset yet is read again
       from its beginning after a rebalance: faust left it where the fetcher was, past records
       that had been handed over but were cleared from the stream buffers.
    2. **Gaps are checked, never acked.** A record past the next expected offset on an acked
       topic is not delivered; the partition is read again from the expected offset. If records
       come from there, the first read skipped them: the worker stops (``OffsetGuard.gap``).
       If the log goes on at the same offset, it holds nothing in between
       (``OffsetGuard.log_gap``). faust marked the skipped offsets as acked.
    3. **Holes block commits** (faust commits past a one-record hole) and stop the worker
       when they last (``OffsetGuard.check_hole``).
    """

    guard: OffsetGuard | None = None  # set by the transport factory
    fetch_max_wait_ms: int = 1500

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._epoch = 0
        self._seeks = 0  # counts seeks of single partitions
        self._seeked_at: dict[TP, int] = {}  # partition -> the count at its last seek
        self._positions = asyncio.Lock()  # seeks, and refetches of dropped records
        # next offset expected per partition (Kafka semantics); absent: unknown (after a seek
        # to a partition with no committed offset, until its first record)
        self._next_offset: dict[TP, int] = {}
        # first offset delivered after the last seek, for partitions with no committed offset:
        # the base below which nothing can be acked
        self._start_offset: dict[TP, int] = {}
        # partitions read again after a gap: (offset expected, offset received instead)
        self._rereading: dict[TP, tuple[int, int]] = {}

    def _new_consumer_thread(self) -> faust_aiokafka.AIOKafkaConsumerThread:
        return _FetchWaitThread(self, loop=self.loop, beacon=self.beacon)

    # -- epochs -------------------------------------------------------------------------------

    def _new_epoch(self) -> None:
        self._epoch += 1

    def stop_flow(self) -> None:
        self._new_epoch()
        super().stop_flow()

    async def perform_seek(self) -> None:
        async with self._positions:
            self._new_epoch()  # a batch held now is stale whatever the seek finds
            await super().perform_seek()
            streams = {tp for tp in self.assignment() if not self._is_changelog_tp(tp)}
            # Nothing committed yet: everything from the start is unprocessed as far as anyone
            # knows (what was handed over before the rebalance may have been cleared unacked).
            uncommitted = {tp for tp in streams if self._committed_offset[tp] is None}
            if uncommitted:
                await self._seek_to_beginning(uncommitted)
            # a fetch started during the seek may hold records from the old position
            self._new_epoch()
            for tp in streams:
                self._start_offset.pop(tp, None)
                self._rereading.pop(tp, None)
                committed = self._committed_offset[tp]
                if committed is None:
                    self._next_offset.pop(tp, None)
                else:
                    self._next_offset[tp] = committed

    async def _seek_to_beginning(self, tps: set[TP]) -> None:
        await self._thread.seek_to_beginning(*faust_aiokafka.ensure_aiokafka_TPset(tps))
        for tp in tps:
            self._read_offset[tp] = None

    def _mark_seek(self, partition: TP) -> None:
        self._seeks += 1
        self._seeked_at[partition] = self._seeks

    async def seek(self, partition: TP, offset: int) -> None:
        async with self._positions:
            await self._seek_unlocked(partition, offset)

    async def _seek_unlocked(self, partition: TP, offset: int) -> None:
        self._mark_seek(partition)
        await super().seek(partition, offset)
        self._mark_seek(partition)
        self._next_offset[partition] = offset
        self._start_offset.pop(partition, None)

    async def _refetch(self, tps: set[TP]) -> None:
        """Put the fetch position of partitions whose fetched records were dropped as stale
        back where the last seek (or the last delivered record) left it: a record fetched
        during a seek may have come from the new position, and aiokafka's position is past
        it. Under the same lock as the seeks, so it never undoes a newer one."""
        async with self._positions:
            assigned = self.assignment()
            unknown: set[TP] = set()
            for tp in tps & assigned:
                offset = self._next_offset.get(tp)
                if offset is None:
                    unknown.add(tp)  # nothing delivered or committed: from the start
                else:
                    await self._seek_unlocked(tp, offset)
            if unknown:
                for tp in unknown:
                    self._mark_seek(tp)
                await self._seek_to_beginning(unknown)
                for tp in unknown:
                    self._mark_seek(tp)

    async def on_partitions_revoked(self, revoked: set[TP]) -> None:
        self._new_epoch()
        for tp in revoked:
            self._seeked_at.pop(tp, None)
            self._next_offset.pop(tp, None)
            self._rereading.pop(tp, None)
            self._start_offset.pop(tp, None)
        if self.guard is not None:
            self.guard.forget(revoked)
        await super().on_partitions_revoked(revoked)

    # -- commits ------------------------------------------------------------------------------

    def _new_offset(self, tp: TP) -> int | None:
        acked = self._acked[tp]
        committed = self._committed_offset[tp]
        base = committed if committed is not None else self._start_offset.get(tp)
        # offsets known to hold no record count as acked (faust merges them in below)
        gaps = self._gap[tp]
        first = min([*acked, *(interval.begin for interval in gaps)], default=None)
        guard = self.guard or _NO_GUARD
        if guard.check_hole(tp, base, first):
            return None  # never commit past offsets that were not processed
        return super()._new_offset(tp)

    # -- the drain loop -----------------------------------------------------------------------

    async def _drain_messages(self, fetcher: Any) -> None:
        # faust 0.15.3's Consumer._drain_messages with the epoch check and fatal gaps; the
        # commit_every branch and the periodic yield are kept as they were.
        callback = self.callback
        consumer_should_stop = self._stopped.is_set
        fetcher_should_stop = fetcher._stopped.is_set
        read_offset = self._read_offset
        commit_every = self._commit_every
        acks_enabled_for = self.app.topics.acks_enabled_for
        guard = self.guard or _NO_GUARD
        num_since_yield = 0
        try:
            while not (consumer_should_stop() or fetcher_should_stop()):
                self.diag.set_flag(CONSUMER_FETCHING)
                epoch, seeks = self._epoch, self._seeks
                seeked_at = self._seeked_at
                dropped: set[TP] = set()  # partitions whose fetched records were dropped
                ait = cast(AsyncIterator[tuple[TP, Any]], self.getmany(timeout=1.0))
                await self.sleep(0)
                if not self.should_stop:
                    async for tp, message in ait:
                        num_since_yield += 1
                        if num_since_yield > _YIELD_EVERY:
                            await asyncio.sleep(0)
                            num_since_yield = 0
                        if self._epoch != epoch or seeked_at.get(tp, 0) > seeks:
                            # fetched before a flow stop or a seek: maybe stale, maybe not
                            dropped.add(tp)
                            continue
                        offset = message.offset
                        r_offset = read_offset[tp]
                        if r_offset is not None and offset < r_offset:
                            continue  # already delivered (faust: "DROPPED MESSAGE ROFF")
                        expected = self._next_offset.get(tp)
                        rereading = self._rereading.pop(tp, None)
                        if rereading is not None and offset < rereading[1]:
                            guard.gap(tp, *rereading)  # the first read skipped real records
                        if (expected is not None and offset > expected
                                and acks_enabled_for(message.topic)):
                            if rereading is None:
                                # Read again from the expected offset before judging: a
                                # record there means we skipped it, none means the log has
                                # no such offsets.
                                await self.seek(tp, expected)
                                self._rereading[tp] = (expected, offset)
                                continue  # the rest of the batch for tp is marked stale
                            guard.log_gap(tp, expected, offset)
                            # faust's record of offsets that need no ack (as for compaction)
                            await self._add_gap(tp, expected, offset - 1)
                        if commit_every is not None and self._n_acked >= commit_every:
                            self._n_acked = 0
                            await self.commit()
                        suspended = run_eagerly(callback(message))
                        if suspended is not None:
                            # it waits (flow control, a full buffer): a flow stop may cut it off
                            await self.wait_first(suspended, self.suspend_flow.wait())
                        # a seek or flow stop that came while this record was being handed
                        # over: the seek's position, not this batch, says what comes next
                        if self._epoch != epoch or seeked_at.get(tp, 0) > seeks:
                            dropped.add(tp)
                            continue
                        read_offset[tp] = offset
                        self._next_offset[tp] = offset + 1
                        self._start_offset.setdefault(tp, offset)
                if dropped:
                    await self._refetch(dropped)
                self.diag.unset_flag(CONSUMER_FETCHING)
        except self.consumer_stopped_errors:
            if self.transport.app.should_stop:
                self.log.info("Broker stopped consumer, shutting down...")
                return
            raise
        except asyncio.CancelledError:
            if self.transport.app.should_stop:
                self.log.info("Consumer shutting down for user cancel.")
                return
            raise
        except Exception as exc:
            self.log.exception("Drain messages raised: %r", exc)
            raise
        finally:
            self.diag.unset_flag(CONSUMER_FETCHING)


def run_eagerly(coro: Awaitable[Any]) -> Awaitable[Any] | None:
    """Run ``coro`` until it first suspends: None when it finished then (its exception, if it
    raised, propagates), else the rest of it as an awaitable to hand to a task (an awaitable
    that is not a coroutine is handed back as it is)."""
    if not isinstance(coro, Coroutine):
        return coro
    try:
        first = coro.send(None)
    except StopIteration:
        return None
    return _Resumed(coro, first)


class _Resumed:
    """A coroutine already run to its first suspension; awaiting this goes on from there (the
    value it yielded goes to the awaiting task first, as ``yield from`` would pass it)."""

    __slots__ = ("_coro", "_first")

    def __init__(self, coro: Coroutine[Any, Any, Any], first: Any) -> None:
        self._coro = coro
        self._first = first

    def __await__(self) -> Generator[Any, Any, Any]:
        coro, value = self._coro, self._first
        while True:
            try:
                sent = yield value
            except GeneratorExit:
                coro.close()
                raise
            except BaseException as exc:  # cancellation and the like go into the coroutine
                try:
                    value = coro.throw(exc)
                except StopIteration as stop:
                    return stop.value
            else:
                try:
                    value = coro.send(sent)
                except StopIteration as stop:
                    return stop.value


class _NoGuard(OffsetGuard):
    """Without a guard (a consumer built outside ``build_transport``): log and go on."""

    def _fail(self, kind: str, what: str) -> None:
        log.error("%s", what)


_NO_GUARD = _NoGuard(anomalies=Counter("unused", "unused", ["kind"], registry=None))


class _FetchWaitThread(faust_aiokafka.AIOKafkaConsumerThread):
    def _create_worker_consumer(self, transport: Any) -> Any:
        consumer = super()._create_worker_consumer(transport)
        # read by aiokafka when the consumer starts; faust hard-codes 1500 ms
        consumer._fetch_max_wait_ms = cast(GuardedConsumer, self.consumer).fetch_max_wait_ms
        return consumer


def build_transport(
    guard: OffsetGuard, fetch_max_wait_ms: int
) -> type[faust_aiokafka.Transport]:
    """faust's aiokafka transport with :class:`GuardedConsumer`, bound to this app's guard."""

    consumer = type("TicketflowConsumer", (GuardedConsumer,),
                    {"guard": guard, "fetch_max_wait_ms": fetch_max_wait_ms})

    class Transport(faust_aiokafka.Transport):
        Consumer = consumer

    return Transport


# ---------------------------------------------------------------------------------------------
# Agents, topics, tables, producer


def raw_topic(app: faust.App, *names: str) -> Any:
    """Bytes in, bytes out. Several names, never a pattern: faust's pattern subscription
    crashes on aiokafka 0.14 ("provide either topics or pattern")."""
    return app.topic(*names, key_serializer="raw", value_serializer="raw")


def batch_agent(app: faust.App, channel: Any, name: str) -> Callable[[Any], Any]:
    """``app.agent`` with ``concurrency=1`` (faust-streaming #606). The body must loop over
    ``take_ahead`` batches and never raise: faust acks a batch when the body ends, even when
    it raised (faust-streaming #315)."""
    return cast(Callable[[Any], Any], app.agent(channel, name=name, concurrency=1))


class _NextBatch:
    """The events of the batch after the one an agent's body is working on."""

    def __init__(self, max_: int, loop_time: Callable[[], float]) -> None:
        self.max_, self.loop_time = max_, loop_time
        self.events: list[Any] = []
        self.first_at = 0.0  # loop time of the first event in ``events``
        self.full = asyncio.Event()
        self.room = asyncio.Event()
        self.room.set()

    def add(self, event: Any) -> None:
        if not self.events:
            self.first_at = self.loop_time()
        self.events.append(event)
        if len(self.events) >= self.max_:
            self.full.set()
            self.room.clear()

    def take(self) -> list[Any]:
        events, self.events = self.events, []
        self.full.clear()
        self.room.set()
        return events


def take_ahead(stream: Any, max_: int, within: float) -> AsyncIterator[list[Any]]:
    """``stream.take_events(max_, within)`` with the next batch handed over while the body
    works on this one.

    faust's ``take_events`` accepts one event, then holds the stream until the body is done:
    the pipeline's child process sat idle while the worker handed the next 500 records over one
    by one (each through faust's per-record path), and every record fetched after that one —
    other agents' too, the consumer is shared — waited behind it. Here the next batch fills
    (up to ``max_``) meanwhile. The acks are faust's: each batch's events are acked when the
    body has finished with it, even when the body raised (faust-streaming #315, so bodies never
    raise). Like faust's take buffer, and unlike its stream queues, the batch ahead is not
    cleared on a rebalance: it is worked through and acked, since faust waits for every event
    handed over to be acked before it lets partitions go (``Consumer.wait_empty``; the stream's
    iterator keeps a reference to the last event it handed over). A batch is yielded when full or
    ``within`` seconds after its first event arrived (faust counts from when it starts waiting,
    so a waiting batch is never older)."""
    agen = _take_ahead(stream, max_, within)
    stream._active_agens.add(agen)  # closed when the stream stops, as faust's take_events
    return agen


async def _take_ahead(stream: Any, max_: int, within: float) -> AsyncIterator[list[Any]]:
    loop_time = asyncio.get_running_loop().time
    pending = _NextBatch(max_, loop_time)

    async def add_to_buffer(value: Any) -> Any:
        # faust's take_events processor, with a whole batch of room while the body works:
        # the event is added, then a full batch holds the stream until the body takes it
        event = stream.current_event
        if event is None:
            raise RuntimeError("take_ahead found current_event None")
        pending.add(event)
        if pending.full.is_set():
            await stream.wait(pending.room)
        return value

    # faust's slow-processing check (the aiokafka driver's ``verify_event_path``) reads when
    # each partition's stream last took an event from the Monitor sensor, which is out of the
    # per-record path (drop_monitor_sensor): set here, once per batch, as the body takes it.
    # Without it faust logs "Stream has not started processing" for every busy partition.
    inbound_time = stream.app.monitor.stream_inbound_time
    acks = stream.enable_acks
    stream.enable_acks = False  # the events are acked here, once the body is done with them
    channel_it = aiter(stream.channel)
    stream.add_processor(add_to_buffer)
    stream._enable_passive(channel_it)
    try:
        while not stream.should_stop:
            if not pending.events:
                await stream.wait_for_stopped(pending.full, timeout=within)
            elif not pending.full.is_set():
                wait_s = pending.first_at + within - loop_time()
                if wait_s > 0:
                    await stream.wait_for_stopped(pending.full, timeout=wait_s)
            if not pending.events:
                continue
            events = pending.take()
            taken_at = time.monotonic()  # the Monitor's clock
            for event in events:
                inbound_time[event.message.tp] = taken_at
            try:
                yield events
            finally:
                for event in events:
                    await stream.ack(event)
    finally:
        stream.enable_acks = acks
        stream._processors.remove(add_to_buffer)


class KeyPartitioner:
    """aiokafka's ``DefaultPartitioner`` (murmur2 of the key bytes, as Kafka's Java client; a
    random partition without a key) with the last keys' hashes remembered: one ticket id keys
    ≈7 records (routed, queue, SLA events and state, KPI records), and aiokafka's pure-Python
    murmur2 took ≈3 % of a busy worker. The app's ``producer_partitioner``."""

    def __init__(self, remembered: int = 65_536) -> None:
        self._hash = lru_cache(maxsize=remembered)(murmur2)

    def __call__(self, key: bytes | None, all_partitions: list[int], available: list[int]
                 ) -> int:
        if key is None:
            return int(_DEFAULT_PARTITIONER(key, all_partitions, available))
        return all_partitions[(self._hash(key) & 0x7FFFFFFF) % len(all_partitions)]


_DEFAULT_PARTITIONER = DefaultPartitioner()
_KEY_PARTITIONER = KeyPartitioner(remembered=4096)


def key_partition(key: bytes, partitions: int) -> int:
    """The partition the app's producer (``KeyPartitioner``) picks for a keyed record."""
    return _KEY_PARTITIONER(key, list(range(partitions)), [])


def table_key(key: str) -> bytes:
    """A table key as faust's recovery decodes it: the table's own codec, json."""
    return codecs.dumps("json", key)


def table_value(serializer: str, value: Any) -> bytes:
    """A table value as faust's recovery decodes it with the table's codec. For ``json`` the
    bytes come from pydantic-core's serializer: the same JSON (compact) ≈5× faster than faust's
    codec (``json.dumps``), which took ≈4 % of a worker's CPU re-encoding the contact states."""
    if serializer == "json":
        return to_json(value)
    return codecs.dumps(serializer, value)


# (key, value, partition) of one record, encoded; partition None: by key, as aiokafka's send;
# value None: a tombstone (deletes the key of a compacted topic)
Item = tuple[bytes | None, bytes | None, int | None]


def aiokafka_producer(app: faust.App) -> Any:
    """The aiokafka producer under faust's (``faust.transport.drivers.aiokafka.Producer``
    keeps it in ``_producer``; ``_ensure_producer`` is what faust's own ``send`` calls)."""
    return app.producer._ensure_producer()  # type: ignore[attr-defined]


async def send_batches(producer: Any, topic: str, items: Iterable[Item],
                       headers: list[tuple[str, bytes]] | None = None) -> asyncio.Future[Any]:
    """Every record to ``topic`` in one ``BatchBuilder`` per partition (more when one fills
    up: ``producer_max_batch_size``), each queued with ``send_batch``; returns a future done
    when the broker has them all (it raises if one batch failed). Records of one partition
    keep their order. What ``AIOKafkaProducer.send`` does for each record is done here too:
    the size check (``_serialize``: MessageSizeTooLargeError) and the partition
    (``_partition``, once per call for the topic: ``_partitioning``), so a record lands where
    ``send`` would have put it."""
    headers = headers or []
    await producer.partitions_for(topic)  # the metadata _partition reads (send waits for it)
    partition_of = _partitioning(producer, topic)
    by_partition: dict[int, list[tuple[bytes | None, bytes]]] = {}
    for key, value, partition in items:
        key, value = producer._serialize(key, value, headers)
        partition = partition_of(key, partition)
        by_partition.setdefault(partition, []).append((key, value))
    futures = []
    for partition, records in by_partition.items():
        batch = producer.create_batch()
        for key, value in records:
            if batch.append(key=key, value=value, timestamp=None, headers=headers) is None:
                futures.append(await producer.send_batch(batch, topic, partition=partition))
                batch = producer.create_batch()  # a batch always takes its first record
                batch.append(key=key, value=value, timestamp=None, headers=headers)
        futures.append(await producer.send_batch(batch, topic, partition=partition))
    return asyncio.gather(*futures)


def _partitioning(producer: Any, topic: str) -> Callable[[bytes | None, int | None], int]:
    """``AIOKafkaProducer._partition`` for many records of one topic: the topic's partitions
    listed once, not twice per record (that was ≈ 2 % of a busy worker's GIL time, py-spy
    ``--gil``). A given partition must be one of the topic's, as there; else the configured
    partitioner on the serialized key."""
    known = producer._metadata.partitions_for_topic(topic)
    all_partitions = list(known)
    available = list(producer._metadata.available_partitions_for_topic(topic))
    partitioner = producer._partitioner

    def partition_of(key: bytes | None, partition: int | None) -> int:
        if partition is not None:
            assert partition >= 0
            assert partition in known, "Unrecognized partition"
            return partition
        return int(partitioner(key, all_partitions, available))

    return partition_of


def producer_send(app: faust.App) -> Callable[..., Any]:
    """What a ``sinks.kafka.Sink`` publishes with: ``send_batches`` on the app's producer."""

    async def send(topic: str, items: Iterable[Item],
                   headers: list[tuple[str, bytes]] | None) -> asyncio.Future[Any]:
        return await send_batches(aiokafka_producer(app), topic, items, headers)

    return send


def _is_rocksdb(store: Any) -> bool:
    return isinstance(store, faust_rocksdb.Store)


def _store_put(table: Any, partition: int, key: str, value: Any) -> None:
    """``table[key] = value`` (``del`` for None) on ``partition``. The memory store is one dict;
    faust's RocksDB store keeps one database per partition and picks it from the *current
    event* (``Store._set``), which inside ``take`` is whichever record came last: so the
    partition's database is written directly, as ``Store._set`` would for that event."""
    store = table.data
    if not _is_rocksdb(store):
        if value is None:
            store.pop(key, None)
        else:
            store[key] = value
        return
    raw_key = store._encode_key(key)
    db = store._db_for_partition(partition)
    if value is None:
        db.delete(raw_key)
        store._key_index.pop(raw_key, None)
    else:
        db.put(raw_key, store._encode_value(value))
        store._key_index[raw_key] = partition


def _persist_offsets(store: Any, future: asyncio.Future[Any]) -> None:
    """What faust's ``Collection._on_changelog_sent`` does for an at-least-once app: remember in
    each partition's database how far its changelog has been written, so the next start replays
    only what came after. The future is ``send_batches``': one metadata per batch, whose offset is
    the batch's *first* record — a little short of the last, so a restart re-applies the rest of
    that batch, which is harmless (a table write is idempotent) where overshooting is not."""
    if future.cancelled() or future.exception() is not None:
        return
    reached: dict[TP, int] = {}
    for meta in future.result():
        tp = TP(meta.topic, meta.partition)
        reached[tp] = max(meta.offset, reached.get(tp, -1))
    for tp, offset in reached.items():
        store.set_persisted_offset(tp, offset)


def in_message(m: Any) -> InMessage:
    """A faust event's message as the pure stages read it."""
    return InMessage(
        topic=m.topic, partition=m.partition, offset=m.offset,
        value=m.value if isinstance(m.value, bytes) else bytes(m.value or b""),
        timestamp=datetime.fromtimestamp(m.timestamp, UTC), key=m.key,
    )


def collect_write(into: list[tuple[int, str, bytes | None]], partition: int, key: str,
                  value: bytes | None) -> None:
    """A stage's ``put`` that gathers its writes for one :func:`store_states` call."""
    into.append((partition, key, value))


def table_reader(table: Any) -> Callable[[str], Any]:
    """``table.get`` that does not depend on the current event. faust's RocksDB store reads
    only the current event's partition when there is one (``Store._get``) — inside ``take``,
    the last record's — and would miss keys of the batch's other partitions; this looks the key
    up in whichever partition holds it. The memory store has no such problem."""
    store = table.data
    if not _is_rocksdb(store):
        return cast(Callable[[str], Any], table.get)

    def get(key: str) -> Any:
        found = store._get_bucket_for_key(store._encode_key(key))
        return None if found is None else store._decode_value(found.value)

    return get


async def write_table_batch(app: faust.App, table: Any,
                            writes: Iterable[tuple[int, str, Any]]) -> list[asyncio.Future[Any]]:
    """What ``table[key] = value`` does, for many keys, inside ``take`` (faust-streaming #497):
    the partition is given (the input record's, so the changelog stays co-partitioned) instead
    of read from the current event. Values are encoded with the table's own codec, as recovery
    decodes them; a None value deletes the key (a tombstone, which recovery applies as a delete
    and log compaction eventually drops). Changelog records go straight to the producer,
    batched per partition (``send_batches``): faust's changelog buffer sends one at a time and
    stalled commits for seconds under load. Returns the delivery futures (one, or none when
    nothing was written); faust flushes the producer before it commits input offsets. With the
    RocksDB store the delivery also records how far each partition's changelog was written."""
    changelog = table.changelog_topic.get_topic_name()
    items: list[Item] = []
    for partition, key, value in writes:
        _store_put(table, partition, key, value)
        encoded = None if value is None else table_value(table.value_serializer, value)
        items.append((table_key(key), encoded, partition))
    if not items:
        return []
    future = await send_batches(aiokafka_producer(app), changelog, items)
    if _is_rocksdb(table.data):
        future.add_done_callback(partial(_persist_offsets, table.data))
    return [future]


def _log_failed_write(what: str, future: Any) -> None:
    if not future.cancelled() and future.exception() is not None:
        log.warning("%s not written to the changelog: %s", what, future.exception())


async def store_states(app: faust.App, table: Any, writes: Iterable[tuple[int, str, Any]],
                       what: str) -> None:
    """:func:`write_table_batch` for an agent that has already delivered what these states
    record: the changelog delivery is not awaited (faust flushes the producer before it commits
    the batch's input offsets) and a failed one is logged as "<what> not written". A lost write
    costs a re-derived, same-id record after a restart, never a missing one."""
    for future in await write_table_batch(app, table, writes):
        future.add_done_callback(partial(_log_failed_write, what))


def is_rebalancing(app: faust.App) -> bool:
    """A rebalance or table recovery is under way (``in_recovery`` is set by the recovery
    service and absent before the first rebalance)."""
    return bool(app.rebalancing or getattr(app, "in_recovery", False))


class MonitorRebalances(Sensor):
    """The ``Monitor``'s rebalance hooks alone, as a sensor: faust warns "Missing sensor state
    for rebalance" when no sensor returns a state at a rebalance's start, and the monitor
    clears its per-partition records then."""

    def __init__(self, monitor: Any) -> None:
        super().__init__()
        self.monitor = monitor

    def on_rebalance_start(self, app: Any) -> dict[str, Any]:
        return cast(dict[str, Any], self.monitor.on_rebalance_start(app))

    def on_rebalance_return(self, app: Any, state: dict[str, Any]) -> None:
        self.monitor.on_rebalance_return(app, state)

    def on_rebalance_end(self, app: Any, state: dict[str, Any]) -> None:
        self.monitor.on_rebalance_end(app, state)


def drop_monitor_sensor(app: faust.App) -> None:
    """Take faust's ``Monitor`` out of the sensors called on every record, table read and send
    (call it after faust has added it: ``App.on_init_dependencies``); a no-op when it is not
    there. What faust itself reads of it stays: when each partition's stream last took an event
    (``stream_inbound_time``, for its slow-processing log: ``take_ahead`` sets it per batch),
    its rebalance hooks (``MonitorRebalances``, a sensor whose per-record hooks are faust's
    no-ops), and the end offsets and commits the consumer reports to it directly."""
    if app.monitor in set(app.sensors):
        app.sensors.remove(app.monitor)
        app.sensors.add(MonitorRebalances(app.monitor))


def quiet_debug_logging(log_level: str) -> None:
    """faust and aiokafka call ``log.debug`` per message; unless debug is asked for, make
    those calls return at once (≈8 % of a busy SLA worker's time)."""
    if log_level != "debug":
        logging.disable(logging.DEBUG)

