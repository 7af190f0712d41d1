"""SLA clocks across the faults: every breach still comes out, once per clock — a redelivered
breach repeats its event id, never a new one. (A kill and restart is
``tests/integration/test_sla_live.py::test_every_breach_once_across_kill_and_restart``.)

Each case: 90 routed tickets whose first-response deadlines fall 25–55 s from now go straight
onto ``tickets.routed``; once a third of the breaches are out, the fault strikes:
- ``sigterm``: the worker is stopped gracefully and a new one takes over;
- ``survivor``: of two workers in the group, one is killed (SIGKILL); the other takes its
  partitions and its clocks over;
- ``freeze``: the broker is frozen (SIGSTOP) for 15 s while deadlines keep passing, then thawed.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from streams.admin import create_topics
from streams.kafka_io import make_consumer, make_producer
from streams.topics import all_topics
from ticketflow.broker import EmbeddedBroker, find_tansu
from ticketflow.processes import WorkerProcess
from ticketflow.sla_load import (
    BreachReport,
    policies_yaml,
    publish_routed,
    read_events,
    routed_tickets,
)

from ..live import PARTITIONS, fail_if_exited, wait_until

TICKETS = 90
TARGET = timedelta(seconds=20)
FREEZE_S = 15.0


@contextmanager
def own_broker(tmp_path: Path) -> Iterator[EmbeddedBroker]:
    """A broker of this test's own: it may be frozen, and what is published on it is seen by
    no other test."""
    broker = EmbeddedBroker(find_tansu(), log_path=tmp_path / "tansu.log")
    broker.start()
    try:
        yield broker
    finally:
        if broker.pid is not None:
            os.kill(broker.pid, signal.SIGCONT)  # in case the test failed while frozen
        broker.stop()


@pytest.mark.timeout(420)
@pytest.mark.parametrize("fault", ["sigterm", "survivor", "freeze"])
def test_every_breach_once_across_the_fault(
    fault: str, tmp_path: Path, model_dir: Path, seeded_database: str
) -> None:
    # a broker of its own: the routed tickets it publishes are synthetic, for no other test
    with own_broker(tmp_path) as broker:
        bootstrap = broker.bootstrap
        group = f"ft-sla-{fault}-{time.time_ns():x}"
        create_topics(bootstrap, all_topics(group), PARTITIONS)
        policies = tmp_path / "policies.yaml"
        policies.write_text(policies_yaml(TARGET), encoding="utf-8")
        workers: list[WorkerProcess] = []
        ended: list[WorkerProcess] = []  # stopped or killed by the test itself

        def start() -> WorkerProcess:
            worker = WorkerProcess(bootstrap, tmp_path / f"worker-{len(workers)}.log", env={
                "TICKETFLOW_APP_ID": group, "TICKETFLOW_DATA_DIR": str(tmp_path / "data"),
                "TICKETFLOW_PARTITIONS": str(PARTITIONS),
                "TICKETFLOW_MODEL_DIR": str(model_dir),
                "TICKETFLOW_DATABASE_URL": seeded_database,
                "TICKETFLOW_SLA_POLICIES_PATH": str(policies),
                "TICKETFLOW_SLA_ASSIGN_WITHIN_S": "100000"})
            worker.start()
            workers.append(worker)
            return worker

        now = datetime.now(UTC)
        routed = routed_tickets(f"{fault}-{time.time_ns()}", TICKETS,
                                first_deadline=now + timedelta(seconds=25),
                                window=timedelta(seconds=30), first_response=TARGET, now=now)
        ids = {r.ticket.ticket_id for r in routed}
        report = BreachReport(expected={(tid, "first_response") for tid in ids})
        consumer = make_consumer(bootstrap, ["sla.events"], from_beginning=False)
        producer = make_producer(bootstrap)
        thaw: threading.Timer | None = None
        try:
            first = start()
            if fault == "survivor":
                start()
            publish_routed(producer, routed)
            producer.flush(30)

            def poll() -> None:
                for worker in workers:
                    if worker not in ended:
                        fail_if_exited(worker)
                read_events(consumer, report, ids)

            wait_until(lambda: len(report.breaches) >= TICKETS // 3, 120,
                       "a third of the breaches", poll)
            before = {s.event_id for s in report.breaches}
            if fault == "sigterm":
                ended.append(first)
                assert first.stop(timeout_s=60) == 0
                start()
            elif fault == "survivor":
                ended.append(first)
                first.kill()
            else:
                assert broker.pid is not None
                os.kill(broker.pid, signal.SIGSTOP)
                thaw = threading.Timer(FREEZE_S, os.kill, (broker.pid, signal.SIGCONT))
                thaw.start()
            wait_until(lambda: not report.missing(), 240,
                       lambda: f"every breach after the fault ({len(report.missing())} missing)",
                       poll)
        finally:
            if thaw is not None:
                thaw.cancel()
            consumer.close()
            producer.close()
            for worker in workers:
                worker.stop()

    summary = report.summary()
    assert summary["missing"] == 0
    assert summary["breaches_emitted"] == TICKETS
    assert summary["clocks_with_two_breach_ids"] == 0  # one event id per breach
    assert {s.event_id for s in report.breaches} - before, "the fault struck too late"
