"""``ticketflow status``: what an on-call person runs first, from the broker alone — each
consumer group's lag per topic, messages per second per topic over the last minute, the active
ruleset, and the queue topics with their sizes.

Gathering (``gather``) is the only part that talks to Kafka, through ``streams.kafka_offsets``
(whose partition ends are right on Tansu too); the rest is pure and tested on its own.

Messages per second: ListOffsets by timestamp (now − window) gives the first offset written
since, so end − that offset is what the window received. Apache Kafka looks the time up in the
record timestamps (the producer's clock, CreateTime); Tansu in the time its batches arrived
(measured: records stamped two minutes back, sent now, count as now). ticketflow's producers
stamp records when they send them, so the two agree for its topics. Tansu answers "no record
since" with offset 0 and timestamp −1, which ``streams.lag.offset_at_time`` reads as the end.
No fallback (sampling ends over the window) is needed: both brokers answer the lookup.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from routing_rules import RulesetError, compile_ruleset
from routing_rules.loader import load_ruleset_text
from streams.kafka_offsets import TP, BrokerOffsets, RecordAt, worker_topics
from streams.lag import PartitionLag, group_lag
from streams.topics import ROUTING_RULES

QUEUE_PREFIX = "queue."


@dataclass(frozen=True, slots=True)
class TopicLag:
    topic: str
    lag: int
    lagging: tuple[tuple[int, int], ...]
    """(partition, lag) of each partition with lag > 0."""


@dataclass(frozen=True, slots=True)
class GroupLag:
    group: str
    topics: tuple[TopicLag, ...]
    committed: bool
    """False: the group has committed no offset at all (no worker ever got this far)."""

    @property
    def lag(self) -> int:
        return sum(t.lag for t in self.topics)


@dataclass(frozen=True, slots=True)
class TopicRate:
    topic: str
    messages: int
    per_second: float


@dataclass(frozen=True, slots=True)
class QueueSize:
    topic: str
    size: int


@dataclass(frozen=True, slots=True)
class ActiveRuleset:
    name: str
    version: str
    source: str
    """``routing.rules[partition]@offset``, or the file path when nothing was published."""
    published_at: datetime | None
    refused_since: int = 0
    """Versions published after the active one and refused as invalid."""


@dataclass(frozen=True, slots=True)
class Status:
    bootstrap: str
    at: datetime
    window_s: float
    groups: tuple[GroupLag, ...]
    rates: tuple[TopicRate, ...]
    ruleset: ActiveRuleset | None
    queues: tuple[QueueSize, ...]
    notes: tuple[str, ...] = field(default=())


# -- pure computations -----------------------------------------------------------------------

def lag_by_topic(group: str, rows: Iterable[PartitionLag], committed: bool) -> GroupLag:
    """Partition lags summed per topic, the partitions with lag kept."""
    by_topic: dict[str, list[PartitionLag]] = {}
    for row in sorted(rows):
        by_topic.setdefault(row.topic, []).append(row)
    return GroupLag(group, tuple(
        TopicLag(topic, sum(r.lag for r in parts),
                 tuple((r.partition, r.lag) for r in parts if r.lag > 0))
        for topic, parts in sorted(by_topic.items())), committed)


def topic_rates(ends: dict[TP, int], since: dict[TP, int], window_s: float) -> list[TopicRate]:
    """Per topic: records written in the window (end − first offset since its start) and the
    rate over the whole window."""
    counts: dict[str, int] = {}
    for tp, end in ends.items():
        counts[tp[0]] = counts.get(tp[0], 0) + max(end - since.get(tp, end), 0)
    return [TopicRate(topic, n, n / window_s) for topic, n in sorted(counts.items())]


def queue_sizes(ends: dict[TP, int], starts: dict[TP, int]) -> list[QueueSize]:
    """Records held by each ``queue.*`` topic: end − start, over its partitions."""
    sizes: dict[str, int] = {}
    for (topic, partition), end in ends.items():
        if topic.startswith(QUEUE_PREFIX):
            start = starts.get((topic, partition), 0)
            sizes[topic] = sizes.get(topic, 0) + max(end - start, 0)
    return [QueueSize(topic, n) for topic, n in sorted(sizes.items())]


def active_ruleset(records: Iterable[RecordAt]) -> ActiveRuleset | None:
    """What a worker settles on after reading ``routing.rules`` (``streams.rules_reload``): the
    latest version that compiles, invalid ones refused. Latest by record time, then offset.
    None when no valid ruleset was published (workers then run their TICKETFLOW_RULES_PATH)."""
    active: ActiveRuleset | None = None
    for record in sorted(records, key=lambda r: (r.timestamp_ms, r.partition, r.offset)):
        source = f"{record.topic}[{record.partition}]@{record.offset}"
        text = (record.value or b"").decode("utf-8", "replace")
        try:
            compiled = compile_ruleset(load_ruleset_text(text, source))
        except RulesetError:
            if active is not None:
                active = ActiveRuleset(active.name, active.version, active.source,
                                       active.published_at, active.refused_since + 1)
            continue
        active = ActiveRuleset(compiled.name, compiled.version, source,
                               datetime.fromtimestamp(record.timestamp_ms / 1000, UTC))
    return active


def file_ruleset(path: Path) -> ActiveRuleset | None:
    """The ruleset a worker starts with when nothing is published; None if it does not load."""
    from routing_rules import load_ruleset

    try:
        compiled = compile_ruleset(load_ruleset(path))
    except RulesetError:
        return None
    return ActiveRuleset(compiled.name, compiled.version, str(path), None)


# -- gathering (Kafka) -----------------------------------------------------------------------

def gather(
    offsets: BrokerOffsets, app_id: str, now: datetime, window_s: float = 60.0,
    rules_path: Path | None = None,
) -> Status:
    """Everything ``status`` shows, read from the broker in one pass: one set of partition
    ends serves the lags, the rates and the queue sizes. ``app_id``'s group is always shown,
    on every topic its worker reads, even before it committed anything."""
    topics = [t for t in offsets.topics() if not t.startswith("__")]
    tps = offsets.partitions(topics)
    starts = offsets.starts(tps)
    ends = offsets.ends(tps, starts)
    since = offsets.offsets_at(tps, int((now - timedelta(seconds=window_s)).timestamp() * 1000),
                               ends)
    notes: list[str] = []

    groups = []
    for group in sorted(set(offsets.groups()) | {app_id}):
        committed = offsets.committed(group)
        wanted = set(committed)
        if group == app_id:
            wanted |= {tp for tp in tps if tp[0] in set(worker_topics(app_id))}
        extra = sorted(wanted - set(ends))  # committed on a topic deleted since
        if extra:
            notes.append(f"group {group} committed offsets on partitions that no longer "
                         f"exist: {extra[:3]}")
        rows = group_lag(group, {tp: ends[tp] for tp in wanted if tp in ends}, starts, committed)
        groups.append(lag_by_topic(group, rows, bool(committed)))

    rules_ends = {tp: end for tp, end in ends.items() if tp[0] == ROUTING_RULES.name}
    ruleset = active_ruleset(offsets.read_records(rules_ends))
    if ruleset is None and rules_path is not None:
        ruleset = file_ruleset(rules_path)
        notes.append(f"no valid ruleset on {ROUTING_RULES.name}: workers run the file in "
                     "their TICKETFLOW_RULES_PATH (shown: this machine's)")
    return Status(offsets.bootstrap, now, window_s, tuple(groups),
                  tuple(topic_rates(ends, since, window_s)), ruleset,
                  tuple(queue_sizes(ends, starts)), tuple(notes))


# -- output ----------------------------------------------------------------------------------

def as_dict(status: Status) -> dict[str, Any]:
    ruleset = status.ruleset
    return {
        "bootstrap": status.bootstrap,
        "at": status.at.isoformat(),
        "window_s": status.window_s,
        "groups": [{"group": g.group, "lag": g.lag, "committed": g.committed,
                    "topics": [{"topic": t.topic, "lag": t.lag,
                                "lagging_partitions": {str(p): n for p, n in t.lagging}}
                               for t in g.topics]}
                   for g in status.groups],
        "rates": [{"topic": r.topic, "messages": r.messages,
                   "per_second": round(r.per_second, 3)} for r in status.rates],
        "ruleset": None if ruleset is None else {
            "name": ruleset.name, "version": ruleset.version, "source": ruleset.source,
            "published_at": ruleset.published_at.isoformat() if ruleset.published_at else None,
            "refused_since": ruleset.refused_since},
        "queues": [{"topic": q.topic, "size": q.size} for q in status.queues],
        "notes": list(status.notes),
    }


def render(status: Status) -> str:
    """The human table."""
    lines = [f"ticketflow status: {status.bootstrap} at "
             f"{status.at.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC", ""]

    lines.append("Consumer lag (records not consumed yet)")
    width = max([len(t.topic) for g in status.groups for t in g.topics] + [5])
    for group in status.groups:
        state = "" if group.committed else "  (nothing committed yet)"
        lines.append(f"  group {group.group}: {group.lag}{state}")
        for t in group.topics:
            parts = " ".join(f"{p}:{n}" for p, n in t.lagging) or "-"
            lines.append(f"    {t.topic:<{width}} {t.lag:>9}   partitions with lag: {parts}")
    if not status.groups:
        lines.append("  no consumer groups")

    window = f"{status.window_s:g} s"
    lines += ["", f"Messages per second over the last {window}"]
    busy = [r for r in status.rates if r.messages]
    width = max([len(r.topic) for r in busy] + [5])
    lines += [f"  {r.topic:<{width}} {r.per_second:>9.2f}/s  ({r.messages} messages)"
              for r in busy]
    quiet = len(status.rates) - len(busy)
    if not busy:
        lines.append(f"  no message on any topic in the last {window}")
    elif quiet:
        lines.append(f"  ({quiet} other topic(s): no message)")

    lines += ["", "Active ruleset"]
    r = status.ruleset
    if r is None:
        lines.append(f"  none: nothing valid on {ROUTING_RULES.name}")
    else:
        when = f", published {r.published_at:%Y-%m-%d %H:%M:%S} UTC" if r.published_at else ""
        lines.append(f"  {r.name} version {r.version} ({r.source}{when})")
        if r.refused_since:
            lines.append(f"  ! {r.refused_since} later version(s) refused as invalid: workers "
                         "keep this one (`ticketflow rules check` the file that was published)")

    lines += ["", "Queue topics (records held: end − start offset)"]
    width = max([len(q.topic) for q in status.queues] + [5])
    lines += [f"  {q.topic:<{width}} {q.size:>9}" for q in status.queues]
    if not status.queues:
        lines.append("  no queue.* topics (no worker has started with a ruleset yet)")
    if status.notes:
        lines += ["", *(f"note: {n}" for n in status.notes)]
    return "\n".join(lines)
