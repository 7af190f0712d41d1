"""``ticketflow worker --processes 2`` on a real broker: two workers in one group route the
corpus; a child killed with SIGKILL is restarted by the supervisor and its partitions go on;
SIGTERM to the supervisor stops every child."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import corpus
from streams.kafka_io import make_consumer, make_producer
from streams.topics import INBOUND_MAX_MESSAGE_BYTES, TICKETS_DEADLETTER, TICKETS_ROUTED
from ticketflow.ingest import publish

from .conftest import wait_until


def children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            text = (task / "children").read_text().split()
        except FileNotFoundError:  # a thread of the supervisor ended while we listed them
            continue
        found.update(int(p) for p in text)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split()[2]
    except OSError:
        return False
    return state != "Z"


def test_supervised_workers_share_the_group_survive_a_kill_and_stop_together(
        topics: str, tmp_path: Path, model_dir: Path, seeded_database: str) -> None:
    files = corpus.load_manifest()
    half = len(files) // 2
    env = {**os.environ, "TICKETFLOW_APP_ID": f"it-processes-{time.time_ns()}",
           "TICKETFLOW_DATA_DIR": str(tmp_path / "data"), "TICKETFLOW_PARTITIONS": "4",
           "TICKETFLOW_MODEL_DIR": str(model_dir), "TICKETFLOW_DATABASE_URL": seeded_database}
    consumer = make_consumer(topics, [TICKETS_ROUTED.name, TICKETS_DEADLETTER.name],
                             from_beginning=False)
    producer = make_producer(topics, max_request_size=INBOUND_MAX_MESSAGE_BYTES)
    log = open(tmp_path / "supervisor.log", "wb")  # noqa: SIM115 - closed in finally
    supervisor = subprocess.Popen(
        [sys.executable, "-m", "ticketflow", "worker", "--processes", "2", "--bootstrap", topics],
        stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=env)
    seen: set[tuple[str, int, int]] = set()  # (source topic, partition, offset) that came out

    def poll() -> None:
        for records in consumer.poll(timeout_ms=200).values():
            for record in records:
                value = json.loads(record.value)
                source = value["ticket"]["source"] if "ticket" in value else value["source"]
                seen.add((source["topic"], source["partition"], source["offset"]))

    def all_out(published: list) -> bool:
        return all((p.topic, p.partition, p.offset) in seen for p in published)

    try:
        wait_until(lambda: len(children(supervisor.pid)) == 2, 60, "two worker processes",
                   lambda: time.sleep(0.2))
        first = publish(producer, [(f.channel, f.path) for f in files[:half]])
        wait_until(lambda: all_out(first), 180, "the first half of the corpus, routed", poll)

        victim = min(children(supervisor.pid))
        os.kill(victim, signal.SIGKILL)
        wait_until(lambda: victim not in children(supervisor.pid)
                   and len(children(supervisor.pid)) == 2, 60,
                   "the supervisor restarting the killed worker", lambda: time.sleep(0.2))
        second = publish(producer, [(f.channel, f.path) for f in files[half:]])
        wait_until(lambda: all_out(second), 240, "the second half, after the restart", poll)

        workers = children(supervisor.pid)
        supervisor.send_signal(signal.SIGTERM)
        assert supervisor.wait(60) == 0
        assert not [pid for pid in workers if alive(pid)], "a worker outlived its supervisor"
    finally:
        if supervisor.poll() is None:
            supervisor.kill()
            supervisor.wait()
        consumer.close()
        producer.close()
        log.close()
