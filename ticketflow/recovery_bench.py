"""``ticketflow bench recovery``: how long a restarted worker takes to get its tables back, with
the memory store (the whole changelog replayed) and with RocksDB (its files, then only the
changelog written after them).

For each store, on one broker: a worker (its own app id, positioned at the log ends so it reads
only its own run, and its own data directory) opens SLA clocks for
``--tickets`` routed tickets (long targets: nothing fires), so its ``sla-clocks`` table holds one
state and one ticket copy per ticket; when every ticket's ``sla.applied`` is out, the worker is
stopped (SIGTERM) and a new one started on the same data directory. A probe ticket is published
at once; the figure is the time from the restart to the probe's ``sla.applied`` — group join,
model load and table recovery, the last being what differs between the stores — and the new
worker's resident set then.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from classifiers.artifact import bundled_model_dir, ensure_model
from core.errors import TicketflowError
from core.settings import Settings
from streams.admin import create_topics
from streams.kafka_io import make_consumer, make_producer
from streams.topics import SLA_EVENTS, all_topics
from ticketflow.broker import EmbeddedBroker, find_tansu
from ticketflow.pipeline_bench import ProcStats, position_group, r1
from ticketflow.processes import WorkerProcess
from ticketflow.sla_load import policies_yaml, publish_routed, routed_tickets, wait_for

Progress = Callable[[str], None]
STORES = ("memory://", "rocksdb://")


class AppliedReader:
    """The ticket ids whose ``sla.applied`` has been seen, read off ``sla.events``."""

    def __init__(self, consumer: Any) -> None:
        self.consumer = consumer
        self.applied: set[str] = set()

    def poll(self) -> None:
        for records in self.consumer.poll(timeout_ms=100).values():
            for record in records:
                if b'"sla.applied"' in record.value:
                    self.applied.add(json.loads(record.value)["ticket_id"])


def wait(condition: Callable[[], bool], poll: Callable[[], None], timeout_s: float,
         what: str, worker: WorkerProcess) -> float:
    """``sla_load.wait_for``, failing at once when the worker dies; the seconds it took."""

    def poll_alive() -> None:
        if worker.poll() is not None:
            raise TicketflowError(f"the worker exited ({worker.poll()}) while waiting for {what}; "
                                  f"see {worker.log_path}")
        poll()

    started = time.monotonic()
    if not wait_for(condition, timeout_s, poll_alive):
        raise TicketflowError(f"timed out after {timeout_s:.0f} s waiting for {what}")
    return time.monotonic() - started


def bench_recovery(settings: Settings, tickets: int, *, timeout_s: float,
                   progress: Progress) -> dict[str, Any]:
    result: dict[str, Any] = {"bench": "recovery", "tickets": tickets,
                              "partitions": settings.partitions}
    with contextlib.ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="ticketflow-rec-")))
        bootstrap = settings.kafka_bootstrap
        if bootstrap is None:
            broker = EmbeddedBroker(find_tansu(settings.tansu_bin), log_path=tmp / "broker.log")
            stack.callback(broker.stop)
            bootstrap = broker.start()
        create_topics(bootstrap, all_topics(), settings.partitions, settings.replication_factor,
                      security=settings.security_for(bootstrap))
        ensure_model(settings.models_dir, settings.model_dir, progress)  # not inside the run
        model_dir = settings.model_dir or bundled_model_dir(settings.models_dir)
        policies = tmp / "policies.yaml"
        policies.write_text(policies_yaml(timedelta(days=30)), encoding="utf-8")
        producer = make_producer(bootstrap, security=settings.security_for(bootstrap))
        stack.callback(producer.close)
        for store in STORES:
            name = store.removesuffix("://")
            # kept after the run (worker logs); emptied at the start of the next
            data_dir = settings.data_dir / "bench-recovery" / name
            shutil.rmtree(data_dir, ignore_errors=True)
            figures = _one_store(settings, bootstrap, producer, store, tickets, data_dir,
                                 model_dir, policies, timeout_s, progress)
            result.update({f"{name}_{key}": value for key, value in figures.items()})
    return result


def _one_store(settings: Settings, bootstrap: str, producer: Any, store: str, tickets: int,
               data_dir: Path, model_dir: Path, policies: Path, timeout_s: float,
               progress: Progress) -> dict[str, Any]:
    run = f"bench-recovery-{store.removesuffix('://')}-{time.time_ns()}"
    env = {
        "TICKETFLOW_APP_ID": run, "TICKETFLOW_STATE_STORE": store,
        "TICKETFLOW_DATA_DIR": str(data_dir), "TICKETFLOW_MODEL_DIR": str(model_dir.resolve()),
        "TICKETFLOW_SLA_POLICIES_PATH": str(policies), "TICKETFLOW_SLA_ASSIGN_WITHIN_S": "0",
        "TICKETFLOW_PARTITIONS": str(settings.partitions),
        # Tansu under-reports a partition's end offset (docs/upstream/tansu-list-offsets.md)
        "TICKETFLOW_RECOVERY_CONSISTENCY_CHECK": str(settings.kafka_bootstrap is not None),
        "TICKETFLOW_DATABASE_URL": f"sqlite:///{data_dir / 'store.db'}",
    }
    data_dir.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as stack:
        consumer = make_consumer(bootstrap, [SLA_EVENTS.name], from_beginning=False,
                                 fetch_max_wait_ms=20, security=settings.security_for(bootstrap))
        stack.callback(consumer.close)
        reader = AppliedReader(consumer)
        # a new group would read tickets.routed from its beginning: the other store's tickets too
        position_group(bootstrap, run, security=settings.security_for(bootstrap))
        first = WorkerProcess(bootstrap, data_dir / "worker-1.log", env=env)
        stack.callback(first.stop)
        first.start()
        now = datetime.now(UTC)
        routed = routed_tickets(run, tickets + 1, first_deadline=now + timedelta(days=30),
                                window=timedelta(hours=1), first_response=timedelta(days=30),
                                now=now)
        probe, load = routed[-1], routed[:-1]
        publish_routed(producer, load)
        progress(f"{store}: {tickets} tickets published; waiting for their clocks ...")
        fill_s = wait(lambda: len(reader.applied) >= tickets, reader.poll, timeout_s,
                      f"{tickets} tickets' clocks ({store})", first)
        rss_before = r1(ProcStats(first.pid).rss_mb())
        first.stop()

        second = WorkerProcess(bootstrap, data_dir / "worker-2.log", env=env)
        stack.callback(second.stop)
        restarted = time.monotonic()
        second.start()
        publish_routed(producer, [probe])
        wait(lambda: probe.ticket.ticket_id in reader.applied, reader.poll, timeout_s,
             f"the probe after the restart ({store})", second)
        restart_s = time.monotonic() - restarted
        progress(f"{store}: restart → first SLA event {restart_s:.1f} s")
        return {"fill_s": round(fill_s, 1), "rss_mb_before_restart": rss_before,
                "restart_to_first_event_s": round(restart_s, 1),
                "rss_mb_after_restart": r1(ProcStats(second.pid).rss_mb()),
                "peak_rss_mb_after_restart": r1(ProcStats(second.pid).peak_mb())}
