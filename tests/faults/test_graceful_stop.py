"""SIGTERM is a graceful stop: the worker finishes and commits what it delivered, so the next
worker of the same group redoes nothing — no ticket routed twice, no dead letter written twice,
no record normalized twice.

1. Worker 1 gets the whole corpus and routes it all (every ticket on ``tickets.routed``, every
   bad record on ``tickets.deadletter``).
2. Worker 1 gets SIGTERM and must exit 0 by itself.
3. Worker 2 starts in the same group; a fresh sentinel record is published. Once the sentinel is
   routed *and* the group has committed everything on the topics the pipeline and the routing
   agent read, worker 2 has read all there is from the committed offsets on: anything it were
   to redo would be on the output topics by then.
4. Every corpus output appears exactly as often as before the stop.

The same run checks that no personal data leaks into operations: after the whole corpus, no
customer e-mail address or phone number is in either worker's log (INFO, the default) or in a
label of worker 1's /metrics.
"""

from __future__ import annotations

import contextlib
import json
import time
import urllib.request
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from kafka import KafkaAdminClient

import corpus
from channels.base import RawRecord
from channels.dispatch import normalize
from schemas import DeadLetter, Source
from streams.kafka_io import make_producer
from streams.topics import TICKETS_DEADLETTER, TICKETS_NORMALIZED, inbound_topic
from ticketflow.broker import free_port
from ticketflow.failover_bench import OutputWatch, Tally, count_trial, isolate_group
from ticketflow.pipeline_bench import Workload, load_bases
from ticketflow.processes import WorkerProcess

from ..conftest import FIXED_NOW
from ..integration.test_pipeline_restart import alive, all_committed, publish_files
from ..live import wait_until


@dataclass
class Everything(Tally):
    """The tally, plus how many times each dead letter and each normalized ticket came out."""

    deadletter_messages: Counter[str] = field(default_factory=Counter)
    normalized_messages: Counter[str] = field(default_factory=Counter)

    def add(self, topic: str, value: bytes) -> str | None:
        seen = super().add(topic, value)
        if topic == TICKETS_DEADLETTER.name and seen is not None:
            self.deadletter_messages[seen] += 1
        elif topic == TICKETS_NORMALIZED.name:
            with contextlib.suppress(ValueError, KeyError, TypeError):  # not ours: skipped
                data = json.loads(value)
                if self.ours(topic, data):
                    self.normalized_messages[str(data["ticket_id"])] += 1
        return seen


# Two worker starts (group join, model load, table recovery) on a 2-core machine.
@pytest.mark.timeout(600)
def test_sigterm_commits_what_was_delivered_and_the_next_worker_redoes_nothing(
    topics: str, start_worker: Callable[..., WorkerProcess]
) -> None:
    group = f"ft-sigterm-{time.time_ns():x}"
    isolate_group(topics, group)
    env = {"TICKETFLOW_APP_ID": group}
    metrics_port = free_port()
    watch = OutputWatch(topics)
    tally = Everything()
    admin = KafkaAdminClient(bootstrap_servers=topics.split(","), client_id="ft-sigterm")
    try:
        # 1. the corpus, all of it out
        first = start_worker(**env, TICKETFLOW_METRICS_PORT=str(metrics_port))
        expected = publish_files(topics, corpus.load_manifest(), tally)
        wait_until(lambda: tally.missing(expected) == ([], []), 300,
                   lambda: f"worker 1 to route the corpus; {count_trial(expected, tally)}",
                   alive(first, watch, tally))
        with urllib.request.urlopen(f"http://127.0.0.1:{metrics_port}/metrics", timeout=10) as r:
            metrics = r.read().decode()
        # 2. a graceful stop, by itself
        assert first.stop(timeout_s=60) == 0, first.log_path.read_text(errors="replace")[-3000:]
        watch.poll(tally)
        before = (Counter(tally.routed_messages), Counter(tally.deadletter_messages),
                  Counter(tally.normalized_messages))

        # 3. worker 2, a sentinel, and everything read and committed
        second = start_worker(**env)
        [sentinel] = [v for v in Workload(load_bases(
            (f.channel, f.read_bytes()) for f in corpus.load_manifest()), group
        ).records(0, 20) if v.ticket_ids][:1]
        producer = make_producer(topics)
        try:
            sent = producer.send(inbound_topic(sentinel.channel), value=sentinel.value)
            at = sent.get(timeout=30)
        finally:
            producer.close()
        tally.count_from([(at.topic, at.partition, at.offset)])
        wait_until(lambda: all(t in tally.routed_messages for t in sentinel.ticket_ids), 240,
                   "worker 2 to route the sentinel", alive(second, watch, tally))
        wait_until(lambda: all_committed(topics, admin, group), 120,
                   "worker 2 to commit all it has read", alive(second, watch, tally))
        watch.poll(tally)
    finally:
        admin.close()
        watch.close()

    # 4. nothing of the corpus came out again
    routed, deadletters, normalized = before
    assert routed == Counter({t: n for t, n in tally.routed_messages.items()
                              if t not in sentinel.ticket_ids})
    assert deadletters == tally.deadletter_messages
    assert normalized == Counter({t: n for t, n in tally.normalized_messages.items()
                                  if t not in sentinel.ticket_ids})
    assert set(expected.tickets) <= set(routed)

    # no personal data in logs or metric labels
    personal = corpus_contacts()
    assert len(personal) > 50  # the corpus' e-mail addresses and phone numbers
    for where, text in [("worker 1's log", first.log_path.read_text(errors="replace")),
                        ("worker 2's log", second.log_path.read_text(errors="replace")),
                        ("/metrics", metrics)]:
        leaked = sorted(p for p in personal if p in text)
        assert not leaked, f"personal data in {where}: {leaked[:5]}"


def corpus_contacts() -> set[str]:
    """Every customer e-mail address and phone number in the corpus, as normalized (and the
    phone numbers also without their "+")."""
    found: set[str] = set()
    for f in corpus.load_manifest():
        record = RawRecord(channel=f.channel, value=f.read_bytes(), timestamp=FIXED_NOW,
                           source=Source(topic=inbound_topic(f.channel), partition=0, offset=0))
        result = normalize(record, FIXED_NOW, 1_000_000)
        for ticket in () if isinstance(result, DeadLetter) else result:
            if ticket.customer.email:
                found.add(ticket.customer.email)
            if ticket.customer.phone:
                found |= {ticket.customer.phone, ticket.customer.phone.lstrip("+")}
    return found
