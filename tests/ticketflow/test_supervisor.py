"""The supervisor's decisions, with fake processes and an injected clock."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field

from ticketflow.supervisor import FIRST_BACKOFF_S, HEALTHY_AFTER_S, Supervisor, child_env


@dataclass
class FakeProc:
    status: int | None = None
    signals: list[str] = field(default_factory=list)
    ignores_term: bool = False

    def poll(self) -> int | None:
        return self.status

    def terminate(self) -> None:
        self.signals.append("TERM")
        if not self.ignores_term:
            self.status = -15

    def wait(self, timeout: float | None = None) -> int:
        if self.status is None:
            raise subprocess.TimeoutExpired("worker", timeout or 0)
        return self.status

    def kill(self) -> None:
        self.signals.append("KILL")
        self.status = -9


@dataclass
class Clock:
    now: float = 0.0

    def __call__(self) -> float:
        return self.now


def make(n: int) -> tuple[Supervisor, list[tuple[int, FakeProc]], Clock]:
    clock = Clock()
    spawned: list[tuple[int, FakeProc]] = []

    def spawn(index: int) -> FakeProc:
        proc = FakeProc()
        spawned.append((index, proc))
        return proc

    return Supervisor(n, spawn, clock), spawned, clock


def test_starts_every_child_once() -> None:
    supervisor, spawned, _ = make(3)
    supervisor.step()
    supervisor.step()
    assert [index for index, _ in spawned] == [0, 1, 2]


def test_a_child_that_exits_is_restarted_after_a_growing_backoff() -> None:
    supervisor, spawned, clock = make(2)
    supervisor.step()
    spawned[1][1].status = 70  # an offset anomaly: it asks to be restarted
    said = supervisor.step()
    assert said == ["worker 1 exited with status 70; restarting in 1 s"]
    assert len(spawned) == 2  # not before the back-off
    clock.now = FIRST_BACKOFF_S
    supervisor.step()
    assert [index for index, _ in spawned] == [0, 1, 1]
    spawned[2][1].status = 75
    said = supervisor.step()
    assert said == ["worker 1 exited with status 75; restarting in 2 s"]
    assert supervisor.children[1].restarts == 1 and supervisor.children[1].exits == [70, 75]


def test_a_child_that_ran_long_enough_restarts_after_the_first_backoff_again() -> None:
    supervisor, spawned, clock = make(1)
    supervisor.step()
    for _ in range(4):  # die young four times: the back-off grows to 16 s
        spawned[-1][1].status = 1
        supervisor.step()
        clock.now += supervisor.children[0].start_at - clock.now
        supervisor.step()
    clock.now += HEALTHY_AFTER_S
    spawned[-1][1].status = 1
    assert supervisor.step() == ["worker 0 exited with status 1; restarting in 1 s"]


def test_stop_terminates_everyone_and_kills_who_ignores_it() -> None:
    supervisor, spawned, _ = make(2)
    supervisor.step()
    spawned[1][1].ignores_term = True
    statuses = supervisor.stop(timeout_s=0)
    assert statuses == {0: -15, 1: -9}
    assert spawned[1][1].signals == ["TERM", "KILL"]
    assert all(child.proc is None for child in supervisor.children)


def test_each_child_serves_metrics_on_its_own_port() -> None:
    assert child_env(2, 9100)["TICKETFLOW_METRICS_PORT"] == "9102"
    assert child_env(1, None) == dict(os.environ)  # no metrics port: nothing added
