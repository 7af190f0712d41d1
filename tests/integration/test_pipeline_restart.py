"""A worker killed with SIGKILL in the middle of the corpus is replaced by a new worker of the
same consumer group: every record still comes out (as its tickets on tickets.routed, or as its
dead letter), and the new worker restores the customer-contacts table from its changelog
instead of hanging in table recovery or starting empty.

The routing agent consumes tickets.normalized, which the pipeline agent keys by customer, and
keeps each customer's contacts in the ``customer-contacts`` table (changelog
``<app id>-customer-contacts-changelog``, written with the input partition).

How the table check is made deterministic. One customer ("X") who writes more than once is
picked from the corpus, offline: their latest contact ``x2`` is held back, all their other
contacts (``x1`` is the one just before ``x2``, within 7 days) are published first. The group's
offsets start at the log ends (``isolate_group``), so it reads this test's records only.

1. Worker 1 starts; X's earlier contacts are published; the test waits until they are routed
   *and* the group has committed everything on the topics the contacts path reads (inbound.*,
   tickets.normalized). From then on no record about X is left to replay: what a later worker
   knows about X can only come from the table's changelog.
2. The rest of the corpus (no record of X) is published; as soon as some, but not all, of it has
   been routed, worker 1 is killed with SIGKILL.
3. ``x2`` is published and worker 2 (same group, same data dir) is started. ``x2`` is routed by
   worker 2 (worker 1 is dead) and must count ``x1``: ``contacts.last_7d >= 2`` (it counts the
   ticket itself, so ``>= 1`` would hold with an empty table too) and
   ``previous_ticket_id == x1``. No other contact of X may be routed after the kill: that would
   be a replay, not a restore.

Which worker routed a ticket is told by its ``routed_at`` (the worker's clock, same machine)
against the moment the kill returned. SLA re-routes (attempt > 1) are not counted.

Only outputs of the records this test published count (``Tally.sources``): other tests publish
the same corpus files on the session's broker.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from kafka import KafkaAdminClient
from prometheus_client import CollectorRegistry

import corpus
from channels.base import RawRecord
from channels.dispatch import normalize
from core.clock import system_clock
from core.settings import Settings
from enrichment.stage import EnrichStage
from schemas import DeadLetter, Source, Ticket
from schemas.routing import RoutedTicket
from store.db import make_engine, make_session_factory
from streams.kafka_io import make_producer
from streams.topics import TICKETS_NORMALIZED, TICKETS_ROUTED, inbound_topic, inbound_topics
from tests.live import fail_if_exited
from ticketflow.failover_bench import (
    Expected,
    OutputWatch,
    Tally,
    count_trial,
    expected_outputs,
    isolate_group,
    log_ends,
)
from ticketflow.ingest import publish
from ticketflow.processes import WorkerProcess

from .conftest import wait_until

WINDOW_7D = timedelta(days=7)
# Small micro-batches, so the corpus takes worker 1 many batches and the kill finds it midway
# (with the default 500, worker 1 had routed all of it by the time the first ticket was seen).
BATCH_SIZE = "10"


@dataclass(frozen=True)
class ContactsPlan:
    customer_key: str
    earlier: list[corpus.CorpusFile]  # all of X's files but the one of x2
    last: corpus.CorpusFile  # the file of x2
    x1: str
    x2: str


def offline_tickets(
    files: list[corpus.CorpusFile], database_url: str
) -> dict[Path, tuple[list[Ticket], bool]]:
    """What the worker will make of each clean file, enriched from the same seeded store, and
    whether its received_at comes from the payload (True) or from the broker's timestamp."""
    tickets: dict[Path, tuple[list[Ticket], bool]] = {}
    for index, f in enumerate(files):
        if f.expected_error:
            continue
        runs = []
        for year in (2090, 2091):
            at = datetime(year, 1, 1, tzinfo=UTC)
            record = RawRecord(
                channel=f.channel, value=f.read_bytes(), timestamp=at,
                source=Source(topic=inbound_topic(f.channel), partition=0, offset=index, key=None),
            )
            result = normalize(record, at)
            assert not isinstance(result, DeadLetter), f"{f.relative_path}: {result.reason}"
            runs.append(list(result))
        stable = [t.received_at for t in runs[0]] == [t.received_at for t in runs[1]]
        tickets[f.path] = (runs[0], stable)
    stage = EnrichStage(make_session_factory(make_engine(database_url)), clock=system_clock,
                        registry=CollectorRegistry())
    enriched = {t.ticket_id: t for t in stage([t for ts, _ in tickets.values() for t in ts])}
    return {path: ([enriched[t.ticket_id] for t in ts], stable)
            for path, (ts, stable) in tickets.items()}


def plan_contacts(files: list[corpus.CorpusFile], database_url: str) -> ContactsPlan:
    """The first customer (by key) whose contacts all carry their own time (an SMS is stamped
    when published, which would move it among the others), whose latest contact is alone in
    its file and comes less than 7 days after the one before it."""
    by_path = {f.path: f for f in files}
    by_key: dict[str, list[tuple[Ticket, bool, Path]]] = defaultdict(list)
    tickets = offline_tickets(files, database_url)
    for path, (ts, stable) in tickets.items():
        for t in ts:
            assert t.enrichment is not None
            by_key[t.enrichment.customer_key].append((t, stable, path))
    for key in sorted(by_key):
        contacts = sorted(by_key[key], key=lambda c: c[0].received_at)
        if len(contacts) < 2 or not all(stable for _, stable, _ in contacts):
            continue
        (x1, _, _), (x2, _, last) = contacts[-2], contacts[-1]
        if (len(tickets[last][0]) == 1 and x1.received_at < x2.received_at
                and x2.received_at - x1.received_at < WINDOW_7D):
            earlier = [by_path[p] for p in dict.fromkeys(p for _, _, p in contacts[:-1])]
            return ContactsPlan(key, earlier, by_path[last], x1.ticket_id, x2.ticket_id)
    raise AssertionError("the corpus has no customer writing twice within 7 days")


@dataclass
class Outputs(Tally):
    """The bench's tally, plus when each ticket was routed and X's routed tickets."""

    customer_key: str = ""
    routed_at: dict[str, list[datetime]] = field(default_factory=lambda: defaultdict(list))
    x_routed: list[RoutedTicket] = field(default_factory=list)

    def add(self, topic: str, value: bytes) -> str | None:
        seen = super().add(topic, value)  # a first routing (attempt 1) or a dead letter
        if topic == TICKETS_ROUTED.name and seen is not None:
            routed = RoutedTicket.model_validate_json(value)
            self.routed_at[seen].append(routed.routed_at)
            enrichment = routed.ticket.enrichment
            if enrichment and enrichment.customer_key == self.customer_key:
                self.x_routed.append(routed)
        return seen

    def out(self, expected: Expected) -> bool:
        return self.missing(expected) == ([], [])

    def x_routed_ids(self, after: datetime | None = None, before: datetime | None = None
                     ) -> set[str]:
        return {r.ticket.ticket_id for r in self.x_routed
                if (after is None or r.routed_at > after)
                and (before is None or r.routed_at < before)}


def publish_files(bootstrap: str, files: list[corpus.CorpusFile], tally: Tally) -> Expected:
    """Publish ``files``; what they must come out as. ``tally`` counts, from now on, only
    outputs of the records published through here (it is polled only after this returns, so
    nothing of them is dropped as not yet published)."""
    producer = make_producer(bootstrap)
    try:
        published = publish(producer, [(f.channel, f.path) for f in files])
    finally:
        producer.close()
    tally.count_from((p.topic, p.partition, p.offset) for p in published)
    return expected_outputs(
        ((p.channel, p.path.read_bytes(),
          Source(topic=p.topic, partition=p.partition, offset=p.offset, key=None))
         for p in published),
        Settings().max_payload_bytes)


def merged(*parts: Expected) -> Expected:
    return Expected({k: v for p in parts for k, v in p.tickets.items()},
                    {k: v for p in parts for k, v in p.deadletters.items()})


def all_committed(bootstrap: str, admin: KafkaAdminClient, group: str) -> bool:
    """Whether ``group`` has committed, on the topics the contacts path reads, everything there
    is (log ends read, not taken from ListOffsets: see ``log_ends``)."""
    ends = log_ends(bootstrap, [*inbound_topics(), TICKETS_NORMALIZED.name])
    offsets = admin.list_group_offsets({group: list(ends)})[group]
    return all(end == 0 or (tp in offsets and offsets[tp].offset >= end)
               for tp, end in ends.items())


def alive(worker: WorkerProcess, watch: OutputWatch, outputs: Tally) -> Callable[[], None]:
    def poll() -> None:
        fail_if_exited(worker)
        watch.poll(outputs)
    return poll


# Two worker starts (group join, model load, table recovery) on a 2-core machine.
@pytest.mark.timeout(600)
def test_killed_worker_is_replaced_losslessly(
    topics: str, start_worker: Callable[..., WorkerProcess], seeded_database: str
) -> None:
    files = corpus.load_manifest()
    plan = plan_contacts(files, seeded_database)
    held = {f.path for f in [*plan.earlier, plan.last]}
    group = f"it-restart-{time.time_ns():x}"
    isolate_group(topics, group)
    env = {"TICKETFLOW_APP_ID": group, "TICKETFLOW_BATCH_SIZE": BATCH_SIZE}
    watch = OutputWatch(topics)
    outputs = Outputs(customer_key=plan.customer_key)
    admin = KafkaAdminClient(bootstrap_servers=topics.split(","), client_id="it-restart")
    try:
        # 1. worker 1 records X's earlier contacts, and commits all it has read
        first = start_worker(**env)
        earlier = publish_files(topics, plan.earlier, outputs)
        wait_until(lambda: outputs.out(earlier), 180, "worker 1 to route X's earlier contacts",
                   alive(first, watch, outputs))
        wait_until(lambda: all_committed(topics, admin, group), 120,
                   "worker 1 to commit all it has read", alive(first, watch, outputs))

        # 2. the rest of the corpus; SIGKILL once some of it is routed
        rest = publish_files(topics, [f for f in files if f.path not in held], outputs)
        wait_until(lambda: any(t in outputs.routed_messages for t in rest.tickets), 180,
                   "worker 1 to route part of the corpus", alive(first, watch, outputs))
        first.kill()
        killed_at = datetime.now(UTC)  # routed_at before this: worker 1; after: worker 2
        assert plan.x1 in outputs.x_routed_ids(before=killed_at)

        # 3. x2, and worker 2 in the same group, on the same data dir
        last = publish_files(topics, [plan.last], outputs)
        assert list(last.tickets) == [plan.x2]
        second = start_worker(**env)
        expected = merged(earlier, rest, last)
        wait_until(lambda: outputs.out(expected), 180,
                   lambda: f"every record to come out after the restart; "
                           f"{count_trial(expected, outputs)}",
                   alive(second, watch, outputs))
    finally:
        admin.close()
        watch.close()

    # worker 1 was killed in the middle of the rest of the corpus
    by_first = {t for t in rest.tickets if any(at < killed_at for at in outputs.routed_at[t])}
    assert by_first and len(by_first) < len(rest.tickets), (len(by_first), len(rest.tickets))

    # worker 2 restored X's contacts from the changelog: x2 counts x1 ...
    x2s = [r for r in outputs.x_routed if r.ticket.ticket_id == plan.x2]
    assert x2s, f"x2 ({plan.x2}) was not routed as customer {plan.customer_key}"
    for x2 in x2s:
        assert x2.routed_at > killed_at and x2.ticket.enrichment is not None
        contacts = x2.ticket.enrichment.contacts
        assert contacts is not None and contacts.last_7d >= 2, contacts
        assert contacts.previous_ticket_id == plan.x1, contacts
    # ... though nothing about X was replayed: x2 is X's only contact routed after the kill
    assert outputs.x_routed_ids(after=killed_at) == {plan.x2}
