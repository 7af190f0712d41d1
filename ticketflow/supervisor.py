"""``ticketflow worker --processes N``: N worker processes of one consumer group on this machine,
each restarted when it dies, all stopped by Ctrl-C or SIGTERM.

Why processes: a worker's agents are CPU-bound on one core (the GIL), its pipeline on a second
(its child process, ``streams/pipeline_process.py``); Kafka's consumer group already spreads
partitions over processes, so N processes use up to 2N cores with nothing else to coordinate.
Why restart: a worker exits on purpose when it must not go on — 75 when it cannot publish, 70 on
an offset anomaly (``streams/faust_adapter.py``), 71 when its pipeline process cannot be started
again — and relies on being restarted from the committed offset. ``Supervisor`` is the pure
part: which child to start when; ``run`` drives it with real processes.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

log = logging.getLogger(__name__)

FIRST_BACKOFF_S = 1.0
MAX_BACKOFF_S = 30.0
# a child that ran this long was healthy: its next restart starts from the first back-off again
HEALTHY_AFTER_S = 60.0


class Proc(Protocol):
    def poll(self) -> int | None: ...
    def terminate(self) -> None: ...
    def wait(self, timeout: float | None = None) -> int: ...
    def kill(self) -> None: ...


@dataclass
class Child:
    index: int
    proc: Proc | None = None
    started_at: float = 0.0
    start_at: float = 0.0  # when to (re)start it
    backoff_s: float = FIRST_BACKOFF_S
    restarts: int = 0
    exits: list[int] = field(default_factory=list)


class Supervisor:
    """Keeps ``n`` children running: ``step()`` starts those that are due and schedules a
    restart, with growing back-off, for those that exited."""

    def __init__(self, n: int, spawn: Callable[[int], Proc],
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.spawn = spawn
        self.clock = clock
        self.children = [Child(index) for index in range(n)]

    def step(self) -> list[str]:
        """One look at every child; returns what happened, one line each."""
        now = self.clock()
        said: list[str] = []
        for child in self.children:
            if child.proc is not None:
                status = child.proc.poll()
                if status is None:
                    continue
                child.proc = None
                child.exits.append(status)
                if now - child.started_at >= HEALTHY_AFTER_S:
                    child.backoff_s = FIRST_BACKOFF_S
                child.start_at = now + child.backoff_s
                said.append(f"worker {child.index} exited with status {status}; restarting in "
                            f"{child.backoff_s:.0f} s")
                child.backoff_s = min(child.backoff_s * 2, MAX_BACKOFF_S)
            if child.proc is None and now >= child.start_at:
                if child.exits:
                    child.restarts += 1
                child.proc = self.spawn(child.index)
                child.started_at = now
        return said

    def stop(self, timeout_s: float = 20.0) -> dict[int, int | None]:
        """SIGTERM to every child, then wait; SIGKILL what is still there after ``timeout_s``."""
        running = [child for child in self.children if child.proc is not None]
        for child in running:
            assert child.proc is not None
            child.proc.terminate()
        statuses: dict[int, int | None] = {}
        deadline = self.clock() + timeout_s
        for child in running:
            assert child.proc is not None
            try:
                statuses[child.index] = child.proc.wait(max(0.0, deadline - self.clock()))
            except subprocess.TimeoutExpired:
                child.proc.kill()
                statuses[child.index] = child.proc.wait()
            child.proc = None
        return statuses


def child_env(index: int, metrics_port: int | None) -> dict[str, str]:
    """Each child serves its metrics on its own port: the base port plus its index."""
    env = dict(os.environ)
    if metrics_port is not None:
        env["TICKETFLOW_METRICS_PORT"] = str(metrics_port + index)
    return env


def run(n: int, bootstrap: str, metrics_port: int | None,
        echo: Callable[[str], None]) -> None:
    """Blocks until SIGINT or SIGTERM; then stops every child."""

    def spawn(index: int) -> Proc:
        return subprocess.Popen(
            [sys.executable, "-m", "ticketflow", "worker", "--bootstrap", bootstrap],
            stdin=subprocess.DEVNULL, env=child_env(index, metrics_port))

    stopping = threading.Event()

    def on_signal(signum: int, frame: object) -> None:
        stopping.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    supervisor = Supervisor(n, spawn)
    echo(f"supervising {n} worker processes (one consumer group); Ctrl-C stops them all")
    try:
        while not stopping.is_set():
            for line in supervisor.step():
                echo(line)
            stopping.wait(0.5)
    finally:
        statuses = supervisor.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        echo(f"stopped: {statuses}")
