"""Hourly KPI rollups and volume spikes without Kafka: :class:`RollupStage` turns a micro-batch of
:class:`~schemas.kpi.KpiFacts` messages (the internal ``<app id>-kpi-facts`` topic, keyed by
intent; each one batch's :class:`~schemas.kpi.KpiFact` records of one intent) into
:class:`~schemas.kpi.KpiRollup` and :class:`~schemas.kpi.KpiAlert` records, gauge values and
table writes. The faust agent (``streams/kpi_rollup_worker.py``) is a thin loop
around it; tests drive it with a dict for a table and an injected clock.

**Event time only.** Every fact counts in the hour of its own ``at``. Each input partition has
a watermark: the newest ``received_at`` of the ``received`` facts seen on it (tickets of any
intent), never past the wall clock (a fact dated in the future cannot close hours that have not
happened; one dated more than :data:`MAX_AHEAD` ahead is skipped as invalid). Only tickets'
arrival moves it: the other facts carry a help desk's clock (solved, csat), an SLA deadline
(breach) or the moment a timer decided (fcr), which in a replay of old tickets — the demo's
corpus answered by a help desk living in the present — is weeks ahead of the tickets still
coming, and would close their hours and make them too late to count. An hour closes — its
cells are emitted as revision 1 — when its partition's watermark passes the hour's end by
``lateness`` (``TICKETFLOW_KPI_ROLLUP_LATENESS_S``, 5 min), whether or not its intent had facts
since. The wall clock is read only for ``emitted_at`` and ``detected_at``. So a replay of old
traffic (the demo corpus is dated November 2026) gives the rollups and spikes live traffic
gave: the latest revision of every rollup depends only on the set of facts within the kept
hours (never on batch boundaries, since hours close fact by fact), and the alerts on the facts'
order, which a replay in received order reproduces.

**Late facts and duplicates.** A closed hour is kept ``keep`` (``TICKETFLOW_KPI_ROLLUP_KEEP_H``,
48 h) after its end: a fact arriving for it updates its cell, which is emitted again with
``revision`` + 1 (``kpi.rollups`` is compacted: the latest revision per ``rollup_id`` is the
truth; the baseline keeps the count the hour had when it closed). A fact for an hour older
than that is counted as late (``late`` in the output, the
``ticketflow_kpi_facts_late_total`` counter) and is in no rollup. A fact is recognised by its
``fact_id`` within its hour (a fact's ``at`` is deterministic, so a redelivery lands in the same
hour): a duplicate changes nothing.

**Percentiles.** First response and resolution p50/p90 are nearest-rank percentiles (the
smallest value with at least p of the values at or below it: always a value that occurred),
exact over a cell's values up to :data:`MAX_SAMPLE` of them. Beyond that a cell keeps the
:data:`MAX_SAMPLE` values whose fact ids hash lowest: a uniform sample that does not depend on
arrival order, so a replay keeps the same one.

**Baseline: an EWMA, not the same hour of the week.** The expected hourly volume of an intent is
an exponentially weighted moving average of its closed hours' ``received`` counts, half-life
``TICKETFLOW_KPI_BASELINE_HALF_LIFE_H`` (24 h): at each closed hour ``b ← α·b + (1−α)·count``
with ``α = 0.5^(1/half-life)``, and every hour without a fact counts as 0 (the baseline decays
across empty hours). The first hour of an intent ever seen initialises it (``b = count``).
Same-hour-of-week baselines need weeks of history per intent before they mean anything — a new
shop, a new intent or a worker with 48 h of kept state has none — and they hold 168 numbers per
intent; the EWMA works from the first day with one number. Hourly seasonality (a quiet night
against a busy noon) is what the ratio threshold and the minimum count absorb: a spike must be
``kpi_spike_ratio`` (3×) the average *and* at least ``kpi_spike_min_count`` (10) tickets.

**Spike.** The current hour's ``received`` count of an intent is compared, on every received
fact, with the baseline as it stands before that hour (closed hours folded, earlier still-open
hours folded with their counts so far). The baseline is floored at ``min_count / ratio``
(3.33 tickets an hour by default), so ``ratio = count / max(baseline, min_count / ratio)``
reaches the threshold ratio exactly when the count reaches both ``ratio × baseline`` and the
minimum count: a new intent (baseline 0) is not a spike on its first few tickets, its ratio
is finite, and ``ticketflow_kpi_intent_volume_ratio >= kpi_spike_ratio`` means a spike. The
first time an hour crosses it, one :class:`~schemas.kpi.KpiAlert` is emitted for (intent, hour)
with up to :data:`MAX_EXAMPLES` example ticket ids (the earliest received) and the most frequent
order facts of the hour's tickets. A kept hour that closed without a spike can still become
one with late facts (compared with the baseline it closed with): a replay compressed into
minutes reaches the worker out of order — the pipeline reads the channels' topics and the
partitions in fetch order, not in received order — so an hour's tickets can arrive after
the watermark passed it (then ``keep`` must span the replay's disorder: the demo sets it to the
corpus' span).

**Gauges.** Each intent's volume ratio and spike flag are for the hour holding its partition's
watermark (count 0 when it has no ticket in that hour yet), recomputed for the intents a batch
touched and, when a partition's watermark enters a new hour, for every intent of the partition.

**State, bounded.** Table keys (values are JSON bytes):

* ``<intent>`` — :class:`IntentState`: the baseline and the list of held hours with their counts.
  Deleted when it holds no hour and its decayed baseline is below
  :data:`FORGET_BASELINE_BELOW` (then it behaves as a new intent would, to within that).
* ``<intent>/<hour start ISO>`` — :class:`HourState`: one hour's cells (queue × channel; per cell
  at most 2 × :data:`MAX_SAMPLE` values), its fact ids (for duplicates), at most
  :data:`MAX_EXAMPLES` examples and :data:`MAX_ORDER_FACTS` distinct order facts. Deleted
  (tombstone) ``keep`` after the hour's end.
* ``@partition/<n>`` — :class:`PartitionState`: the partition's watermark and its intents with
  the watermark at which each next needs attention.

So an intent holds at most ``keep_h + 2`` hours up to its watermark (50 by default: the kept
closed hours, the one still within its lateness, the watermark's own), plus the hours of facts
dated between the watermark and the wall clock (+ :data:`MAX_AHEAD`): in live traffic none or
one; in a replay answered by a live help desk, the hours the replay has lasted. Each is as
large as that hour's facts (≈30 bytes of fact id per fact) plus a bounded part (per cell
2 × :data:`MAX_SAMPLE` values); intents are the classifier's (a bounded set, and
``unknown``), and a partition entry lists only those. Memory follows the last two days'
traffic, not every ticket ever seen. Measured offline (``RollupStage`` alone, batches of
500): 40k facts of one intent in one hour ≈70 µs a fact and a 1.2 MB hour entry; 40k facts of
30 intents over 44 h ≈125 µs a fact.
"""

from __future__ import annotations

import bisect
import hashlib
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from core.settings import Settings
from schemas.common import in_time_range
from schemas.kpi import KpiAlert, KpiFact, KpiFacts, KpiRollup, OrderFactCount
from sla.stage import InMessage

HOUR = timedelta(hours=1)
MAX_SAMPLE = 256
"""Values kept per cell and metric (first response, resolution): percentiles are exact up to
this many."""
MAX_EXAMPLES = 10
MAX_ORDER_FACTS = 64
"""Distinct ``field=value`` order facts counted per hour; later new ones are not counted (the
fields are carrier, status and late: a shop has far fewer)."""
TOP_ORDER_FACTS = 5
FORGET_BASELINE_BELOW = 0.01
"""Tickets an hour: an intent with no kept hour and a baseline decayed below this is deleted."""
MAX_AHEAD = HOUR
"""A fact dated further than this ahead of the wall clock is skipped as invalid (a help desk's
or a provider's clock far off); within it, a fact counts in its hour, which closes once the
wall clock and the watermark have passed it."""
PARTITION_PREFIX = "@partition/"
UNKNOWN_INTENT = "unknown"

TableGet = Callable[[str], Any]


@dataclass(frozen=True)
class RollupConfig:
    spike_ratio: float = 3.0
    spike_min_count: int = 10
    half_life_h: float = 24.0
    lateness: timedelta = timedelta(minutes=5)
    keep: timedelta = timedelta(hours=48)

    @property
    def decay(self) -> float:
        """α: the weight of the old baseline after one hour."""
        return float(0.5 ** (1.0 / self.half_life_h))

    @property
    def floor(self) -> float:
        """The smallest baseline a ratio is computed with: min_count / ratio."""
        return self.spike_min_count / self.spike_ratio


def rollup_config(settings: Settings) -> RollupConfig:
    return RollupConfig(
        spike_ratio=settings.kpi_spike_ratio,
        spike_min_count=settings.kpi_spike_min_count,
        half_life_h=settings.kpi_baseline_half_life_h,
        lateness=timedelta(seconds=settings.kpi_rollup_lateness_s),
        keep=timedelta(hours=settings.kpi_rollup_keep_h),
    )


def hour_of(at: datetime) -> datetime:
    return at.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def hour_key(intent: str, start: datetime) -> str:
    return f"{intent}/{start.isoformat()}"


def partition_key(partition: int) -> str:
    return f"{PARTITION_PREFIX}{partition}"


def rollup_id(start: datetime, queue: str, channel: str, intent: str) -> str:
    return f"{start.isoformat()}|{queue}|{channel}|{intent}"


def alert_id(intent: str, start: datetime) -> str:
    digest = hashlib.sha256(f"{intent}\x1f{start.isoformat()}".encode()).hexdigest()
    return f"ka_{digest[:24]}"


def _rank(fact_id: str) -> int:
    return int.from_bytes(hashlib.sha256(fact_id.encode()).digest()[:8], "big")


def percentile(values: Iterable[float], p: float) -> float | None:
    """Nearest rank: the smallest value with at least ``p`` of the values at or below it."""
    ordered = sorted(values)
    if not ordered:
        return None
    return ordered[max(math.ceil(p * len(ordered)), 1) - 1]


# --- state (the table's JSON; parsed per batch, mutated only in the batch's working set) ------

class _State(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Cell(_State):
    """One hour × queue × channel of an intent."""

    queue: str
    channel: str
    revision: int = 0
    """Of the last emitted rollup: 0 while the hour is open."""
    received: int = 0
    solved: int = 0
    first_response: list[tuple[int, float]] = []
    """(rank of the fact id, seconds), the lowest ranks, at most MAX_SAMPLE, sorted by rank."""
    resolution: list[tuple[int, float]] = []
    fcr_decided: int = 0
    fcr_resolved: int = 0
    csat_count: int = 0
    csat_sum: int = 0
    breaches: int = 0


class HourState(_State):
    intent: str
    start: datetime
    closed: bool = False
    received: int = 0
    """The intent's received facts in the hour, all cells: the spike count."""
    alerted: bool = False
    cells: dict[str, Cell] = {}
    seen: list[str] = []
    """Fact ids applied (duplicates change nothing)."""
    examples: list[tuple[datetime, str]] = []
    """(received at, ticket id): the earliest MAX_EXAMPLES received tickets."""
    order_facts: dict[str, int] = {}
    """``field=value`` → received tickets with it (at most MAX_ORDER_FACTS keys)."""
    with_orders: int = 0
    """Received tickets with at least one order fact."""


class HeldHour(_State):
    start: datetime
    received: int = 0
    closed: bool = False
    alerted: bool = False
    expected: float | None = None
    """Once closed: the baseline it was compared with (before it was folded in); a late
    fact's spike check uses it."""


class IntentState(_State):
    intent: str
    partition: int
    baseline: float = 0.0
    baseline_through: datetime | None = None
    """The start of the last hour folded into the baseline; None: no hour yet."""
    hours: list[HeldHour] = []
    """The hours held (open or closed and kept), oldest first."""


class PartitionState(_State):
    partition: int
    watermark: datetime | None = None
    due: dict[str, datetime] = {}
    """Intent → the watermark at which it next needs attention (close or forget an hour,
    forget the intent)."""


# --- outputs ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Volume:
    partition: int
    ratio: float
    spiking: bool


@dataclass
class Output:
    rollups: list[KpiRollup] = field(default_factory=list)
    alerts: list[KpiAlert] = field(default_factory=list)
    writes: list[tuple[int, str, bytes | None]] = field(default_factory=list)
    """(partition, key, JSON or None for a delete), to store after the records are delivered."""
    volumes: dict[str, Volume] = field(default_factory=dict)
    forgotten: list[str] = field(default_factory=list)
    """Intents whose state was deleted: stop exporting their gauges."""
    late: int = 0
    duplicates: int = 0
    invalid: int = 0
    """Messages that are not a KpiFact (our own output: a bug, logged and skipped)."""


# --- the baseline -------------------------------------------------------------------------

def _fold(baseline: float, through: datetime | None, start: datetime, count: int,
          decay: float) -> float:
    """The baseline after hour ``start`` (with ``count``), from one folded through ``through``:
    the empty hours in between count as 0."""
    if through is None:
        return float(count)
    empty = max(int((start - through) / HOUR) - 1, 0)
    return (decay ** (empty + 1)) * baseline + (1 - decay) * count


def baseline_for(state: IntentState, start: datetime, config: RollupConfig) -> float:
    """The intent's expected count for hour ``start``: the baseline with every earlier hour
    folded (closed ones already are; open ones with their counts so far; empty ones as 0)."""
    baseline, through = state.baseline, state.baseline_through
    for held in state.hours:
        if held.closed or held.start >= start or (through is not None and held.start <= through):
            continue
        baseline = _fold(baseline, through, held.start, held.received, config.decay)
        through = held.start
    if through is None:
        return 0.0
    empty = max(int((start - through) / HOUR) - 1, 0)
    return float((config.decay ** empty) * baseline)


def _forget_baseline_at(state: IntentState, config: RollupConfig) -> datetime:
    """The watermark from which the decayed baseline is below FORGET_BASELINE_BELOW."""
    through = state.baseline_through
    if through is None or state.baseline < FORGET_BASELINE_BELOW:
        return datetime.min.replace(tzinfo=UTC)
    hours = math.ceil(math.log(FORGET_BASELINE_BELOW / state.baseline) / math.log(config.decay))
    return through + HOUR * (hours + 1)


# --- the stage ----------------------------------------------------------------------------

class _Batch:
    """The batch's working set over the table: each state parsed once (later loads return the
    same object), the changed ones written once at the end."""

    def __init__(self, get: TableGet) -> None:
        self.get = get
        self.cache: dict[str, _State | None] = {}
        self.dirty: dict[str, int] = {}
        """Key → the partition to write it to."""
        self.seen: dict[str, set[str]] = {}
        """Hour key → its fact ids as a set (the state keeps a list)."""

    def seen_in(self, key: str, hour: HourState) -> set[str]:
        if key not in self.seen:
            self.seen[key] = set(hour.seen)
        return self.seen[key]

    def load(self, key: str, kind: type[_State]) -> Any:
        if key not in self.cache:
            raw = self.get(key)
            self.cache[key] = None if raw is None else kind.model_validate_json(raw)
        return self.cache[key]

    def put(self, partition: int, key: str, state: _State | None) -> None:
        self.cache[key] = state
        self.dirty[key] = partition

    def writes(self) -> list[tuple[int, str, bytes | None]]:
        out = []
        for key, partition in self.dirty.items():
            state = self.cache[key]
            data = None if state is None else state.model_dump_json().encode()
            if self.get(key) != data:
                out.append((partition, key, data))
        return out


def _facts(messages: Iterable[InMessage], out: Output) -> Iterator[tuple[KpiFact, int]]:
    """Each message's facts (a :class:`~schemas.kpi.KpiFacts`) with its partition, in order; a
    message that is not one counts in ``out.invalid``."""
    for message in messages:
        try:
            facts = KpiFacts.model_validate_json(message.value).facts
        except ValidationError:
            out.invalid += 1
            continue
        for fact in facts:
            yield fact, message.partition


class RollupStage:
    def __init__(self, config: RollupConfig, clock: Callable[[], datetime]) -> None:
        self.config = config
        self.clock = clock

    def handle_batch(self, messages: Iterable[InMessage], get: TableGet) -> Output:
        """The records, gauge values and writes for a micro-batch, fact by fact (so batch
        boundaries change nothing). Never raises on bad input: counts it."""
        now = self.clock()
        batch = _Batch(get)
        out = Output()
        emitted: dict[str, KpiRollup] = {}
        hour_before: dict[int, datetime | None] = {}
        touched: dict[str, int] = {}
        for fact, p in _facts(messages, out):
            if not in_time_range(fact.at):  # a sender's bug: hour arithmetic would overflow
                out.invalid += 1
                continue
            if fact.at.tzinfo is None:  # naive: UTC, as everywhere in ticketflow
                fact = fact.model_copy(update={"at": fact.at.replace(tzinfo=UTC)})
            if fact.at > now + MAX_AHEAD:  # a clock far off: it would hold an hour open
                out.invalid += 1
                continue
            part = batch.load(partition_key(p), PartitionState) or PartitionState(partition=p)
            if p not in hour_before:
                hour_before[p] = None if part.watermark is None else hour_of(part.watermark)
            self._apply(fact, p, part, batch, out, emitted, now)
            touched[fact.intent or UNKNOWN_INTENT] = p
            at = min(fact.at.astimezone(UTC), now)
            if fact.kind == "received" and (part.watermark is None or at > part.watermark):
                part.watermark = at
            if part.watermark is not None:
                self._advance(part, batch, out, emitted, now)
            batch.put(p, partition_key(p), part)
        out.rollups = list(emitted.values())
        for p, before in hour_before.items():
            part = batch.load(partition_key(p), PartitionState)
            moved = part.watermark is not None and hour_of(part.watermark) != before
            for intent in (part.due if moved else ()):
                touched.setdefault(intent, p)
        forgotten = set(out.forgotten)
        for intent, p in touched.items():
            if intent in forgotten:
                continue
            part = batch.load(partition_key(p), PartitionState)
            state = batch.load(intent, IntentState)
            if state is not None and part.watermark is not None:
                out.volumes[intent] = self._volume(state, hour_of(part.watermark))
        out.writes = batch.writes()
        return out

    # one fact
    def _apply(self, fact: KpiFact, partition: int, part: PartitionState, batch: _Batch,
               out: Output, emitted: dict[str, KpiRollup], now: datetime) -> None:
        intent = fact.intent or UNKNOWN_INTENT
        start = hour_of(fact.at)
        if part.watermark is not None and start + HOUR <= part.watermark - self.config.keep:
            out.late += 1
            return
        state = batch.load(intent, IntentState)
        if state is None:
            state = IntentState(intent=intent, partition=partition)
            if intent in out.forgotten:  # forgotten earlier in this batch, back now
                out.forgotten.remove(intent)
        key = hour_key(intent, start)
        hour = batch.load(key, HourState)
        if hour is None:
            hour = HourState(intent=intent, start=start)
            closed = part.watermark is not None and self._closes_at(start) <= part.watermark
            hour.closed = closed
            # first seen closed: compared with the baseline as it stands (folded past it)
            expected = baseline_for(state, start, self.config) if closed else None
            bisect.insort(state.hours, HeldHour(start=start, closed=closed, expected=expected),
                          key=lambda h: h.start)
        seen = batch.seen_in(key, hour)
        if fact.fact_id in seen:
            out.duplicates += 1
            return
        seen.add(fact.fact_id)
        hour.seen.append(fact.fact_id)
        cell_key = f"{fact.queue}|{fact.channel}"
        cell = hour.cells.get(cell_key)
        if cell is None:
            cell = hour.cells[cell_key] = Cell(queue=fact.queue, channel=fact.channel)
        _count(cell, hour, fact)
        held = next(h for h in state.hours if h.start == start)
        held.received = hour.received
        if fact.kind == "received" and not hour.alerted:
            alert = self._spike(state, held, hour, now)
            if alert is not None:
                hour.alerted = held.alerted = True
                out.alerts.append(alert)
        if hour.closed:  # a late fact for a kept hour: its cell again, one revision up
            cell.revision += 1
            emitted[rollup_id(start, cell.queue, cell.channel, intent)] = self._rollup(
                hour, cell, now)
        batch.put(partition, key, hour)
        batch.put(partition, intent, state)
        part.due[intent] = self._due(state)

    def _closes_at(self, start: datetime) -> datetime:
        return start + HOUR + self.config.lateness

    def _forget_at(self, start: datetime) -> datetime:
        return start + HOUR + self.config.keep

    def _due(self, state: IntentState) -> datetime:
        times = [self._closes_at(h.start) if not h.closed else self._forget_at(h.start)
                 for h in state.hours]
        if not state.hours:
            times.append(_forget_baseline_at(state, self.config))
        return min(times)

    # the watermark moved: close, forget
    def _advance(self, part: PartitionState, batch: _Batch, out: Output,
                 emitted: dict[str, KpiRollup], now: datetime) -> None:
        watermark = part.watermark
        assert watermark is not None
        for intent in sorted(i for i, due in part.due.items() if due <= watermark):
            state = batch.load(intent, IntentState)
            if state is None:  # cannot happen: the entry is written with the state
                del part.due[intent]
                continue
            for held in list(state.hours):
                key = hour_key(intent, held.start)
                if not held.closed and self._closes_at(held.start) <= watermark:
                    hour = batch.load(key, HourState)
                    hour.closed = held.closed = True
                    held.expected = baseline_for(state, held.start, self.config)
                    if state.baseline_through is None or held.start > state.baseline_through:
                        state.baseline = _fold(state.baseline, state.baseline_through,
                                               held.start, held.received, self.config.decay)
                        state.baseline_through = held.start
                    for cell in hour.cells.values():
                        cell.revision += 1
                        emitted[rollup_id(held.start, cell.queue, cell.channel, intent)] = (
                            self._rollup(hour, cell, now))
                    batch.put(part.partition, key, hour)
                if held.closed and self._forget_at(held.start) <= watermark:
                    state.hours.remove(held)
                    batch.put(part.partition, key, None)
            if not state.hours and _forget_baseline_at(state, self.config) <= watermark:
                batch.put(part.partition, intent, None)
                del part.due[intent]
                out.forgotten.append(intent)
                continue
            batch.put(part.partition, intent, state)
            part.due[intent] = self._due(state)

    # records
    def _rollup(self, hour: HourState, cell: Cell, now: datetime) -> KpiRollup:
        fr = [v for _, v in cell.first_response]
        res = [v for _, v in cell.resolution]
        return KpiRollup(
            rollup_id=rollup_id(hour.start, cell.queue, cell.channel, hour.intent),
            hour_start=hour.start, queue=cell.queue, channel=cell.channel, intent=hour.intent,
            revision=cell.revision, received=cell.received, solved=cell.solved,
            first_response_p50_s=percentile(fr, 0.5), first_response_p90_s=percentile(fr, 0.9),
            resolution_p50_s=percentile(res, 0.5), resolution_p90_s=percentile(res, 0.9),
            fcr_decided=cell.fcr_decided, fcr_resolved=cell.fcr_resolved,
            fcr_rate=cell.fcr_resolved / cell.fcr_decided if cell.fcr_decided else None,
            csat_count=cell.csat_count,
            csat_avg=cell.csat_sum / cell.csat_count if cell.csat_count else None,
            breaches=cell.breaches, emitted_at=now,
        )

    def _spike(self, state: IntentState, held: HeldHour, hour: HourState,
               now: datetime) -> KpiAlert | None:
        config = self.config
        baseline = (held.expected if held.expected is not None
                    else baseline_for(state, hour.start, config))
        # the definition, not ratio >= spike_ratio: the same test without float division
        if hour.received < max(config.spike_min_count, config.spike_ratio * baseline):
            return None
        ratio = hour.received / max(baseline, config.floor)
        return KpiAlert(
            alert_id=alert_id(hour.intent, hour.start), intent=hour.intent,
            window_start=hour.start, window_end=hour.start + HOUR, count=hour.received,
            baseline=baseline, ratio=ratio, threshold_ratio=config.spike_ratio,
            min_count=config.spike_min_count,
            example_ticket_ids=tuple(ticket_id for _, ticket_id in hour.examples),
            top_order_facts=top_order_facts(hour), detected_at=now,
        )

    def _volume(self, state: IntentState, current: datetime) -> Volume:
        held = next((h for h in state.hours if h.start == current), None)
        count = held.received if held is not None else 0
        ratio = count / max(baseline_for(state, current, self.config), self.config.floor)
        return Volume(partition=state.partition, ratio=ratio,
                      spiking=held is not None and held.alerted)

    # the gauges of a worker that just got partitions
    def volumes(self, get: TableGet, partitions: Iterable[int]) -> dict[str, Volume]:
        """Each intent's volume on ``partitions``, from the stored state (after a rebalance)."""
        batch = _Batch(get)
        out: dict[str, Volume] = {}
        for p in partitions:
            part = batch.load(partition_key(p), PartitionState)
            if part is None or part.watermark is None:
                continue
            for intent in part.due:
                state = batch.load(intent, IntentState)
                if state is not None:
                    out[intent] = self._volume(state, hour_of(part.watermark))
        return out


def _count(cell: Cell, hour: HourState, fact: KpiFact) -> None:
    if fact.kind == "received":
        cell.received += 1
        hour.received += 1
        bisect.insort(hour.examples, (fact.at.astimezone(UTC), fact.ticket_id))
        del hour.examples[MAX_EXAMPLES:]
        facts = {f"{f.field}={f.value}" for f in fact.order_facts}
        if facts:
            hour.with_orders += 1
        for name in sorted(facts):
            if name in hour.order_facts or len(hour.order_facts) < MAX_ORDER_FACTS:
                hour.order_facts[name] = hour.order_facts.get(name, 0) + 1
    elif fact.kind == "solved":
        cell.solved += 1
        rank = _rank(fact.fact_id)
        if fact.first_response_s is not None:
            _sample(cell.first_response, rank, fact.first_response_s)
        if fact.resolution_s is not None:
            _sample(cell.resolution, rank, fact.resolution_s)
    elif fact.kind == "fcr":
        if fact.fcr is not None:
            cell.fcr_decided += 1
            cell.fcr_resolved += fact.fcr
    elif fact.kind == "breach":
        cell.breaches += 1
    elif fact.kind == "csat" and fact.csat_score is not None:
        cell.csat_count += 1
        cell.csat_sum += fact.csat_score


def _sample(values: list[tuple[int, float]], rank: int, value: float) -> None:
    if len(values) >= MAX_SAMPLE and rank >= values[-1][0]:
        return
    bisect.insort(values, (rank, value))
    del values[MAX_SAMPLE:]


def top_order_facts(hour: HourState, top: int = TOP_ORDER_FACTS) -> tuple[OrderFactCount, ...]:
    """The hour's most frequent order facts, most first (ties: by name), with their share of
    the hour's received tickets that have an order."""
    ranked = sorted(hour.order_facts.items(), key=lambda item: (-item[1], item[0]))[:top]
    out = []
    for name, count in ranked:
        field_, _, value = name.partition("=")
        out.append(OrderFactCount(field=field_, value=value, count=count,
                                  share=count / hour.with_orders))
    return tuple(out)
