"""``ticketflow bench sla``: open N clocks on a real worker, let them breach, and measure.

The worker is a real ``ticketflow worker`` process (its own consumer group, a policy whose
first-response target is ``target_s``); routed tickets go straight to ``tickets.routed`` with
received times chosen so that the deadlines are spread evenly over ``window_s``, starting
``lead_s`` from now. A reader of ``sla.events`` notes when each breach *arrives*, so lateness
includes the tick, the command round trip and delivery, as a help desk would see it.
"""

from __future__ import annotations

import contextlib
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from classifiers.artifact import ensure_model
from core.settings import Settings
from streams.admin import create_topics
from streams.kafka_io import make_consumer, make_producer
from streams.topics import SLA_EVENTS, all_topics
from ticketflow.broker import EmbeddedBroker, find_tansu
from ticketflow.processes import WorkerProcess
from ticketflow.sla_load import (
    BreachReport,
    policies_yaml,
    publish_routed,
    read_events,
    routed_tickets,
)


def peak_rss_mb(pid: int | None) -> float | None:
    """The process's peak resident set (VmHWM) in MB, Linux only."""
    if pid is None:
        return None
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def bench_sla(settings: Settings, clocks: int, *, window_s: float, lead_s: float,
              target_s: float, timeout_s: float,
              progress: Callable[[str], None]) -> dict[str, Any]:
    run = f"bench-sla-{time.time_ns()}"
    with contextlib.ExitStack() as stack:
        bootstrap = settings.kafka_bootstrap
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="ticketflow-bench-")))
        if bootstrap is None:
            broker = EmbeddedBroker(find_tansu(settings.tansu_bin), log_path=tmp / "broker.log")
            stack.callback(broker.stop)
            bootstrap = broker.start()
        security = settings.security_for(bootstrap)
        create_topics(bootstrap, all_topics(), settings.partitions, settings.replication_factor,
                      security=security)
        target = timedelta(seconds=target_s)
        policies = tmp / "policies.yaml"
        policies.write_text(policies_yaml(target), encoding="utf-8")
        worker_log = settings.data_dir / "bench-sla-worker.log"
        worker_log.unlink(missing_ok=True)
        worker = WorkerProcess(bootstrap, worker_log, env={
            "TICKETFLOW_APP_ID": run, "TICKETFLOW_SLA_POLICIES_PATH": str(policies),
            "TICKETFLOW_SLA_ASSIGN_WITHIN_S": str(10 * (lead_s + window_s + timeout_s)),
            "TICKETFLOW_DATA_DIR": str(settings.data_dir),
            "TICKETFLOW_DATABASE_URL": f"sqlite:///{tmp / 'store.db'}",
        })
        stack.callback(worker.stop)
        consumer = make_consumer(bootstrap, [SLA_EVENTS.name], from_beginning=False,
                                 fetch_max_wait_ms=20, security=security)
        stack.callback(consumer.close)
        producer = make_producer(bootstrap, security=security)
        stack.callback(producer.close)
        ensure_model(settings.models_dir, settings.model_dir, progress)  # not inside the run
        worker.start()
        now = datetime.now(UTC)
        routed = routed_tickets(run, clocks, first_deadline=now + timedelta(seconds=lead_s),
                                window=timedelta(seconds=window_s), first_response=target,
                                now=now)
        ids = {r.ticket.ticket_id for r in routed}
        report = BreachReport(expected={(tid, "first_response") for tid in ids})
        started = time.monotonic()
        publish_routed(producer, routed)
        progress(f"published {clocks} routed tickets in {time.monotonic() - started:.1f} s; "
                 f"deadlines from +{lead_s:.0f} s over {window_s:.0f} s")
        end_by = time.monotonic() + lead_s + window_s + timeout_s
        next_note = time.monotonic() + 5
        while report.missing() and time.monotonic() < end_by:
            if worker.poll() is not None:
                progress(f"worker exited with {worker.poll()}; see {worker_log}")
                break
            read_events(consumer, report, ids, only_breaches=True)
            if time.monotonic() >= next_note:
                next_note += 5
                opened = report.skipped["sla.applied"] // 2
                progress(f"{opened} clocks opened, {len(report.breaches)} breached")
        # A short grace period to catch redeliveries (duplicates) after the last breach.
        grace_end = time.monotonic() + 2.0
        while time.monotonic() < grace_end:
            read_events(consumer, report, ids, only_breaches=True)
        rss = peak_rss_mb(worker.pid)
    summary = report.summary()
    return {
        "bench": "sla",
        "clocks": clocks,
        "window_s": window_s,
        "lead_s": lead_s,
        "target_s": target_s,
        "partitions": settings.partitions,
        "tick_s": settings.sla_tick_s,
        **summary,
        "peak_rss_mb": rss,
    }
