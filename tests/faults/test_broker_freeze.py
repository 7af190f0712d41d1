"""The broker frozen for 20 s in the middle of the corpus (SIGSTOP, then SIGCONT: a long GC
pause, a stalled disk, a network partition that heals): the worker waits it out — publishing is
retried for TICKETFLOW_PUBLISH_RETRY_S (60 s) — and every record still comes out, on the same
worker, without a restart."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest

import corpus
from streams.admin import create_topics
from streams.topics import all_topics
from ticketflow.broker import EmbeddedBroker, find_tansu
from ticketflow.failover_bench import OutputWatch, Tally, count_trial
from ticketflow.processes import WorkerProcess

from ..integration.test_pipeline_restart import publish_files
from ..live import PARTITIONS, fail_if_exited, wait_until

FREEZE_S = 20.0


@pytest.mark.timeout(600)
def test_a_broker_frozen_for_20_s_mid_stream_loses_nothing(
    tmp_path: Path, model_dir: Path, seeded_database: str
) -> None:
    app_id = f"ft-freeze-{time.time_ns():x}"
    broker = EmbeddedBroker(find_tansu(), log_path=tmp_path / "tansu.log")
    bootstrap = broker.start()
    worker = WorkerProcess(bootstrap, tmp_path / "worker.log", env={
        "TICKETFLOW_APP_ID": app_id, "TICKETFLOW_DATA_DIR": str(tmp_path / "data"),
        "TICKETFLOW_PARTITIONS": str(PARTITIONS), "TICKETFLOW_MODEL_DIR": str(model_dir),
        "TICKETFLOW_DATABASE_URL": seeded_database,
        # small batches: the corpus takes many, so the freeze lands in the middle of it
        "TICKETFLOW_BATCH_SIZE": "10",
    })
    thaw: threading.Timer | None = None
    watch: OutputWatch | None = None
    try:
        create_topics(bootstrap, all_topics(app_id), PARTITIONS)
        watch = OutputWatch(bootstrap)
        worker.start()
        tally = Tally()

        def poll() -> None:
            fail_if_exited(worker)
            assert watch is not None
            watch.poll(tally)

        expected = publish_files(bootstrap, corpus.load_manifest(), tally)
        total = len(expected.tickets) + len(expected.deadletters)
        wait_until(lambda: tally.seen_expected(expected) > 0, 240,
                   "the first records to come out", poll)
        pid = broker.pid
        assert pid is not None
        os.kill(pid, signal.SIGSTOP)
        frozen_at, out_at_freeze = time.monotonic(), tally.seen_expected(expected)
        thaw = threading.Timer(FREEZE_S, os.kill, (pid, signal.SIGCONT))
        thaw.start()
        wait_until(lambda: tally.missing(expected) == ([], []), 360,
                   lambda: f"every record after the freeze; {count_trial(expected, tally)}",
                   poll)
        thawed_for = time.monotonic() - frozen_at
    finally:
        if thaw is not None:
            thaw.cancel()
            if broker.pid is not None:
                os.kill(broker.pid, signal.SIGCONT)
        if watch is not None:
            watch.close()
        worker.stop()
        broker.stop()
    assert out_at_freeze < total, "the corpus was all out before the freeze"
    assert thawed_for >= FREEZE_S  # the rest came out only after the broker was back
