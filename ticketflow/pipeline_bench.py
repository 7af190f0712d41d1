"""``ticketflow bench pipeline``: how fast the whole pipeline is, next to what the broker and a
bare faust agent can do, all on one broker with one generated workload.

The workload is unique variants of the bundled sample corpus, every channel, broken payloads
included: record ``i`` is corpus file ``i mod 374`` with each of its provider message ids (the
e-mail ``Message-ID``, the chat ``transcript_id``, the WhatsApp/Messenger message ids, the Twilio
``MessageSid``, …) given the suffix ``-<run tag><i>``. Channels derive ``ticket_id`` from
channel + provider message id, so every variant's tickets are new tickets; the ids a variant
must produce are computed here from the suffixed ids, without normalizing it.

The run, in order (one broker, one JSON line at the end):

1. **backlog**: ``--n`` records published to the ``inbound.*`` topics.
2. **raw passthrough**: aiokafka consumes the backlog and produces every record to
   ``bench.passthrough.raw`` (each fetched batch sent, then awaited) — the broker's ceiling.
3. **faust passthrough**: a bare faust app in a child process (``ticketflow.faust_passthrough``)
   forwards the backlog in ``take_events(500, 0.05)`` batches to ``bench.passthrough.faust``.
4. **pipeline, one worker**: a ``ticketflow worker`` (its own consumer group) works the backlog;
   done when every expected ticket is on ``tickets.routed`` *and* has an ``sla.applied`` event
   on ``sla.events``. Its CPU time and resident set are read from ``/proc/<pid>``, and each
   process's share of the cores from the first ticket out to the last
   (``cpu_cores_backlog``: the worker's own process, its children, the embedded broker, this
   harness) says which one sets the pace.
5. **latency**: the same worker, new variants published at each ``--rates`` (msg/s) for
   ``--rate-seconds``; latency = publish time → arrival on ``tickets.routed`` at a consumer
   (aiokafka, 10 ms fetch wait, a thread of this process), then drained.
6. **soak** (unless ``--skip-soak``): more variants through the same worker until it has routed
   ``--soak-tickets`` (100k) tickets, each solved on ``helpdesk.events`` as it comes out (the
   worker runs with ``TICKETFLOW_SLA_FORGET_AFTER_S=5``, a 5 s FCR window and KPI states never
   routed forgotten after 120 s); once the worker's /metrics says every solved ticket's SLA
   state is forgotten and no KPI state is left (``kpi_states_left``; those left are written to
   ``kpi-states-left.jsonl``) and it has idled ``settle_s`` (25 s: two of its memory trims), RSS
   versus at 20k tickets (``rss_growth_pct_100k``; ``rss_mb_at_100k_at_once``: before idling),
   with a mark half-way (solving under way) to tell growth from a plateau.
7. **two workers**: a second consumer group, isolated at the log ends, two workers, a fresh
   backlog of ``--n`` variants.

Throughputs are counted from the first output to the last (``n / (last − first)``), the same way
for every figure, so group joins, model loading and table recovery are left out; they are
reported apart as ``*_startup_s``. A phase that stops making progress fails the run and lists
the tickets it was still waiting for in ``not-done-<phase>.jsonl`` (how far each got, the
payload it came from): the embedded broker is gone with the run.

Workers run with ``TICKETFLOW_SLA_CLOCK_START=routed_at`` (the corpus' received dates are weeks
old: every clock would breach at once, which is not the steady state) and
``TICKETFLOW_SLA_ASSIGN_WITHIN_S=0`` (no re-routes on ``tickets.routed`` during the run).

The pure parts (variants, expected ids, percentiles, rates, /proc parsing) are unit-tested.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from channels.base import ticket_id_for
from core.errors import TicketflowError
from core.settings import PLAINTEXT, KafkaSecurity, Settings
from schemas import DeadLetter, Source

Progress = Callable[[str], None]
Kind = Literal["json", "sms", "email"]
_FIXED_TIME = datetime(2000, 1, 1, tzinfo=UTC)  # ids do not depend on it
RAW_OUT = "bench.passthrough.raw"
FAUST_OUT = "bench.passthrough.faust"
_KIND: dict[str, Kind] = {"email": "email", "sms": "sms"}  # every other channel sends JSON


# --------------------------------------------------------------------------- workload (pure)


@dataclass(frozen=True, slots=True)
class BaseMessage:
    """One corpus payload and the provider message ids of the tickets it makes (none for a
    payload that becomes a dead letter)."""

    channel: str
    raw: bytes
    provider_ids: tuple[str, ...]

    @property
    def kind(self) -> Kind:
        return _KIND.get(self.channel, "json")


@dataclass(frozen=True, slots=True)
class Variant:
    channel: str
    value: bytes
    ticket_ids: tuple[str, ...]  # what it must come out as on tickets.routed


class VariantError(ValueError):
    """A provider message id could not be found in its payload to be made unique."""


def _occurrence(kind: Kind, provider_id: str) -> re.Pattern[bytes]:
    """Where the id is written as an id in the payload (group 1: the id itself)."""
    escaped = re.escape(provider_id.encode())
    if kind == "email":  # Message-ID: <id>
        return re.compile(rb"<(" + escaped + rb")>")
    if kind == "sms":  # MessageSid=id (and SmsSid=id, SmsMessageSid=id): a whole form value
        return re.compile(rb"=(" + escaped + rb")(?=&|$)")
    return re.compile(re.escape(json.dumps(provider_id).encode()).replace(
        escaped, rb"(" + escaped + rb")"))  # a whole JSON string


def make_variant(base: BaseMessage, suffix: str) -> Variant:
    """``base`` with every provider message id suffixed (every occurrence, so references to
    it inside the same payload stay consistent). A dead-letter payload is sent unchanged: its
    dead letter id comes from where it lands, which is new anyway."""
    value = base.raw
    tail = suffix.encode()
    for provider_id in base.provider_ids:
        pattern = _occurrence(base.kind, provider_id)
        value, found = pattern.subn(
            lambda m: m.group(0).replace(m.group(1), m.group(1) + tail), value)
        if not found:
            raise VariantError(f"{base.channel}: provider message id {provider_id!r} not found "
                               f"in its payload as {pattern.pattern!r}")
    return Variant(base.channel, value,
                   tuple(ticket_id_for(base.channel, p + suffix) for p in base.provider_ids))


def variant_suffix(tag: str, index: int) -> str:
    return f"-{tag}{index}"


def provider_ids_of(channel: str, raw: bytes, max_payload_bytes: int = 1_000_000
                    ) -> tuple[str, ...]:
    """Normalize ``raw`` as the worker would; the provider message ids of its tickets."""
    from channels.base import RawRecord
    from channels.dispatch import normalize

    record = RawRecord(channel=channel, value=raw, timestamp=_FIXED_TIME,
                       source=Source(topic=f"inbound.{channel}", partition=0, offset=0))
    result = normalize(record, _FIXED_TIME, max_payload_bytes)
    if isinstance(result, DeadLetter):
        return ()
    return tuple(dict.fromkeys(t.provider_message_id for t in result))


def load_bases(items: Iterable[tuple[str, bytes]]) -> list[BaseMessage]:
    return [BaseMessage(channel, raw, provider_ids_of(channel, raw)) for channel, raw in items]


@dataclass(frozen=True)
class Workload:
    """Record ``i``: base ``i mod len(bases)`` with the suffix ``-<tag><i>``. Unique across a
    run for every ``i``; ``tag`` keeps runs on a shared cluster apart."""

    bases: Sequence[BaseMessage]
    tag: str

    def record(self, index: int) -> Variant:
        return make_variant(self.bases[index % len(self.bases)], variant_suffix(self.tag, index))

    def records(self, start: int, count: int) -> list[Variant]:
        return [self.record(i) for i in range(start, start + count)]

    @property
    def tickets_per_record(self) -> float:
        return sum(len(b.provider_ids) for b in self.bases) / len(self.bases)


# --------------------------------------------------------------------------- figures (pure)


def percentile(values: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile (``q`` in 0..100) of ``values``; None when there are none."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def throughput(count: int, first: float | None, last: float | None) -> float | None:
    """``count`` per second between the first and the last output (None if not measurable)."""
    if first is None or last is None or last <= first or count <= 0:
        return None
    return count / (last - first)


def latency_summary(published: dict[str, float], arrived: dict[str, float]) -> dict[str, Any]:
    """Latency (ms) of each published id that arrived; the ones that did not are counted, and a
    percentile that would fall among them is None (it is longer than the run waited)."""
    latencies = [1000 * (arrived[k] - t) for k, t in published.items() if k in arrived]
    missing = len(published) - len(latencies)

    def pct(q: float) -> float | None:
        if not published:
            return None
        rank = max(1, math.ceil(q / 100 * len(published)))
        if rank > len(latencies):
            return None
        return round(sorted(latencies)[rank - 1], 1)

    return {"count": len(published), "arrived": len(latencies), "missing": missing,
            "p50_ms": pct(50), "p90_ms": pct(90), "p99_ms": pct(99),
            "max_ms": round(max(latencies), 1) if latencies and not missing else None}


def growth_pct(before: float | None, after: float | None) -> float | None:
    if before is None or after is None or before <= 0:
        return None
    return round(100 * (after - before) / before, 1)


def cpu_seconds(stat_text: str, ticks_per_s: int) -> float:
    """utime + stime of a ``/proc/<pid>/stat`` line (fields 14 and 15; the command name in
    parentheses may contain spaces, so fields are counted after its closing parenthesis)."""
    fields = stat_text.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / ticks_per_s


def status_mb(status_text: str, name: str) -> float | None:
    """A ``kB`` field of ``/proc/<pid>/status`` (``VmRSS``, ``VmHWM``) in MB."""
    for line in status_text.splitlines():
        if line.startswith(f"{name}:"):
            return int(line.split()[1]) / 1024
    return None


def r1(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def cores(before: Mapping[str, float | None], after: Mapping[str, float | None],
          seconds: float) -> dict[str, float | None]:
    """Each process's CPU seconds between two readings as a share of the cores over
    ``seconds`` of wall time (1.0: one core all the time), and their ``total``; None where a
    reading is missing (a process gone, no embedded broker)."""
    out: dict[str, float | None] = {}
    for name, start in before.items():
        end = after.get(name)
        out[name] = (None if start is None or end is None or seconds <= 0
                     else round((end - start) / seconds, 2))
    known = [v for v in out.values() if v is not None]
    out["total"] = round(sum(known), 2) if known else None
    return out


# --------------------------------------------------------------------------- measuring


def worker_metrics(port: int | None, *names: str) -> dict[str, float] | None:
    """The samples ``names`` from a worker's /metrics, each named as the text format writes
    it (a labelled one with its labels: ``name{label="value"}``); None: no answer. A name the
    worker does not report is absent from the dict."""
    import urllib.request

    if port is None:
        return None
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as reply:
            text = reply.read().decode()
    except OSError:
        return None
    values = {}
    for line in text.splitlines():
        name, _, value = line.partition(" ")
        if name in names:
            values[name] = float(value)
    return values


FORGOTTEN = "ticketflow_sla_states_forgotten_total"
KPI_TRACKED = "ticketflow_kpi_tracked_tickets"
HANDOFF_TAKEN = 'ticketflow_handoff_records_total{result="taken"}'
HANDOFF_PARSED = 'ticketflow_handoff_records_total{result="parsed"}'


class ProcStats:
    """CPU and memory of a worker process and its descendants (its pipeline process,
    ``streams/pipeline_process.py``), from /proc (Linux): the sums over the process tree."""

    def __init__(self, pid: int | None) -> None:
        self.pid = pid
        self.ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100

    def pids(self) -> list[int]:
        """The worker and every process below it, alive now."""
        if self.pid is None:
            return []
        found, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            found.append(pid)
            for task in Path(f"/proc/{pid}/task").glob("*/children"):
                with contextlib.suppress(OSError):
                    todo.extend(int(child) for child in task.read_text().split())
        return found

    def _sum(self, name: str, read: Callable[[str], float | None]) -> float | None:
        values = []
        for pid in self.pids():
            try:
                value = read(Path(f"/proc/{pid}/{name}").read_text())
            except OSError:
                continue  # gone meanwhile
            if value is not None:
                values.append(value)
        return sum(values) if values else None

    def cpu_s(self) -> float | None:
        return self._sum("stat", lambda text: cpu_seconds(text, self.ticks))

    def own_cpu_s(self) -> float | None:
        """The worker's own process only, without what runs below it."""
        if self.pid is None:
            return None
        try:
            return cpu_seconds(Path(f"/proc/{self.pid}/stat").read_text(), self.ticks)
        except OSError:
            return None

    def rss_mb(self) -> float | None:
        return self._sum("status", lambda text: status_mb(text, "VmRSS"))

    def peak_mb(self) -> float | None:
        """The sum of each process's own peak (an upper bound of the tree's peak)."""
        return self._sum("status", lambda text: status_mb(text, "VmHWM"))


_ATTEMPT = re.compile(rb'"attempt":\s*(\d+)')


@dataclass
class Arrivals:
    """What the watching consumer saw, by id, with the wall-clock time it saw it."""

    routed: dict[str, float] = field(default_factory=dict)  # ticket_id -> first arrival
    # the same ids in arrival order, append-only: a reader takes the tail it has not seen
    # without copying the whole dict (the harness shares the cores with the worker)
    routed_order: list[str] = field(default_factory=list)
    routed_sent: dict[str, float] = field(default_factory=dict)  # -> the record's timestamp
    applied: dict[str, float] = field(default_factory=dict)  # ticket_id -> first sla.applied
    # (ticket_id, routing attempt) of every tickets.routed message: a re-route is a new
    # attempt, a redelivery the same one again
    routed_versions: set[tuple[str, int]] = field(default_factory=set)
    faust_out: int = 0
    faust_first: float | None = None
    faust_last: float | None = None
    routed_messages: int = 0


class Watch:
    """A thread reading ``tickets.routed``, ``sla.events`` and the faust passthrough's output
    from their ends at start: a group-less aiokafka consumer (its record parsing is in C; the
    pure-Python kafka-python one cost this process a third of a core) with a 10 ms fetch wait,
    on its own event loop."""

    def __init__(self, bootstrap: str, security: KafkaSecurity = PLAINTEXT) -> None:
        from streams.topics import SLA_EVENTS, TICKETS_ROUTED
        from ticketflow.failover_bench import log_ends

        self.bootstrap, self.security = bootstrap, security
        self.routed_topic, self.sla_topic = TICKETS_ROUTED.name, SLA_EVENTS.name
        self.starts = log_ends(bootstrap, (self.routed_topic, self.sla_topic, FAUST_OUT),
                               security)
        self.seen = Arrivals()
        self.error: BaseException | None = None
        self.cpu_s: float | None = None  # the thread's CPU time, once stopped
        self._ready = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bench-watch", daemon=True)

    def start(self, timeout_s: float = 30.0) -> None:
        self._thread.start()
        self._ready.wait(timeout_s)
        if self.error is not None:
            raise PhaseFailed(f"the watching consumer could not start: {self.error!r}")

    def _run(self) -> None:
        import asyncio

        try:
            asyncio.run(self._consume())
        except BaseException as exc:  # reported by the main thread
            self.error = exc
        finally:
            self.cpu_s = time.thread_time()
            self._ready.set()

    async def _consume(self) -> None:
        from aiokafka import AIOKafkaConsumer, TopicPartition

        from streams.kafka_security import aiokafka_options

        consumer = AIOKafkaConsumer(bootstrap_servers=self.bootstrap, group_id=None,
                                    enable_auto_commit=False, fetch_max_wait_ms=10,
                                    max_partition_fetch_bytes=4 * 1024 * 1024,
                                    **aiokafka_options(self.security))
        await consumer.start()
        try:
            consumer.assign([TopicPartition(tp.topic, tp.partition) for tp in self.starts])
            for tp, offset in self.starts.items():
                consumer.seek(TopicPartition(tp.topic, tp.partition), offset)
            self._ready.set()
            seen = self.seen
            while not self._stop.is_set():
                batches = await consumer.getmany(timeout_ms=100, max_records=5000)
                now = time.time()
                for tp, messages in batches.items():
                    if tp.topic == self.routed_topic:
                        for m in messages:
                            key = m.key.decode() if m.key else ""
                            seen.routed_messages += 1
                            # the last one: the top-level field comes after the ticket,
                            # whose routing history has its own
                            attempts = _ATTEMPT.findall(m.value or b"")
                            seen.routed_versions.add((key, int(attempts[-1]) if attempts else 1))
                            if key not in seen.routed:
                                seen.routed_sent[key] = m.timestamp / 1000
                                seen.routed[key] = now
                                seen.routed_order.append(key)
                    elif tp.topic == self.sla_topic:
                        for m in messages:
                            if m.value is not None and b'"sla.applied"' in m.value:
                                key = m.key.decode() if m.key else ""
                                seen.applied.setdefault(key, now)
                    else:
                        seen.faust_out += len(messages)
                        if seen.faust_first is None:
                            seen.faust_first = now
                        seen.faust_last = now
        finally:
            await consumer.stop()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)


class Publisher:
    """Variants to ``inbound.<channel>`` (kafka-python, unkeyed, as ``ticketflow ingest``)."""

    def __init__(self, bootstrap: str, security: KafkaSecurity = PLAINTEXT) -> None:
        from streams.kafka_io import make_producer

        self.producer = make_producer(bootstrap, security=security)
        self.futures: list[Any] = []

    def send(self, variant: Variant) -> None:
        from streams.topics import inbound_topic

        self.futures.append(self.producer.send(inbound_topic(variant.channel),
                                               value=variant.value))

    def flush(self) -> list[tuple[str, int, int]]:
        """Wait for every send; (topic, partition, offset) of each, in order."""
        self.producer.flush(timeout=120)
        landed = []
        for future in self.futures:
            meta = future.get(timeout=60)
            landed.append((meta.topic, meta.partition, meta.offset))
        self.futures = []
        return landed

    def solve(self, ticket_ids: Iterable[str], at: datetime) -> int:
        """A help desk solving each ticket: ``status_changed`` → ``solved`` on
        ``helpdesk.events`` (keyed by ticket id, like the SLA agent's inputs)."""
        from streams.topics import HELPDESK_EVENTS

        count = 0
        stamp = at.isoformat()
        for ticket_id in ticket_ids:
            body = json.dumps({"ticket_id": ticket_id, "type": "status_changed",
                               "status": "solved", "at": stamp})
            self.producer.send(HELPDESK_EVENTS.name, key=ticket_id.encode(),
                               value=body.encode())
            count += 1
        self.producer.flush(timeout=120)
        return count

    def send_events(self, events: Iterable[Any]) -> int:
        """Help-desk events (``sla.events.HelpdeskEvent``) to ``helpdesk.events``, keyed by
        ticket id; sent, not waited for."""
        from streams.topics import HELPDESK_EVENTS

        count = 0
        for event in events:
            self.producer.send(HELPDESK_EVENTS.name, key=event.ticket_id.encode(),
                               value=event.model_dump_json().encode())
            count += 1
        return count

    def close(self) -> None:
        self.producer.close()


def live_table_values(bootstrap: str, changelog: str, security: KafkaSecurity = PLAINTEXT,
                      timeout_s: float = 300.0) -> dict[bytes, bytes]:
    """A table's stored values as its changelog says: the last value per key, a tombstone
    removing the key."""
    from streams.kafka_io import make_consumer, read_to_end

    consumer = make_consumer(bootstrap, [changelog], from_beginning=True,
                             fetch_max_wait_ms=100, security=security)
    values: dict[bytes, bytes] = {}
    try:
        for record in read_to_end(consumer, sorted(consumer.assignment()), timeout_s):
            if record.value is None:
                values.pop(record.key, None)
            else:
                values[record.key] = record.value
    finally:
        consumer.close()
    return values


def offset_ranges(landed: Iterable[tuple[str, int, int]]) -> dict[tuple[str, int], tuple[int, int]]:
    """(topic, partition) → (first offset, last offset + 1) of the records that landed there."""
    ranges: dict[tuple[str, int], tuple[int, int]] = {}
    for topic, partition, offset in landed:
        low, high = ranges.get((topic, partition), (offset, offset + 1))
        ranges[(topic, partition)] = (min(low, offset), max(high, offset + 1))
    return ranges


def not_done_report(pending: set[str], seen: Arrivals, variants: Iterable[Variant]
                    ) -> list[dict[str, Any]]:
    """Per ticket a phase gave up on, in id order: whether ``tickets.routed`` and
    ``sla.applied`` had it, and the variant (channel, payload) it came from."""
    origin = {t: v for v in variants for t in v.ticket_ids if t in pending}
    return [{"ticket_id": ticket_id, "routed": ticket_id in seen.routed,
             "sla_applied": ticket_id in seen.applied,
             "channel": origin[ticket_id].channel if ticket_id in origin else None,
             "value": (origin[ticket_id].value.decode("utf-8", "replace")
                       if ticket_id in origin else None)}
            for ticket_id in sorted(pending)]


def position_group(bootstrap: str, group: str,
                   starts: dict[tuple[str, int], int] | None = None,
                   security: KafkaSecurity = PLAINTEXT) -> None:
    """Commit ``group``'s offsets at the log end of every topic on the cluster, except the
    partitions in ``starts``, committed there: the group reads what it is meant to, only."""
    from kafka import TopicPartition
    from kafka.structs import OffsetAndMetadata

    from core.errors import BrokerError
    from streams.admin import admin_client
    from ticketflow.failover_bench import log_ends

    with admin_client(bootstrap, security=security) as admin:
        topics = sorted(t for t in admin.list_topics() if not t.startswith("__"))
        offsets = {tp: end for tp, end in log_ends(bootstrap, topics, security).items()}
        for (topic, partition), start in (starts or {}).items():
            offsets[TopicPartition(topic, partition)] = start
        result = admin.alter_group_offsets(
            group, {tp: OffsetAndMetadata(o, "", None) for tp, o in offsets.items()})
    failed = {tp: err for tp, err in result.items() if err.__name__ != "NoError"}
    if failed:
        raise BrokerError(f"Could not commit offsets for group {group}: {failed}")


async def _raw_passthrough(bootstrap: str, ranges: dict[tuple[str, int], tuple[int, int]],
                           security: KafkaSecurity = PLAINTEXT) -> tuple[int, float, float]:
    """Consume exactly ``ranges`` and produce every record to RAW_OUT; (records, first
    fetch time, last ack time)."""
    import asyncio

    from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

    from streams.kafka_security import aiokafka_options

    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None,
                                enable_auto_commit=False, fetch_max_wait_ms=100,
                                max_partition_fetch_bytes=4 * 1024 * 1024,
                                **aiokafka_options(security))
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5,
                                max_batch_size=1024 * 1024, max_request_size=8 * 1024 * 1024,
                                **aiokafka_options(security))
    await consumer.start()
    await producer.start()
    try:
        tps = {TopicPartition(t, p): r for (t, p), r in ranges.items()}
        consumer.assign(list(tps))
        for tp, (low, _) in tps.items():
            consumer.seek(tp, low)
        remaining = {tp: high for tp, (_, high) in tps.items()}
        total, first = 0, None
        while remaining:
            batches = await consumer.getmany(timeout_ms=1000, max_records=500)
            if first is None and batches:
                first = time.time()
            futures = []
            for tp, messages in batches.items():
                end = remaining.get(tp)
                if end is None:
                    continue
                for m in messages:
                    if m.offset < end:
                        futures.append(await producer.send(RAW_OUT, m.value, key=m.key))
                if messages and messages[-1].offset + 1 >= end:
                    del remaining[tp]
            await asyncio.gather(*futures)
            total += len(futures)
        return total, first or time.time(), time.time()
    finally:
        await consumer.stop()
        await producer.stop()


# --------------------------------------------------------------------------- the run


@dataclass(frozen=True)
class BenchConfig:
    n: int = 20_000
    rates: tuple[int, ...] = (200, 500)
    rate_s: float = 30.0
    soak_tickets: int = 100_000
    skip_soak: bool = False
    forget_after_s: float = 5.0
    """The one worker's TICKETFLOW_SLA_FORGET_AFTER_S: during the soak every routed ticket is
    solved, so its SLA state must be gone this long after."""
    unrouted_after_s: float = 120.0
    """The one worker's TICKETFLOW_KPI_UNROUTED_AFTER_S (7 days by default). Compressed so that
    states left by late help-desk events are forgotten within the soak's wait, but well beyond
    the seconds the SLA agent trails routing under the soak's backlog: a solve the harness sends
    for a ticket it saw routed can reach the KPI stage before that routed message, and with 5 s
    the state holding it could be forgotten first, the ticket then routed and never solved for
    the KPI stage, so never forgotten (the likely cause of 72 of 100k states left in one soak;
    none in the next, with 120 s)."""
    quiet_s: float = 120.0  # give up a phase when nothing new came out for this long
    drain_s: float = 300.0  # after a latency run, wait at most this long for the rest
    settle_s: float = 25.0
    """After the soak, how long the idle worker runs before its RSS is read: two of its 10 s
    memory trims (``streams/gc_tuning.memory_trimmer``), so the reading says what it keeps,
    not what it freed a moment ago."""


class PhaseFailed(TicketflowError):
    """A phase could not be measured (a child exited, nothing came out for ``quiet_s``)."""


class Run:
    def __init__(self, settings: Settings, config: BenchConfig, out_dir: Path,
                 progress: Progress) -> None:
        self.settings, self.config, self.out_dir, self.progress = (
            settings, config, out_dir, progress)
        self.tag = f"{time.time_ns() % 10**8:x}"
        self.next_index = 0
        self.stack = contextlib.ExitStack()
        self.metrics_port: int | None = None  # the one worker's /metrics
        self.one_worker_app_id = ""  # set when the one-worker phase starts
        self.broker_stats = ProcStats(None)  # the embedded broker's, once started

    # -- helpers

    def take(self, count: int) -> list[Variant]:
        variants = self.workload.records(self.next_index, count)
        self.next_index += count
        return variants

    def publish_backlog(self, variants: Sequence[Variant]) -> list[tuple[str, int, int]]:
        started = time.monotonic()
        for variant in variants:
            self.publisher.send(variant)
        landed = self.publisher.flush()
        self.progress(f"published {len(variants)} records "
                      f"({sum(len(v.ticket_ids) for v in variants)} tickets) in "
                      f"{time.monotonic() - started:.1f} s")
        return landed

    def worker_env(self, group: str, metrics_port: int | None = None) -> dict[str, str]:
        extra = {} if metrics_port is None else {"TICKETFLOW_METRICS_PORT": str(metrics_port)}
        return {**extra, "TICKETFLOW_APP_ID": group,
                "TICKETFLOW_SLA_FORGET_AFTER_S": str(self.config.forget_after_s),
                # the KPI state of a solved ticket lives until its FCR decision (7 d + 1 h by
                # default): "solved and past the grace period" means past that one too
                "TICKETFLOW_KPI_FCR_WINDOW_S": str(self.config.forget_after_s),
                "TICKETFLOW_KPI_FCR_GRACE_S": "0",
                # late events (after a ticket's FCR decision) leave states that wait for a
                # routed message: compressed too, but see BenchConfig.unrouted_after_s
                "TICKETFLOW_KPI_UNROUTED_AFTER_S": str(self.config.unrouted_after_s),
                "TICKETFLOW_DATA_DIR": str(self.out_dir / "data"),
                "TICKETFLOW_PARTITIONS": str(self.settings.partitions),
                "TICKETFLOW_MODEL_DIR": str(self.model_dir),
                "TICKETFLOW_DATABASE_URL": self.database_url,
                "TICKETFLOW_SLA_CLOCK_START": "routed_at",
                "TICKETFLOW_SLA_ASSIGN_WITHIN_S": "0"}

    def check(self, procs: Sequence[Any]) -> None:
        if self.watch.error is not None:
            raise PhaseFailed(f"the watching consumer failed: {self.watch.error!r}")
        for proc in procs:
            status = proc.poll()
            if status is not None:
                raise PhaseFailed(f"a child process exited with status {status}; see "
                                  f"{getattr(proc, 'log_path', self.out_dir)}")

    def wait_tickets(self, ids: Sequence[str], what: str, procs: Sequence[Any],
                     timeout_s: float | None = None, sla: bool = True,
                     on_tick: Callable[[], None] | None = None) -> float | None:
        """Until every id is routed (and has sla.applied when ``sla``); the time it completed,
        or None after ``timeout_s`` or ``quiet_s`` without progress."""
        seen = self.watch.seen
        pending = set(ids)
        last_progress, last_count = time.monotonic(), -1
        end_by = None if timeout_s is None else time.monotonic() + timeout_s
        next_note = time.monotonic() + 10
        while pending:
            self.check(procs)
            if on_tick:
                on_tick()
            done = {t for t in pending if t in seen.routed and (not sla or t in seen.applied)}
            pending -= done
            now = time.monotonic()
            if len(pending) != last_count:
                last_count, last_progress = len(pending), now
            if now >= next_note:
                next_note = now + 10
                self.progress(f"{what}: {len(ids) - len(pending)}/{len(ids)} tickets done "
                              f"(routed {sum(t in seen.routed for t in ids)})")
            if not pending:
                break
            if (end_by is not None and now > end_by) or now - last_progress > self.config.quiet_s:
                path = self.write_not_done(what, pending)
                self.progress(f"{what}: gave up with {len(pending)} tickets not done "
                              f"(listed in {path})")
                return None
            time.sleep(0.2)
        return max(max(seen.routed[t], seen.applied.get(t, 0.0) if sla else 0.0) for t in ids)

    def write_not_done(self, what: str, pending: set[str]) -> Path:
        """The tickets a phase gave up on (``not_done_report``), one JSON line each: the
        embedded broker is gone with the run, this is what is left for the post-mortem."""
        path = self.out_dir / f"not-done-{re.sub(r'[^a-z0-9]+', '-', what).strip('-')}.jsonl"
        report = not_done_report(pending, self.watch.seen,
                                 self.workload.records(0, self.next_index))
        path.write_text("".join(json.dumps(line) + "\n" for line in report))
        return path

    # -- phases

    def raw_passthrough(self, ranges: dict[tuple[str, int], tuple[int, int]]) -> dict[str, Any]:
        import asyncio

        self.progress("raw passthrough (aiokafka consume → produce) ...")
        count, first, last = asyncio.run(_raw_passthrough(self.bootstrap, ranges, self.security))
        rate = throughput(count, first, last)
        self.progress(f"raw passthrough: {count} records, {r1(rate)} msg/s")
        return {"raw_passthrough_msgs_per_s": r1(rate), "raw_passthrough_records": count}

    def faust_passthrough(self, ranges: dict[tuple[str, int], tuple[int, int]], count: int
                          ) -> dict[str, Any]:
        from ticketflow.broker import die_with_parent

        group = f"bench-faust-{self.tag}"
        position_group(self.bootstrap, group, {tp: low for tp, (low, _) in ranges.items()},
                       self.security)
        log = self.out_dir / "faust-passthrough.log"
        self.progress("faust passthrough (bare agent, take_events(500, 0.05), child process) ...")
        started = time.time()
        with open(log, "ab") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", "ticketflow.faust_passthrough", self.bootstrap, group,
                 FAUST_OUT, "500", "0.05", str(self.settings.partitions)],
                stdin=subprocess.DEVNULL, stdout=out, stderr=out, preexec_fn=die_with_parent,
                env={**os.environ, "PYTHONUNBUFFERED": "1"})
        seen = self.watch.seen
        base = seen.faust_out
        try:
            last_count, last_progress = base, time.monotonic()
            while seen.faust_out - base < count:
                if proc.poll() is not None:
                    raise PhaseFailed(f"the faust passthrough exited with {proc.returncode}; "
                                      f"see {log}")
                if seen.faust_out != last_count:
                    last_count, last_progress = seen.faust_out, time.monotonic()
                elif time.monotonic() - last_progress > self.config.quiet_s:
                    raise PhaseFailed(f"the faust passthrough forwarded {seen.faust_out - base}"
                                      f" of {count}, then nothing for {self.config.quiet_s} s")
                time.sleep(0.2)
        finally:
            proc.terminate()
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        rate = throughput(seen.faust_out - base, seen.faust_first, seen.faust_last)
        self.progress(f"faust passthrough: {seen.faust_out - base} records, {r1(rate)} msg/s")
        return {"faust_passthrough_msgs_per_s": r1(rate),
                "faust_passthrough_startup_s": r1((seen.faust_first or started) - started)}

    def pipeline_one(self, variants: Sequence[Variant], ranges: dict[tuple[str, int],
                     tuple[int, int]]) -> tuple[Any, ProcStats, dict[str, Any]]:
        from ticketflow.processes import WorkerProcess

        group = f"bench-pipeline-{self.tag}-1w"
        self.one_worker_app_id = group  # its app id too (worker_env)
        position_group(self.bootstrap, group, {tp: low for tp, (low, _) in ranges.items()},
                       self.security)
        from ticketflow.broker import free_port

        self.metrics_port = free_port()
        worker = WorkerProcess(self.bootstrap, self.out_dir / "worker-1w.log",
                               env=self.worker_env(group, self.metrics_port))
        self.stack.callback(worker.stop)
        ids = [t for v in variants for t in v.ticket_ids]
        self.progress(f"pipeline, one worker: {len(variants)} records, {len(ids)} tickets ...")
        started = time.time()
        worker.start()
        stats = ProcStats(worker.pid)
        first = self.wait_first(ids, [worker])
        cpu_first = stats.cpu_s()
        shares_first, wall_first = self.cpu_readings(stats, cpu_first), time.monotonic()
        routed_at_first = sum(t in self.watch.seen.routed for t in ids)
        done = self.wait_tickets(ids, "pipeline, one worker", [worker])
        if done is None:
            raise PhaseFailed("the one-worker pipeline did not finish the backlog")
        cpu_done = stats.cpu_s()
        shares = cores(shares_first, self.cpu_readings(stats, cpu_done),
                       time.monotonic() - wall_first)
        rate = throughput(len(variants), first, done)
        routed_done = max(self.watch.seen.routed[t] for t in ids)
        cpu_ms = (None if cpu_first is None or cpu_done is None
                  else 1000 * (cpu_done - cpu_first) / max(1, len(ids) - routed_at_first))
        rss = stats.rss_mb()
        handoff = worker_metrics(self.metrics_port, HANDOFF_TAKEN, HANDOFF_PARSED) or {}
        taken, parsed = handoff.get(HANDOFF_TAKEN), handoff.get(HANDOFF_PARSED)
        taken_share = (None if taken is None or parsed is None or taken + parsed == 0
                       else round(taken / (taken + parsed), 3))
        self.progress(f"pipeline, one worker: {r1(rate)} msg/s, {r1(cpu_ms)} ms CPU per ticket,"
                      f" RSS {r1(rss)} MB, routed tickets handed to the SLA agent: {taken_share}")
        self.progress("pipeline, one worker: cores used under the backlog: " + ", ".join(
            f"{name} {value}" for name, value in shares.items()))
        return worker, stats, {
            "pipeline_msgs_per_s": r1(rate),
            "pipeline_tickets_per_s": r1(throughput(len(ids), first, done)),
            # to tickets.routed only, SLA left out: how far the SLA agent trails routing
            "pipeline_routed_msgs_per_s": r1(throughput(len(variants), first, routed_done)),
            "pipeline_startup_s": r1(first - started),
            "pipeline_wall_s": r1(done - started),
            "cpu_ms_per_ticket": None if cpu_ms is None else round(cpu_ms, 2),
            "worker_cpu_s_total": r1(cpu_done),
            # which process sets the pace under the backlog (of the machine's ``cpus`` cores)
            "cpu_cores_backlog": shares,
            "rss_mb_after_backlog": r1(rss),
            # routed tickets the SLA agent took from the routing agent rather than parsing
            # them again (streams/handoff.py): below 1, it trailed routing by more than the
            # handoff holds
            "handoff_taken_share": taken_share,
        }

    def cpu_readings(self, worker: ProcStats, tree: float | None) -> dict[str, float | None]:
        """CPU seconds so far: the worker's own process, the processes below it (its pipeline
        child), the embedded broker, and this harness (the watching consumer included).
        ``tree``: the worker's ``cpu_s()``, read just before (not walked twice)."""
        own = worker.own_cpu_s()
        return {"worker": own,
                "worker_children": None if own is None or tree is None else tree - own,
                "broker": self.broker_stats.cpu_s(),
                "harness": time.process_time()}

    def wait_first(self, ids: Sequence[str], procs: Sequence[Any]) -> float:
        seen = self.watch.seen
        deadline = time.monotonic() + 180
        while True:
            self.check(procs)
            hits = [seen.routed[t] for t in ids if t in seen.routed]
            if hits:
                return min(hits)
            if time.monotonic() > deadline:
                raise PhaseFailed("no ticket came out within 180 s of starting the worker(s)")
            time.sleep(0.1)

    def latency(self, rate: int, worker: Any, sample: Callable[[], None]) -> dict[str, Any]:
        count = int(rate * self.config.rate_s)
        variants = self.take(count)
        published: dict[str, float] = {}
        self.progress(f"latency at {rate} msg/s for {self.config.rate_s:.0f} s ...")
        start = time.time() + 0.1
        for i, variant in enumerate(variants):
            due = start + i / rate
            delay = due - time.time()
            if delay > 0:
                time.sleep(delay)
            if i % 200 == 0:
                self.check([worker])
                sample()
            now = time.time()
            self.publisher.send(variant)
            for t in variant.ticket_ids:
                published[t] = now
        self.publisher.flush()
        offered = count / max(1e-9, time.time() - start)
        done = self.wait_tickets(list(published), f"latency at {rate} msg/s", [worker],
                                 timeout_s=self.config.drain_s, sla=False, on_tick=sample)
        seen = self.watch.seen
        summary = latency_summary(published, seen.routed)
        by_record_ts = latency_summary(published, seen.routed_sent)
        # the last third of the run against the first: is latency still rising at the end?
        ordered = sorted(published.items(), key=lambda kv: kv[1])
        third = len(ordered) // 3
        first_third = latency_summary(dict(ordered[:third]), seen.routed)
        last_third = latency_summary(dict(ordered[-third:]), seen.routed)
        self.progress(f"latency at {rate} msg/s (offered {offered:.0f}): p50 "
                      f"{summary['p50_ms']} ms, p99 {summary['p99_ms']} ms, "
                      f"{summary['missing']} not arrived"
                      + ("" if done else f" after {self.config.drain_s:.0f} s"))
        return {"rate": rate, "offered_msgs_per_s": r1(offered), **summary,
                "p99_ms_record_timestamp": by_record_ts["p99_ms"],
                "p99_ms_first_third": first_third["p99_ms"],
                "p99_ms_last_third": last_third["p99_ms"]}

    def soak(self, worker: Any, sample: Callable[[], None], routed_before: int
             ) -> dict[str, Any]:
        """More backlog through the same worker until it has routed ``soak_tickets``, every
        routed ticket solved as it comes out (those of the earlier phases first); then the
        grace period is waited out, so the SLA states of all of them are due to be gone."""
        target = self.config.soak_tickets
        chunk = 5000
        routed = routed_before
        seen = self.watch.seen
        solved = [0]  # how many of seen.routed_order are solved

        def solve_routed() -> None:
            fresh = seen.routed_order[solved[0]:]
            solved[0] += self.publisher.solve(fresh, datetime.now(UTC))

        def tick() -> None:
            solve_routed()
            sample()  # RSS half-way through, for the plateau check

        self.progress(f"soak: to {target} tickets through the same worker, each solved ...")
        started = time.monotonic()
        solve_routed()
        while routed < target:
            need = math.ceil((target - routed) / self.workload.tickets_per_record)
            variants = self.take(min(chunk, need + 10))
            self.publish_backlog(variants)
            ids = [t for v in variants for t in v.ticket_ids]
            if self.wait_tickets(ids, "soak", [worker], on_tick=tick) is None:
                raise PhaseFailed("the soak stalled")
            routed += len(ids)
            solve_routed()
        # past the grace period: until the worker says it forgot every solved ticket
        forgotten, kpi_left = self.wait_forgotten(solved[0], worker)
        sample()
        result: dict[str, Any] = {
            "soak_s": r1(time.monotonic() - started), "soak_tickets_routed": routed,
            "soak_tickets_solved": solved[0], "sla_states_forgotten": forgotten,
            "kpi_states_left": kpi_left, "sla_forget_after_s": self.config.forget_after_s,
            "kpi_unrouted_after_s": self.config.unrouted_after_s}
        if kpi_left:
            result["kpi_states_left_file"] = str(self.dump_kpi_states(self.one_worker_app_id))
        return result

    def dump_kpi_states(self, app_id: str) -> Path:
        """The KPI states still stored (the changelog's last value per key, read from the
        broker), one JSON line each, for the post-mortem of states that were never forgotten."""
        from streams.topics import changelog_topic
        from streams.topology import KPI_TABLE

        path = self.out_dir / "kpi-states-left.jsonl"
        states = live_table_values(self.bootstrap, changelog_topic(app_id, KPI_TABLE),
                                   self.security)
        with path.open("wb") as out:
            for value in states.values():
                out.write(value + b"\n")
        self.progress(f"soak: {len(states)} KPI states still stored, written to {path}")
        return path

    def settle(self, workers: list[Any]) -> None:
        """``settle_s`` with nothing published, the workers watched (a worker that exits
        fails the phase)."""
        self.progress(f"soak: {self.config.settle_s:.0f} s idle before reading RSS ...")
        end_by = time.monotonic() + self.config.settle_s
        while (left := end_by - time.monotonic()) > 0:
            self.check(workers)
            time.sleep(min(1.0, left))

    def wait_forgotten(self, solved: int, worker: Any, timeout_s: float = 600.0
                       ) -> tuple[int | None, int | None]:
        """Until the worker has forgotten every solved ticket: its
        ``ticketflow_sla_states_forgotten_total`` reaches ``solved`` and its
        ``ticketflow_kpi_tracked_tickets`` is 0 (the KPI stage drops a ticket's state once its
        FCR is decided, by a 1 s timer after the window). Both counts as last read (None: the
        endpoint never answered)."""
        self.progress(f"soak: waiting for the worker to forget {solved} solved tickets ...")
        end_by = time.monotonic() + max(timeout_s, self.config.forget_after_s)
        forgotten = tracked = None
        while time.monotonic() < end_by:
            self.check([worker])
            values = worker_metrics(self.metrics_port, FORGOTTEN, KPI_TRACKED)
            if values is not None:
                forgotten = int(values.get(FORGOTTEN, 0))
                tracked = int(values[KPI_TRACKED]) if KPI_TRACKED in values else None
                if forgotten >= solved and tracked == 0:
                    break
            time.sleep(1.0)
        self.progress(f"soak: {forgotten} SLA states forgotten, {tracked} KPI states left")
        return forgotten, tracked

    def pipeline_two(self) -> dict[str, Any]:
        from ticketflow.processes import WorkerProcess

        group = f"bench-pipeline-{self.tag}-2w"
        # at the log ends: only what comes next
        position_group(self.bootstrap, group, security=self.security)
        variants = self.take(self.config.n)
        self.publish_backlog(variants)
        ids = [t for v in variants for t in v.ticket_ids]
        workers = [WorkerProcess(self.bootstrap, self.out_dir / f"worker-2w-{i}.log",
                                 env=self.worker_env(group)) for i in (1, 2)]
        for w in workers:
            self.stack.callback(w.stop)
        self.progress(f"pipeline, two workers: {len(variants)} records, {len(ids)} tickets ...")
        started = time.time()
        for w in workers:
            w.start()
        first = self.wait_first(ids, workers)
        done = self.wait_tickets(ids, "pipeline, two workers", workers)
        for w in workers:
            w.stop()
        if done is None:
            raise PhaseFailed("the two-worker pipeline did not finish the backlog")
        rate = throughput(len(variants), first, done)
        routed_done = max(self.watch.seen.routed[t] for t in ids)
        self.progress(f"pipeline, two workers: {r1(rate)} msg/s")
        return {"pipeline_2workers_msgs_per_s": r1(rate),
                "pipeline_2workers_routed_msgs_per_s": r1(
                    throughput(len(variants), first, routed_done)),
                "pipeline_2workers_startup_s": r1(first - started),
                "pipeline_2workers_wall_s": r1(done - started)}

    # -- all of it

    def setup(self) -> None:
        """Model and store, the workload, the broker (embedded unless given), the topics, the
        watching consumer and the publisher; each stopped when ``self.stack`` closes."""
        import corpus
        from streams.admin import create_topics
        from streams.topics import TopicSpec, all_topics
        from ticketflow.broker import EmbeddedBroker, find_tansu
        from ticketflow.failover_bench import prepare

        settings = self.settings
        self.model_dir, self.database_url = prepare(settings, self.out_dir, self.progress)
        self.workload = Workload(
            load_bases((f.channel, f.read_bytes()) for f in corpus.load_manifest()), self.tag)
        bootstrap = settings.kafka_bootstrap
        if bootstrap is None:
            broker = EmbeddedBroker(find_tansu(settings.tansu_bin),
                                    log_path=self.out_dir / "broker.log")
            self.stack.callback(broker.stop)
            bootstrap = broker.start()
            self.broker_stats = ProcStats(broker.pid)
        self.bootstrap, self.security = bootstrap, settings.security_for(bootstrap)
        bench_topics = [TopicSpec(RAW_OUT, "as the input", "bench: raw passthrough output"),
                        TopicSpec(FAUST_OUT, "as the input", "bench: faust passthrough")]
        create_topics(bootstrap, [*all_topics(), *bench_topics], settings.partitions,
                      settings.replication_factor, security=self.security)
        self.watch = Watch(bootstrap, self.security)
        self.watch.start()
        self.stack.callback(self.watch.stop)
        self.publisher = Publisher(bootstrap, self.security)
        self.stack.callback(self.publisher.close)

    def run(self) -> dict[str, Any]:
        config, settings = self.config, self.settings
        started = time.monotonic()
        with self.stack:
            self.setup()
            cpu_started = time.process_time()  # after a first run's model training

            backlog = self.take(config.n)
            ranges = offset_ranges(self.publish_backlog(backlog))
            result: dict[str, Any] = {
                "bench": "pipeline", "records": config.n,
                "tickets": sum(len(v.ticket_ids) for v in backlog),
                "deadletter_records": sum(not v.ticket_ids for v in backlog),
                "partitions": settings.partitions, "cpus": os.cpu_count(),
                "broker": settings.kafka_bootstrap or "embedded (Tansu)",
            }
            result.update(self.raw_passthrough(ranges))
            result.update(self.faust_passthrough(ranges, config.n))

            worker, stats, one = self.pipeline_one(backlog, ranges)
            result.update(one)
            # RSS at given routed-ticket counts, sampled while the worker runs
            marks: dict[int, float | None] = {}
            seen = self.watch.seen

            def sample() -> None:
                # this run's group is the only router so far; the soak's mark is taken when it
                # ends (every ticket solved and forgotten), not as the count passes; the middle
                # one shows whether RSS is still rising or has levelled off
                middle = (20_000 + config.soak_tickets) // 2
                for mark in (20_000, middle):
                    if mark not in marks and len(seen.routed) >= mark:
                        marks[mark] = stats.rss_mb()

            sample()
            latencies = [self.latency(rate, worker, sample) for rate in config.rates]
            for entry in latencies:
                if entry["rate"] == 200:
                    result["e2e_latency_p50_ms"] = entry["p50_ms"]
                    result["e2e_latency_p99_ms"] = entry["p99_ms"]
                else:
                    result[f"e2e_latency_p50_ms_at_{entry['rate']}"] = entry["p50_ms"]
                    result[f"e2e_latency_p99_ms_at_{entry['rate']}"] = entry["p99_ms"]
            result["latency"] = latencies
            if not config.skip_soak:
                result.update(self.soak(worker, sample, len(seen.routed)))
                result[f"rss_mb_at_{config.soak_tickets // 1000}k_at_once"] = r1(stats.rss_mb())
                self.settle([worker])
                marks[config.soak_tickets] = stats.rss_mb()
            sample()
            result["peak_rss_mb"] = r1(stats.peak_mb())
            result["rss_mb_at_20k"] = r1(marks.get(20_000))
            middle = (20_000 + config.soak_tickets) // 2
            result[f"rss_mb_at_{middle // 1000}k_unsolved_in_flight"] = r1(marks.get(middle))
            result[f"rss_mb_at_{config.soak_tickets // 1000}k"] = r1(marks.get(config.soak_tickets))
            result["rss_growth_pct_100k"] = (
                None if config.skip_soak else growth_pct(marks.get(20_000),
                                                         marks.get(config.soak_tickets)))
            result["worker_tickets_routed"] = len(seen.routed)
            result["worker_cpu_s_total"] = r1(stats.cpu_s())
            worker.stop()
            result.update(self.pipeline_two())
            one_w, two_w = result["pipeline_msgs_per_s"], result["pipeline_2workers_msgs_per_s"]
            result["two_workers_speedup"] = (round(two_w / one_w, 2) if one_w and two_w
                                             else None)
            faust = result["faust_passthrough_msgs_per_s"]
            result["pipeline_share_of_faust_passthrough"] = (round(one_w / faust, 3)
                                                             if one_w and faust else None)
            result["duplicate_routed_messages"] = seen.routed_messages - len(seen.routed)
        result["soak"] = not config.skip_soak
        result["seconds"] = r1(time.monotonic() - started)
        # this process (publisher, watching consumer) shares the cores with the worker
        result["harness_cpu_s"] = r1(time.process_time() - cpu_started)
        result["harness_watch_cpu_s"] = r1(self.watch.cpu_s)
        result["plot"] = str(write_plot(result["latency"], self.out_dir / "latency.png"))
        result["json"] = str(self.out_dir / "pipeline.json")
        (self.out_dir / "pipeline.json").write_text(json.dumps(result, indent=2) + "\n")
        return result


def write_plot(latencies: Sequence[dict[str, Any]], path: Path) -> Path:
    from ticketflow.png_plot import Series, line_plot

    rates = [float(e["rate"]) for e in latencies]
    png = line_plot(
        [Series("p50", rates, [e["p50_ms"] for e in latencies], (31, 119, 180)),
         Series("p99", rates, [e["p99_ms"] for e in latencies], (214, 39, 40))],
        x_label="offered load msg/s", y_label="latency ms (publish to tickets.routed)")
    path.write_bytes(png)
    return path


def bench_pipeline(settings: Settings, config: BenchConfig, out_dir: Path | None = None,
                   progress: Progress = lambda _: None) -> dict[str, Any]:
    """Run everything; return the result (the JSON the CLI prints). Logs, the JSON and the
    plot go to ``out_dir`` (default ``DATA_DIR/bench-pipeline``, replaced on every run)."""
    out = out_dir or settings.data_dir / "bench-pipeline"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    return Run(settings, config, out.resolve(), progress).run()
