"""A worker started before its broker (compose, Kubernetes, a reboot) waits for it: one clear
line when the wait starts, one when the broker answers, then it works — no crash, no crash
loop, no line per retry."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

import corpus
from ticketflow.broker import EmbeddedBroker, find_tansu, free_port
from ticketflow.failover_bench import OutputWatch, Tally, count_trial
from ticketflow.processes import WorkerProcess

from ..integration.test_pipeline_restart import publish_files
from ..live import fail_if_exited, wait_until

WAITING = "does not answer yet"
ANSWERS = "answers; starting"


def log_of(worker: WorkerProcess) -> str:
    return worker.log_path.read_text(errors="replace") if worker.log_path.exists() else ""


@pytest.mark.timeout(420)
def test_a_worker_started_before_the_broker_waits_for_it_and_then_routes(
    tmp_path: Path, model_dir: Path, seeded_database: str
) -> None:
    port = free_port()
    bootstrap = f"127.0.0.1:{port}"
    worker = WorkerProcess(bootstrap, tmp_path / "worker.log", env={
        "TICKETFLOW_APP_ID": f"ft-late-{time.time_ns():x}",
        "TICKETFLOW_DATA_DIR": str(tmp_path / "data"),
        "TICKETFLOW_MODEL_DIR": str(model_dir),
        "TICKETFLOW_DATABASE_URL": seeded_database,
        "TICKETFLOW_BROKER_WAIT_S": "300",
    })

    def running() -> None:
        fail_if_exited(worker, worker.wait(0.2))  # between looks at the log

    worker.start()
    broker = EmbeddedBroker(find_tansu(), port=port, log_path=tmp_path / "tansu.log")
    watch: OutputWatch | None = None
    try:
        wait_until(lambda: WAITING in log_of(worker), 120, "the worker to say it waits",
                   running)
        broker.start()
        wait_until(lambda: ANSWERS in log_of(worker), 120,
                   "the worker to see the broker", running)
        watch = OutputWatch(bootstrap)
        files = corpus.load_manifest()[:12]
        tally = Tally()
        expected = publish_files(bootstrap, files, tally)

        def poll() -> None:
            fail_if_exited(worker)
            assert watch is not None
            watch.poll(tally)

        wait_until(lambda: tally.missing(expected) == ([], []), 240,
                   lambda: f"the records to come out; {count_trial(expected, tally)}", poll)
    finally:
        if watch is not None:
            watch.close()
        worker.stop()
        broker.stop()
    log = log_of(worker)
    assert log.count(WAITING) == 1 and log.count(ANSWERS) == 1, log[-3000:]
