"""Readiness follows the broker: a worker on its own embedded broker is ready; the broker frozen
(SIGSTOP: a long GC pause, a partition) makes /readyz answer 503 naming the broker check while
/livez stays 200 (the worker's loop is fine: restarting it would not help); thawed, it is ready
again, without a restart."""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import pytest

from streams.admin import create_topics
from streams.topics import all_topics
from ticketflow.broker import EmbeddedBroker, find_tansu, free_port
from ticketflow.processes import WorkerProcess

from ..integration.test_worker_health import get
from ..live import PARTITIONS, fail_if_exited, wait_until


@pytest.mark.timeout(400)
def test_a_frozen_broker_makes_the_worker_not_ready_and_names_the_broker(
    tmp_path: Path, model_dir: Path, seeded_database: str
) -> None:
    app_id = f"ft-health-{time.time_ns():x}"
    port = free_port()
    broker = EmbeddedBroker(find_tansu(), log_path=tmp_path / "tansu.log")
    bootstrap = broker.start()
    worker = WorkerProcess(bootstrap, tmp_path / "worker.log", env={
        "TICKETFLOW_APP_ID": app_id, "TICKETFLOW_DATA_DIR": str(tmp_path / "data"),
        "TICKETFLOW_PARTITIONS": str(PARTITIONS), "TICKETFLOW_MODEL_DIR": str(model_dir),
        "TICKETFLOW_DATABASE_URL": seeded_database, "TICKETFLOW_METRICS_PORT": str(port),
    })
    frozen = False
    last: list[tuple[int, str]] = []

    def readyz_is(status: int) -> bool:
        last[:] = [get(port, "/readyz")]
        return last[0][0] == status

    def running() -> None:
        fail_if_exited(worker, worker.wait(0.5))

    try:
        create_topics(bootstrap, all_topics(app_id), PARTITIONS)
        worker.start()
        wait_until(lambda: readyz_is(200), 240, lambda: f"the worker to be ready; {last}",
                   running)
        pid = broker.pid
        assert pid is not None
        os.kill(pid, signal.SIGSTOP)
        frozen = True
        wait_until(lambda: readyz_is(503), 60,
                   lambda: f"/readyz to answer 503 with the broker frozen; {last}", running)
        verdict = json.loads(last[0][1])
        assert verdict["ready"] is False
        assert verdict["checks"]["broker"]["ok"] is False, verdict
        assert bootstrap in verdict["checks"]["broker"]["detail"]
        # the loop itself is fine
        status, body = get(port, "/livez")
        assert status == 200, body
        status, metrics = get(port, "/metrics")
        assert status == 200
        assert "ticketflow_ready 0.0" in metrics
        assert 'ticketflow_readiness_check{check="broker"} 0.0' in metrics
        os.kill(pid, signal.SIGCONT)
        frozen = False
        wait_until(lambda: readyz_is(200), 120,
                   lambda: f"the worker to be ready again after the thaw; {last}", running)
    finally:
        if frozen and broker.pid is not None:
            os.kill(broker.pid, signal.SIGCONT)
        worker.stop()
        broker.stop()
