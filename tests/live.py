"""Fixtures of the tests on a real broker (tests/integration, tests/faults): an embedded broker
(Tansu) for the whole session on a free loopback port, its topics, the demo store, workers.

Set TICKETFLOW_KAFKA_BOOTSTRAP to run the same tests against an existing Kafka instead.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from streams.admin import create_topics
from streams.topics import all_topics
from ticketflow.broker import EmbeddedBroker, find_tansu
from ticketflow.processes import WorkerProcess

PARTITIONS = 4


@pytest.fixture(scope="session")
def bootstrap(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    external = os.environ.get("TICKETFLOW_KAFKA_BOOTSTRAP")
    if external:
        yield external
        return
    log = tmp_path_factory.mktemp("broker") / "tansu.log"
    with EmbeddedBroker(find_tansu(), log_path=log) as broker:
        yield broker.bootstrap


@pytest.fixture(scope="session")
def topics(bootstrap: str) -> str:
    create_topics(bootstrap, all_topics(), PARTITIONS)
    return bootstrap


@pytest.fixture(scope="session")
def seeded_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The demo shop in a SQLite file, as `ticketflow db seed` makes it."""
    from store.db import default_url
    from tests.conftest import FIXED_NOW
    from ticketflow.seed import db_seed

    url = default_url(tmp_path_factory.mktemp("store"))
    db_seed(url, FIXED_NOW)
    return url


@pytest.fixture
def start_worker(
    topics: str, tmp_path: Path, request: pytest.FixtureRequest, model_dir: Path,
    seeded_database: str,
) -> Iterator[Callable[..., WorkerProcess]]:
    """Start workers of one consumer group (unique per test), stopped at teardown."""
    group = f"it-{request.node.name}-{int(time.time() * 1000)}"[:60]
    started: list[WorkerProcess] = []

    def start(**env: str) -> WorkerProcess:
        worker = WorkerProcess(
            topics, tmp_path / f"worker-{len(started)}.log",
            env={"TICKETFLOW_APP_ID": group, "TICKETFLOW_DATA_DIR": str(tmp_path / "data"),
                 "TICKETFLOW_PARTITIONS": str(PARTITIONS),
                 "TICKETFLOW_MODEL_DIR": str(model_dir),
                 "TICKETFLOW_DATABASE_URL": seeded_database, **env},
        )
        worker.start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def wait_until(
    condition: Callable[[], bool], timeout_s: float, what: str | Callable[[], str],
    poll: Callable[[], None],
) -> None:
    """Call ``poll`` until ``condition`` holds; fail with ``what`` (or what it returns, to
    describe the state at the time) after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            said = what() if callable(what) else what
            pytest.fail(f"timed out after {timeout_s:.0f} s waiting for {said}")
        poll()


def fail_if_exited(worker: WorkerProcess, code: int | None = None) -> None:
    """Fail the test with the tail of the worker's log if it has exited by itself (``code``:
    its status when the caller already has it, e.g. from ``worker.wait``)."""
    code = worker.poll() if code is None else code
    if code is not None:
        path = worker.log_path
        log = path.read_text(errors="replace")[-3000:] if path.exists() else ""
        pytest.fail(f"the worker exited with {code}:\n{log}")
