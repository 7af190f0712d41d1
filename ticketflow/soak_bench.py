"""``ticketflow bench soak``: steady traffic through one worker for minutes, with a help desk
answering and closing every ticket, to show that memory levels off, lag stays bounded and
nothing is lost.

On one broker (embedded unless ``--bootstrap``), as ``bench pipeline`` sets it up: unique
variants of the sample corpus are published at ``rate`` records/s for ``minutes``. As tickets
come out on ``tickets.routed`` the harness plays the demo's pretend help desk
(``helpdesk_sim.plan``: assigned, replied, declined, on hold, solved…) and then solves every
ticket ``solve_after_s`` after it was routed, so each SLA state ends and is forgotten
``forget_after_s`` later, as a shop's help desk eventually closes every ticket.

Reported (the last stdout line is JSON):
- ``rss_start_mb`` after ``warmup_s`` of traffic, ``rss_end_mb`` once every ticket is routed,
  solved and forgotten, and ``rss_growth_pct`` between them (``rss_first_ticket_mb`` too);
- ``max_lag``: the most tickets published but not yet on ``tickets.routed`` at any sample
  (each tick, ≈ 5 per second) — the whole pipeline's backlog, on any broker — and
  ``max_latency_ms``, publish to ``tickets.routed``;
- ``lost``: published tickets never routed; ``duplicates``: ``tickets.routed`` messages beyond
  one per (ticket, routing attempt) — a re-route after a decline is a new attempt, not a
  duplicate.
"""

from __future__ import annotations

import heapq
import itertools
import math
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from core.settings import Settings
from ticketflow.pipeline_bench import (
    BenchConfig,
    PhaseFailed,
    ProcStats,
    Run,
    growth_pct,
    latency_summary,
    r1,
)

Progress = Callable[[str], None]


@dataclass(frozen=True)
class SoakConfig:
    minutes: float = 10.0
    rate: int = 150  # records per second offered
    warmup_s: float = 60.0  # RSS is read as the start after this much traffic
    solve_after_s: float = 30.0  # every ticket is solved this long after it was routed
    forget_after_s: float = 5.0  # the worker's TICKETFLOW_SLA_FORGET_AFTER_S
    drain_s: float = 300.0  # after publishing, wait at most this long for the rest


class HelpDesk:
    """The demo's pretend help desk over what the watcher saw routed, then a ``solved`` for
    every ticket: events are due at wall-clock times and sent when :meth:`tick` finds them due."""

    def __init__(self, solve_after_s: float, planned: int = 0) -> None:
        from ticketflow.helpdesk_sim import plan

        self.plan = plan
        self.solve_after = timedelta(seconds=solve_after_s)
        self.due: list[tuple[datetime, int, Any]] = []
        self.order = itertools.count()
        self.planned = planned  # how many of the routed ids (in arrival order) have a plan
        self.solved = 0
        self.sent = 0

    def tick(self, routed_ids: list[str], send: Callable[[list[Any]], int],
             now: datetime) -> None:
        from sla.events import HelpdeskEvent

        fresh = routed_ids[self.planned:]  # the watcher may append to the list meanwhile
        for ticket_id in fresh:
            for when, event in self.plan({"ticket": {"ticket_id": ticket_id}}, now):
                heapq.heappush(self.due, (when, next(self.order), event))
            solved = HelpdeskEvent(ticket_id=ticket_id, type="status_changed",
                                   status="solved", at=now + self.solve_after)
            heapq.heappush(self.due, (solved.at, next(self.order), solved))
            self.solved += 1
        self.planned += len(fresh)
        ready = []
        while self.due and self.due[0][0] <= now:
            ready.append(heapq.heappop(self.due)[2])
        if ready:
            self.sent += send(ready)

    @property
    def pending(self) -> int:
        return len(self.due)


class SoakRun(Run):
    def __init__(self, settings: Settings, soak: SoakConfig, out_dir: Path,
                 progress: Progress) -> None:
        super().__init__(settings, BenchConfig(forget_after_s=soak.forget_after_s,
                                               drain_s=soak.drain_s), out_dir, progress)
        self.soak_config = soak

    def run(self) -> dict[str, Any]:
        from ticketflow.broker import free_port
        from ticketflow.pipeline_bench import position_group
        from ticketflow.processes import WorkerProcess

        soak = self.soak_config
        started = time.monotonic()
        with self.stack:
            self.setup()
            group = f"bench-soak-{self.tag}"
            position_group(self.bootstrap, group)  # only this run's traffic
            self.metrics_port = free_port()
            worker = WorkerProcess(self.bootstrap, self.out_dir / "worker.log",
                                   env=self.worker_env(group, self.metrics_port))
            self.stack.callback(worker.stop)
            worker.start()
            stats = ProcStats(worker.pid)
            seen = self.watch.seen
            routed_before = len(seen.routed_order)
            desk = HelpDesk(soak.solve_after_s, planned=routed_before)
            published: dict[str, float] = {}
            max_lag = 0
            rss: dict[str, float | None] = {"first_ticket": None, "start": None}

            def tick() -> None:
                nonlocal max_lag
                desk.tick(seen.routed_order, self.publisher.send_events, datetime.now(UTC))
                max_lag = max(max_lag, len(pending_ids()))
                if rss["first_ticket"] is None and desk.planned > routed_before:
                    rss["first_ticket"] = stats.rss_mb()

            recent: list[str] = []  # ids published and not yet seen routed, checked per tick

            def pending_ids() -> list[str]:
                recent[:] = [t for t in recent if t not in seen.routed]
                return recent

            # traffic starts once the worker routes: its start-up is not the soak's lag
            first = [v for v in self.take(20) if v.ticket_ids]
            for variant in first:
                self.publisher.send(variant)
            self.publisher.flush()
            self.wait_first([t for v in first for t in v.ticket_ids], [worker])
            count = math.ceil(soak.rate * soak.minutes * 60)
            self.progress(f"soak: {count} records at {soak.rate}/s for {soak.minutes:g} min, "
                          "every ticket answered by the pretend help desk and then solved ...")
            start = time.time() + 0.5
            next_tick = 0.0
            for index in range(count):
                variant = self.take(1)[0]
                delay = start + index / soak.rate - time.time()
                if delay > 0:
                    time.sleep(delay)
                now = time.time()
                self.publisher.send(variant)
                for ticket_id in variant.ticket_ids:
                    published[ticket_id] = now
                    recent.append(ticket_id)
                if now >= next_tick:
                    next_tick = now + 0.2
                    self.check([worker])
                    tick()
                    if rss["start"] is None and now - start >= soak.warmup_s:
                        rss["start"] = stats.rss_mb()
                        self.progress(f"soak: RSS {rss['start']} MB after "
                                      f"{soak.warmup_s:.0f} s of traffic")
                if index and index % (soak.rate * 60) == 0:
                    self.progress(f"soak: {index}/{count} records published, "
                                  f"{len(seen.routed) - routed_before} tickets routed, "
                                  f"lag now {len(recent)}, RSS {stats.rss_mb()} MB")
            self.publisher.flush()
            publish_s = time.time() - start
            done = self.wait_tickets(list(published), "soak: the rest", [worker],
                                     timeout_s=soak.drain_s, sla=False, on_tick=tick)
            # the help desk's last events, then every solved ticket forgotten
            end_by = time.monotonic() + soak.solve_after_s + soak.drain_s
            while desk.pending and time.monotonic() < end_by:
                self.check([worker])
                tick()
                time.sleep(0.2)
            self.publisher.producer.flush(timeout=120)
            forgotten, kpi_left = self.wait_forgotten(desk.solved, worker)
            rss_end, peak = stats.rss_mb(), stats.peak_mb()
            lost = [t for t in published if t not in seen.routed]
            latency = latency_summary(published, seen.routed)
            versions = {v for v in seen.routed_versions if v[0] in published}
            routed_messages = seen.routed_messages  # this run's worker is the only router
        result = {
            "bench": "soak", "minutes": soak.minutes, "rate": soak.rate,
            "records": count, "tickets": len(published),
            "offered_msgs_per_s": r1(count / max(1e-9, publish_s)),
            "rss_first_ticket_mb": r1(rss["first_ticket"]),
            "rss_start_mb": r1(rss["start"]), "rss_end_mb": r1(rss_end),
            "rss_growth_pct": growth_pct(rss["start"], rss_end),
            "peak_rss_mb": r1(peak),
            "max_lag": max_lag, "max_latency_ms": latency["max_ms"],
            "latency_p50_ms": latency["p50_ms"], "latency_p99_ms": latency["p99_ms"],
            "lost": len(lost), "lost_examples": lost[:10],
            "duplicates": max(0, routed_messages - len(seen.routed_versions)),
            "reroutes": len(versions) - (len(published) - len(lost)),
            "helpdesk_events_sent": desk.sent, "tickets_solved": desk.solved,
            "sla_states_forgotten": forgotten, "kpi_states_left": kpi_left,
            "drained": done is not None,
            "broker": self.settings.kafka_bootstrap or "embedded (Tansu)",
            "seconds": r1(time.monotonic() - started),
        }
        return result


def bench_soak(settings: Settings, soak: SoakConfig, out_dir: Path | None = None,
               progress: Progress = lambda _: None) -> dict[str, Any]:
    """Run the soak; return the result (the JSON the CLI prints). Logs go to ``out_dir``
    (default ``DATA_DIR/bench-soak``, replaced on every run)."""
    out = out_dir or settings.data_dir / "bench-soak"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    if soak.minutes <= 0 or soak.rate <= 0:
        raise PhaseFailed("the soak needs a positive --minutes and --rate")
    return SoakRun(settings, soak, out.resolve(), progress).run()
