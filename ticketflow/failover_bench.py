"""``ticketflow bench failover``: kill workers mid-corpus and count every record by distinct id.

Each trial publishes the bundled corpus once and runs one of two shapes:

* ``restart``: one worker; SIGKILL it a random moment (0–2 s by default) after the first
  ticket comes out on ``tickets.routed``, then start a new worker in the same consumer group and
  data dir.
* ``survivor``: two workers in one group; SIGKILL one of them at such a moment; the other keeps
  running and must take over the dead one's partitions (nobody restarts the killed one).

What must come out is computed offline: every published record is normalized here exactly as the
worker does (ticket ids come from channel + provider message id; a dead letter's id from the
record's topic/partition/offset). The trial reads ``tickets.routed`` and ``tickets.deadletter``
until every expected id has come out, or until nothing new has come out for ``quiet_s``;
``lost = expected − seen``. ``tickets.normalized`` is read too, to tell where a lost ticket
stopped (normalized but never routed, or never normalized).

A worker that exits by itself during a trial (with a publish failure, or when it detects an
offset gap) is restarted in the same group and data dir, as a supervisor would: counted in
``self_exits``.

Isolation between trials. Without a bootstrap every trial gets a fresh embedded broker (Tansu is
memory-only: nothing of the previous trial survives). With ``--bootstrap``, every trial has its
own consumer group (app id), and before the corpus is published the group's offsets are
committed at the log end of every topic on the cluster, so the group reads this trial's records
only — including the by-customer repartition topic, which faust names after the agent and every
group shares. Log ends are found by reading, not trusted from ListOffsets (Tansu answers the last
batch's base offset + 1 there).

The pure parts (trial plans, expected ids, counting) are separate functions, unit-tested.
"""

from __future__ import annotations

import contextlib
import json
import random
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from kafka import KafkaConsumer, TopicPartition
from kafka.structs import OffsetAndMetadata

from channels.base import RawRecord
from channels.dispatch import normalize
from core.settings import PLAINTEXT, KafkaSecurity, Settings
from schemas import DeadLetter, Source
from streams.topics import TICKETS_DEADLETTER, TICKETS_NORMALIZED, TICKETS_ROUTED

Shape = Literal["restart", "survivor"]
SHAPES: tuple[Shape, ...] = ("restart", "survivor")
ShapeChoice = Literal["alternate", "random", "restart", "survivor"]
Progress = Callable[[str], None]
_FIXED_TIME = datetime(2000, 1, 1, tzinfo=UTC)  # ids do not depend on it
_SAMPLE = 20  # lost ids listed per trial


# --------------------------------------------------------------------------- pure parts


@dataclass(frozen=True, slots=True)
class TrialPlan:
    index: int  # 1-based
    shape: Shape
    kill_after_s: float  # after the first output on tickets.routed
    victim: int  # which worker is killed: 0 for restart; 0 or 1 for survivor


def plan_trials(
    trials: int, *, seed: int, shapes: ShapeChoice = "alternate", max_kill_delay_s: float = 2.0
) -> list[TrialPlan]:
    """The trials' shapes and kill moments, reproducible from ``seed``. ``alternate`` starts with
    ``restart``; ``random`` draws each shape; a shape name runs only that shape."""
    rng = random.Random(seed)
    plans = []
    for i in range(trials):
        shape: Shape
        if shapes == "alternate":
            shape = SHAPES[i % 2]
        elif shapes == "random":
            shape = rng.choice(SHAPES)
        else:
            shape = shapes
        delay = round(rng.uniform(0.0, max_kill_delay_s), 3)
        victim = rng.randrange(2) if shape == "survivor" else 0
        plans.append(TrialPlan(i + 1, shape, delay, victim))
    return plans


@dataclass(frozen=True)
class Expected:
    """What the published corpus must come out as: ticket ids on ``tickets.routed`` and dead
    letter ids on ``tickets.deadletter``, each with the source record it comes from."""

    tickets: dict[str, str] = field(default_factory=dict)  # ticket_id -> "topic/p@offset"
    deadletters: dict[str, str] = field(default_factory=dict)  # deadletter_id -> same


def coord_text(source: Source) -> str:
    return f"{source.topic}/{source.partition}@{source.offset}"


def expected_outputs(
    records: Iterable[tuple[str, bytes, Source]], max_payload_bytes: int
) -> Expected:
    """Normalize each published record (channel, bytes, where it landed) as the worker will."""
    tickets: dict[str, str] = {}
    deadletters: dict[str, str] = {}
    for channel, value, source in records:
        record = RawRecord(channel=channel, value=value, source=source, timestamp=_FIXED_TIME)
        result = normalize(record, _FIXED_TIME, max_payload_bytes)
        if isinstance(result, DeadLetter):
            deadletters[result.deadletter_id] = coord_text(source)
        else:
            for ticket in result:
                tickets.setdefault(ticket.ticket_id, coord_text(source))
    return Expected(tickets, deadletters)


@dataclass
class Tally:
    """What one trial saw, by id (delivery is at-least-once)."""

    routed_messages: Counter[str] = field(default_factory=Counter)  # ticket_id -> messages
    deadletters: set[str] = field(default_factory=set)
    normalized: set[str] = field(default_factory=set)
    # When set, only outputs of the records published at these (topic, partition, offset)
    # count. Tests set it: they share one broker and publish the same corpus files, whose ids
    # are deterministic, so an id alone does not tell one test's outputs from another's.
    sources: set[tuple[str, int, int]] | None = None

    def add(self, topic: str, value: bytes) -> str | None:
        """Count one output message; return the id it carries (None if not ours)."""
        try:
            data = json.loads(value)
            if not self.ours(topic, data):
                return None
            if topic == TICKETS_ROUTED.name:
                if data.get("attempt", 1) != 1:
                    return None  # an SLA re-route, not a delivery of the first routing
                ticket_id = str(data["ticket"]["ticket_id"])
                self.routed_messages[ticket_id] += 1
                return ticket_id
            if topic == TICKETS_DEADLETTER.name:
                deadletter_id = str(data["deadletter_id"])
                self.deadletters.add(deadletter_id)
                return deadletter_id
            if topic == TICKETS_NORMALIZED.name:
                self.normalized.add(str(data["ticket_id"]))
        except (ValueError, KeyError, TypeError):
            return None
        return None

    def count_from(self, coords: Iterable[tuple[str, int, int]]) -> None:
        """From now on, count outputs of the records published at ``coords`` too (and, once
        called, only outputs of records given here: see ``sources``)."""
        self.sources = {*(self.sources or ()), *coords}

    def ours(self, topic: str, data: Any) -> bool:
        """Whether a decoded output message comes from a record counted here (see ``sources``);
        raises KeyError or TypeError on a message of another shape."""
        if self.sources is None:
            return True
        source = data["ticket"]["source"] if topic == TICKETS_ROUTED.name else data["source"]
        return (source["topic"], source["partition"], source["offset"]) in self.sources

    def missing(self, expected: Expected) -> tuple[list[str], list[str]]:
        """Expected ticket ids never routed, expected dead letter ids never dead-lettered."""
        tickets = sorted(t for t in expected.tickets if t not in self.routed_messages)
        deadletters = sorted(d for d in expected.deadletters if d not in self.deadletters)
        return tickets, deadletters

    def seen_expected(self, expected: Expected) -> int:
        return (sum(t in self.routed_messages for t in expected.tickets)
                + sum(d in self.deadletters for d in expected.deadletters))


def count_trial(expected: Expected, tally: Tally) -> dict[str, Any]:
    """Lost and duplicate figures of one trial."""
    lost_tickets, lost_deadletters = tally.missing(expected)
    routed = {t: n for t, n in tally.routed_messages.items() if t in expected.tickets}
    lost_sources = sorted({expected.tickets[t] for t in lost_tickets}
                          | {expected.deadletters[d] for d in lost_deadletters})
    return {
        "expected_tickets": len(expected.tickets),
        "expected_deadletters": len(expected.deadletters),
        "lost": len(lost_tickets) + len(lost_deadletters),
        "lost_tickets": len(lost_tickets),
        "lost_deadletters": len(lost_deadletters),
        "lost_normalized_not_routed": sum(t in tally.normalized for t in lost_tickets),
        "lost_sources": lost_sources[:_SAMPLE],
        "routed_messages": sum(routed.values()),
        "distinct_routed": len(routed),
    }


def killed_mid_corpus(trial: dict[str, Any]) -> bool:
    out = trial.get("out_at_kill")
    return out is not None and out < trial["expected_tickets"] + trial["expected_deadletters"]


def summarize(trials: Sequence[dict[str, Any]], seconds: float, **extra: Any) -> dict[str, Any]:
    """The bench's JSON: totals over trials, then the trials themselves."""
    messages = sum(t["routed_messages"] for t in trials)
    distinct = sum(t["distinct_routed"] for t in trials)
    by_shape: dict[str, dict[str, int]] = {}
    for t in trials:
        shape = by_shape.setdefault(t["shape"], {"trials": 0, "lost": 0, "trials_with_loss": 0})
        shape["trials"] += 1
        shape["lost"] += t["lost"]
        shape["trials_with_loss"] += t["lost"] > 0
    return {
        "bench": "failover",
        "trials": len(trials),
        "lost": sum(t["lost"] for t in trials),
        "lost_by_trial": [t["lost"] for t in trials],
        "trials_with_loss": sum(t["lost"] > 0 for t in trials),
        # a kill after everything came out cannot lose anything: how many trials really tested
        "killed_mid_corpus": sum(killed_mid_corpus(t) for t in trials),
        "duplicate_ratio": round(messages / distinct, 4) if distinct else None,
        "seconds": round(seconds, 1),
        "self_exits": sum(t["self_exits"] for t in trials),
        "by_shape": by_shape,
        **extra,
        "trial_results": list(trials),
    }


# --------------------------------------------------------------------------- Kafka helpers


def log_ends(bootstrap: str, topics: Sequence[str], security: KafkaSecurity = PLAINTEXT
             ) -> dict[TopicPartition, int]:
    """Where each partition of ``topics`` really ends. ListOffsets' answer is only the start:
    Tansu 0.6 answers the last batch's base offset + 1, so read on from there until two polls in
    a row bring nothing."""
    from streams.kafka_io import make_consumer

    if not topics:
        return {}
    consumer = make_consumer(bootstrap, topics, from_beginning=False, fetch_max_wait_ms=100,
                             security=security)
    try:
        partitions = sorted(consumer.assignment())
        empty = 0
        while empty < 2:
            empty = 0 if consumer.poll(timeout_ms=200) else empty + 1
        return {tp: consumer.position(tp) for tp in partitions}
    finally:
        consumer.close()


def isolate_group(bootstrap: str, group: str, security: KafkaSecurity = PLAINTEXT) -> int:
    """Commit ``group``'s offsets at the log end of every topic on the cluster, so a new group
    reads only what is published from now on. Returns how many partitions were committed."""
    from core.errors import BrokerError
    from streams.admin import admin_client

    with admin_client(bootstrap, security=security) as admin:
        topics = sorted(t for t in admin.list_topics() if not t.startswith("__"))
        ends = log_ends(bootstrap, topics, security)
        if not ends:
            return 0
        result = admin.alter_group_offsets(
            group, {tp: OffsetAndMetadata(end, "", None) for tp, end in ends.items()})
    failed = {tp: err for tp, err in result.items() if err.__name__ != "NoError"}
    if failed:
        raise BrokerError(f"Could not commit offsets for group {group}: {failed}")
    return len(ends)


class OutputWatch:
    """tickets.routed, tickets.deadletter and tickets.normalized from their current ends."""

    TOPICS = (TICKETS_ROUTED.name, TICKETS_DEADLETTER.name, TICKETS_NORMALIZED.name)

    def __init__(self, bootstrap: str, security: KafkaSecurity = PLAINTEXT) -> None:
        from streams.kafka_io import make_consumer

        starts = log_ends(bootstrap, self.TOPICS, security)
        self.consumer: KafkaConsumer = make_consumer(
            bootstrap, self.TOPICS, from_beginning=True, fetch_max_wait_ms=100,
            security=security)
        for tp, offset in starts.items():
            self.consumer.seek(tp, offset)

    def poll(self, tally: Tally, timeout_ms: int = 200) -> list[str]:
        """Add what arrived to ``tally``; return the ids seen (routed and dead letters)."""
        ids = []
        for tp, messages in self.consumer.poll(timeout_ms=timeout_ms).items():
            for message in messages:
                seen = tally.add(tp.topic, message.value)
                if seen is not None:
                    ids.append(seen)
        return ids

    def close(self) -> None:
        self.consumer.close()


# --------------------------------------------------------------------------- the trials


@dataclass
class _Slot:
    """One worker position in the group; its processes over the trial (restarts included)."""

    name: str
    env: dict[str, str]
    log_dir: Path
    bootstrap: str
    killed: bool = False
    statuses: list[int | None] = field(default_factory=list)
    self_exits: int = 0
    starts: int = 0
    proc: Any = None

    def start(self) -> None:
        from ticketflow.processes import WorkerProcess

        self.starts += 1
        self.proc = WorkerProcess(
            self.bootstrap, self.log_dir / f"{self.name}-{self.starts}.log", env=self.env)
        self.proc.start()

    def exited(self) -> int | None:
        """The status if the current process ended by itself (None while it runs)."""
        if self.proc is None or self.killed:
            return None
        status: int | None = self.proc.poll()
        if status is not None:
            self.statuses.append(status)
            self.proc = None
        return status

    def kill(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.statuses.append(self.proc.poll())
            self.proc = None
        self.killed = True

    def stop(self) -> None:
        if self.proc is not None:
            self.statuses.append(self.proc.stop(timeout_s=10.0))
            self.proc = None

    def report(self) -> dict[str, Any]:
        return {"worker": self.name, "killed": self.killed, "statuses": self.statuses,
                "self_exits": self.self_exits}


def _stop_all(slots: list[_Slot]) -> None:
    for slot in slots:
        slot.stop()


@dataclass(frozen=True)
class BenchConfig:
    quiet_s: float = 90.0
    grace_s: float = 2.0
    max_restarts: int = 5  # self-exits restarted per trial before giving up on the trial


def run_trial(
    plan: TrialPlan, settings: Settings, trial_dir: Path, model_dir: Path, database_url: str,
    config: BenchConfig, run_id: str, progress: Progress,
) -> dict[str, Any]:
    import corpus
    from streams.admin import create_topics
    from streams.kafka_io import make_producer
    from streams.topics import all_topics
    from ticketflow.broker import EmbeddedBroker, find_tansu
    from ticketflow.ingest import publish

    started = time.monotonic()
    trial_dir.mkdir(parents=True, exist_ok=True)
    group = f"bench-failover-{run_id}-t{plan.index}"
    note = f"trial {plan.index} ({plan.shape}, kill {plan.kill_after_s:.2f} s after first output)"
    with contextlib.ExitStack() as stack:
        bootstrap = settings.kafka_bootstrap
        if bootstrap is None:
            broker = EmbeddedBroker(find_tansu(settings.tansu_bin),
                                    log_path=trial_dir / "broker.log")
            stack.callback(broker.stop)
            bootstrap = broker.start()
        security = settings.security_for(bootstrap)
        create_topics(bootstrap, all_topics(), settings.partitions, settings.replication_factor,
                      security=security)
        if settings.kafka_bootstrap is not None:
            isolate_group(bootstrap, group, security)
        watch = OutputWatch(bootstrap, security)
        stack.callback(watch.close)
        producer = make_producer(bootstrap, security=security)
        stack.callback(producer.close)
        files = corpus.load_manifest()
        published = publish(producer, [(f.channel, f.path) for f in files])
        expected = expected_outputs(
            ((p.channel, p.path.read_bytes(),
              Source(topic=p.topic, partition=p.partition, offset=p.offset, key=None))
             for p in published),
            settings.max_payload_bytes)
        total = len(expected.tickets) + len(expected.deadletters)
        env = {"TICKETFLOW_APP_ID": group, "TICKETFLOW_DATA_DIR": str(trial_dir / "data"),
               "TICKETFLOW_PARTITIONS": str(settings.partitions),
               "TICKETFLOW_MODEL_DIR": str(model_dir),
               "TICKETFLOW_DATABASE_URL": database_url,
               "TICKETFLOW_SLA_ASSIGN_WITHIN_S": "0"}  # no re-routes on tickets.routed
        slots = [_Slot(f"w{i + 1}", env, trial_dir, bootstrap)
                 for i in range(2 if plan.shape == "survivor" else 1)]
        stack.callback(_stop_all, slots)
        for slot in slots:
            slot.start()
        progress(f"{note}: published {len(published)} records ({len(expected.tickets)} tickets,"
                 f" {len(expected.deadletters)} dead letters expected); "
                 f"{len(slots)} worker(s) started")
        tally = Tally()
        workers_at = time.monotonic()
        last_new = workers_at
        first_output: float | None = None
        kill_at: float | None = None
        killed_at: float | None = None
        out_at_kill: int | None = None
        complete_at: float | None = None
        seen = 0
        gave_up = ""
        while True:
            wait_ms = 200
            if kill_at is not None and killed_at is None:
                wait_ms = max(0, min(wait_ms, int((kill_at - time.monotonic()) * 1000)))
            ids = watch.poll(tally, timeout_ms=wait_ms)
            now = time.monotonic()
            if ids:
                count = tally.seen_expected(expected)
                if count > seen:
                    seen, last_new = count, now
            if first_output is None and tally.routed_messages:
                first_output = now
                kill_at = now + plan.kill_after_s
                progress(f"{note}: first output {now - workers_at:.1f} s after start")
            if killed_at is None and kill_at is not None and now >= kill_at:
                victim = slots[plan.victim]
                victim.kill()
                killed_at = last_new = now
                out_at_kill = seen
                progress(f"{note}: killed {victim.name} ({seen}/{total} out)")
                if plan.shape == "restart":
                    slots.append(_Slot(f"w{len(slots) + 1}", env, trial_dir, bootstrap))
                    slots[-1].start()
            for slot in slots:
                status = slot.exited()
                if status is None:
                    continue
                slot.self_exits += 1
                progress(f"{note}: {slot.name} exited by itself with status {status}")
                if sum(s.self_exits for s in slots) > config.max_restarts:
                    gave_up = f"more than {config.max_restarts} self-exits"
                else:
                    slot.start()
                    last_new = now
            if complete_at is None and seen == total:
                complete_at = now
            if gave_up:
                break
            if complete_at is not None and killed_at is not None:
                break
            if now - last_new > config.quiet_s:
                gave_up = f"nothing new for {config.quiet_s:.0f} s"
                break
        if complete_at is not None and config.grace_s > 0:  # redeliveries (duplicates)
            grace_end = time.monotonic() + config.grace_s
            while time.monotonic() < grace_end:
                watch.poll(tally)
        _stop_all(slots)
    result = {
        "trial": plan.index,
        "shape": plan.shape,
        "kill_after_s": plan.kill_after_s,
        "killed": next(s.name for s in slots if s.killed) if killed_at else None,
        "out_at_kill": out_at_kill,  # expected records out when the kill came
        "first_output_s": round(first_output - workers_at, 2) if first_output else None,
        "complete_s": round(complete_at - workers_at, 2) if complete_at else None,
        **count_trial(expected, tally),
        "self_exits": sum(s.self_exits for s in slots),
        "workers": [s.report() for s in slots],
        "ended": gave_up or "complete",
        "seconds": round(time.monotonic() - started, 1),
    }
    progress(f"{note}: lost {result['lost']} ({result['lost_tickets']} tickets, "
             f"{result['lost_deadletters']} dead letters; "
             f"{result['lost_normalized_not_routed']} of the tickets were normalized), "
             f"{result['routed_messages']} routed messages for {result['distinct_routed']} "
             f"tickets, {result['seconds']:.0f} s, ended: {result['ended']}")
    return result


def prepare(settings: Settings, run_dir: Path, progress: Progress) -> tuple[Path, str]:
    """The model folder and store the workers use, made once per run."""
    from classifiers.artifact import bundled_model_dir, ensure_model

    ensure_model(settings.models_dir, settings.model_dir, progress)
    model_dir = settings.model_dir or bundled_model_dir(settings.models_dir)
    if settings.database_url:
        # handed to the workers as TICKETFLOW_DATABASE_URL; they add the TLS settings they
        # inherit themselves
        return model_dir, settings.database_url.get_secret_value()
    from core.clock import system_clock
    from store.db import default_url
    from ticketflow.seed import db_seed

    url = default_url(run_dir)
    db_seed(url, system_clock())
    return model_dir, url


def bench_failover(
    settings: Settings, trials: int, *, seed: int | None = None,
    shapes: ShapeChoice = "alternate", max_kill_delay_s: float = 2.0,
    config: BenchConfig = BenchConfig(), progress: Progress = lambda _: None,
) -> dict[str, Any]:
    """Run the trials; return the summary (the JSON the CLI prints). Logs and worker data are
    kept in ``DATA_DIR/bench-failover/`` (replaced on every run) for a lossy trial's post-mortem."""
    started = time.monotonic()
    if seed is None:
        seed = random.SystemRandom().randrange(2**31)
    run_id = f"{time.time_ns():x}"
    run_dir = settings.data_dir / "bench-failover"
    shutil.rmtree(run_dir, ignore_errors=True)
    run_dir.mkdir(parents=True)
    model_dir, database_url = prepare(settings, run_dir, progress)
    plans = plan_trials(trials, seed=seed, shapes=shapes, max_kill_delay_s=max_kill_delay_s)
    results = [run_trial(plan, settings, run_dir / f"trial-{plan.index:02d}", model_dir,
                         database_url, config, run_id, progress)
               for plan in plans]
    return summarize(
        results, time.monotonic() - started, seed=seed, shapes=shapes,
        quiet_s=config.quiet_s, partitions=settings.partitions,
        broker=settings.kafka_bootstrap or "embedded (fresh per trial)",
        logs=str(run_dir.resolve()))
