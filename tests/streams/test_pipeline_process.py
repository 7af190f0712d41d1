"""The pipeline in a child process: the same output as in a thread, the child's metrics served by
the worker, a dying child replaced, a batch that kills two children dead-lettered, a child that
cannot start reported. Real spawned processes (a small pipeline, no model), no mocks."""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry, Counter

from core.errors import ConfigError
from core.settings import Settings
from replies import Replies
from schemas import DeadLetter, Ticket
from streams.metrics import PipelineMetrics
from streams.pipeline import EncodedBatch, NamedStage, Pipeline
from streams.pipeline_process import (
    EXIT_PIPELINE_FAILED,
    ProcessRunner,
    ThreadRunner,
    use_process,
)

from ..conftest import FIXED_NOW
from ..live import wait_until
from .test_pipeline import record, webform


def poll() -> None:
    time.sleep(0.01)  # noqa: sleep  (the poll interval of wait_until, not a wait for an outcome)


def small_pipeline(settings: Settings, registry: CollectorRegistry) -> Pipeline:
    """A ``Build`` for the child: normalize, then a stage that counts tickets in the child's
    registry and kills its process on a ticket saying "die" (once only, if "once" is in it
    too: a marker file in the data dir remembers). Refuses to build when data_dir/refuse
    exists."""
    if (settings.data_dir / "refuse").exists():
        raise ConfigError("refusing to build: the test said so")
    seen = Counter("test_child_tickets_total", "Tickets the child's stage saw.",
                   registry=registry)
    marker = settings.data_dir / "died"

    def stage(tickets: Sequence[Ticket]) -> Sequence[Ticket]:
        for ticket in tickets:
            if "die" in ticket.body and not ("once" in ticket.body and marker.exists()):
                marker.touch()
                os._exit(1)
        seen.inc(len(tickets))
        return tickets

    return Pipeline(lambda: FIXED_NOW, stages=[NamedStage("count", stage)])


def records(*messages: str) -> list:
    return [record(webform(f"s{i}", message), i) for i, message in enumerate(messages)]


def without_durations(batch: EncodedBatch) -> tuple:
    return (batch.tickets, batch.deadletters, batch.tickets_by_channel, batch.triage_by_channel,
            batch.deadletters_by, batch.redactions, sorted(batch.durations))


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path)


@pytest.fixture
def runner(settings: Settings):
    registry = CollectorRegistry()
    exits: list[int] = []
    runner = ProcessRunner(small_pipeline, settings, registry, lambda: FIXED_NOW,
                           PipelineMetrics(registry).process_restarts, exit_process=exits.append)
    runner.start()
    runner.registry, runner.exits = registry, exits  # type: ignore[attr-defined]
    yield runner
    runner.close()


def test_the_child_gives_what_the_thread_gives(runner: ProcessRunner, settings: Settings) -> None:
    batch = [*records("Where is my order #104512?", "Refund please"), record(b"{oops", 9)]
    in_child = asyncio.run(runner.run(batch))
    in_thread_runner = ThreadRunner(small_pipeline(settings, CollectorRegistry()),
                                    Replies.from_settings(settings))
    in_thread = asyncio.run(in_thread_runner.run(batch))
    in_thread_runner.close()
    assert without_durations(in_child) == without_durations(in_thread)
    assert len(in_child.tickets) == 2 and in_child.deadletters_by == {
        ("webform", "invalid_json"): 1}
    assert runner.pid is not None and runner.pid != os.getpid()


def test_the_childs_metrics_are_served_by_the_worker(runner: ProcessRunner) -> None:
    registry: CollectorRegistry = runner.registry  # type: ignore[attr-defined]
    # reported when the child started, before any batch
    assert registry.get_sample_value("test_child_tickets_total") == 0
    asyncio.run(runner.run(records("a", "b", "c")))
    assert registry.get_sample_value("test_child_tickets_total") == 3


def test_a_child_that_dies_is_replaced_and_the_batch_run_again(runner: ProcessRunner) -> None:
    registry: CollectorRegistry = runner.registry  # type: ignore[attr-defined]
    first = runner.pid
    batch = asyncio.run(runner.run(records("fine", "die once")))
    assert len(batch.tickets) == 2 and not batch.deadletters
    assert runner.pid not in (None, first)
    assert registry.get_sample_value("ticketflow_pipeline_process_restarts_total") == 1
    # the new child's counts: the batch that went through
    assert registry.get_sample_value("test_child_tickets_total") == 2


def test_a_batch_that_kills_two_children_is_dead_lettered_not_lost(
    runner: ProcessRunner,
) -> None:
    registry: CollectorRegistry = runner.registry  # type: ignore[attr-defined]
    batch = asyncio.run(runner.run(records("fine", "die")))
    assert not batch.tickets
    assert batch.deadletters_by == {("webform", "internal_error"): 2}
    letters = [DeadLetter.model_validate_json(value) for _, value, _ in batch.deadletters]
    assert [d.source.offset for d in letters] == [0, 1]
    assert all("died twice" in d.reason for d in letters)
    assert registry.get_sample_value("ticketflow_pipeline_process_restarts_total") == 2
    # and the third child goes on with the next batch
    assert len(asyncio.run(runner.run(records("fine again"))).tickets) == 1


def test_a_child_that_cannot_start_again_makes_the_worker_exit(
    runner: ProcessRunner, settings: Settings
) -> None:
    (settings.data_dir / "refuse").touch()
    with pytest.raises(ConfigError, match="the test said so"):
        asyncio.run(runner.run(records("die")))
    assert runner.exits == [EXIT_PIPELINE_FAILED]  # type: ignore[attr-defined]


def test_a_child_that_cannot_start_says_why(settings: Settings) -> None:
    (settings.data_dir / "refuse").touch()
    registry = CollectorRegistry()
    runner = ProcessRunner(small_pipeline, settings, registry, lambda: FIXED_NOW,
                           PipelineMetrics(registry).process_restarts)
    with pytest.raises(ConfigError, match="the test said so"):
        runner.start()
    assert runner.pid is None


def test_a_process_when_there_is_a_second_core_unless_set(tmp_path: Path) -> None:
    unset = Settings(data_dir=tmp_path)
    assert use_process(unset, cpu_count=2) and not use_process(unset, cpu_count=1)
    assert not use_process(Settings(data_dir=tmp_path, pipeline_process=False), cpu_count=8)
    assert use_process(Settings(data_dir=tmp_path, pipeline_process=True), cpu_count=1)


def test_a_child_whose_worker_is_killed_exits_by_itself(tmp_path: Path) -> None:
    """SIGKILL gives the worker no chance to stop its pool: the child notices it was orphaned."""
    import signal
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    script = (
        "from prometheus_client import CollectorRegistry\n"
        "from core.settings import Settings\n"
        "from streams.metrics import PipelineMetrics\n"
        "from streams.pipeline_process import ProcessRunner\n"
        "from tests.streams.test_pipeline_process import small_pipeline\n"
        "registry = CollectorRegistry()\n"
        f"runner = ProcessRunner(small_pipeline, Settings(data_dir={str(tmp_path)!r}), registry,\n"
        "                       None, PipelineMetrics(registry).process_restarts)\n"
        "runner.start()\n"
        "print(runner.pid, flush=True)\n"
        "import time; time.sleep(60)\n"
    )
    worker = subprocess.Popen([sys.executable, "-c", script], cwd=root, stdout=subprocess.PIPE,
                              text=True)
    assert worker.stdout is not None
    child = int(worker.stdout.readline())
    assert Path(f"/proc/{child}").exists()
    worker.send_signal(signal.SIGKILL)
    worker.wait()

    def running() -> bool:  # a zombie is gone too (whoever reaps orphans here may be slow)
        try:
            stat = Path(f"/proc/{child}/stat").read_text()
        except OSError:
            return False
        return stat.rsplit(")", 1)[1].split()[0] != "Z"

    wait_until(lambda: not running(), 15, "the orphaned child to exit", poll)


def test_housekeeping_trims_the_heap_and_exits_once_the_parent_is_another() -> None:
    from streams.pipeline_process import housekeeping

    trims: list[float] = []
    exits: list[int] = []
    # its real parent: trims every 0.02 s until stopped by a parent that is not
    stop = threading.Event()
    real = housekeeping(os.getppid(), lambda: trims.append(0) or 1, every_s=0.01,
                        trim_every_s=0.02, exit_process=exits.append, stop=stop)
    wait_until(lambda: len(trims) >= 3, 5, "three trims", poll)
    assert real.is_alive() and not exits
    stop.set()
    real.join(5)
    assert not real.is_alive() and not exits
    housekeeping(os.getpid(), lambda: 0, every_s=0.01, exit_process=exits.append).join(5)
    assert exits == [0]  # this process is not its own parent
