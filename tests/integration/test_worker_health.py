"""A real worker on the embedded broker, as an on-call person and a log shipper see it:
/livez and /readyz on the metrics port (ready once it owns its partitions, every check named),
other paths 404, and with TICKETFLOW_LOG_FORMAT=json nothing but JSON lines on its stderr,
among them exactly one "ready" line."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

import pytest

from ticketflow.broker import free_port
from ticketflow.processes import WorkerProcess

from ..live import fail_if_exited, wait_until

READY_LINE = "ticketflow worker ready: "


def get(port: int, path: str) -> tuple[int, str]:
    """(status, body); (0, why) while nothing listens yet."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()
    except OSError as exc:
        return 0, str(exc)


def json_lines(worker: WorkerProcess) -> list[dict[str, Any]]:
    """Every line of the worker's output (stderr and stdout), each parsed as JSON: fails on the
    first line that is not one object."""
    parsed = []
    for number, line in enumerate(worker.log_path.read_text(errors="replace").splitlines(), 1):
        try:
            value = json.loads(line)
        except ValueError:
            pytest.fail(f"line {number} of the worker's output is not JSON: {line[:300]!r}")
        assert isinstance(value, dict), line
        parsed.append(value)
    return parsed


@pytest.mark.timeout(300)
def test_a_worker_becomes_ready_says_so_once_and_logs_only_json(
    start_worker: Callable[..., WorkerProcess]
) -> None:
    port = free_port()
    worker = start_worker(TICKETFLOW_METRICS_PORT=str(port), TICKETFLOW_LOG_FORMAT="json")
    answers: list[tuple[int, str]] = []

    def ready() -> bool:
        answers.append(get(port, "/readyz"))
        return answers[-1][0] == 200

    wait_until(ready, 180, lambda: f"/readyz to answer 200; last: {answers[-1:]}",
               lambda: fail_if_exited(worker, worker.wait(0.5)))
    # before that it said 503 with the checks, or nothing listened yet
    assert all(status in (0, 503) for status, _ in answers[:-1]), answers
    not_ready = [json.loads(body) for status, body in answers if status == 503]
    for body in not_ready:
        assert body["ready"] is False and any(not c["ok"] for c in body["checks"].values())
    verdict = json.loads(answers[-1][1])
    assert verdict["ready"] is True
    assert set(verdict["checks"]) == {"broker", "partitions_assigned", "tables_recovered",
                                      "ruleset_loaded", "database"}
    assert all(check["ok"] for check in verdict["checks"].values()), verdict
    assert verdict["checks"]["database"]["degraded"] is False
    assert "partitions assigned" in verdict["checks"]["partitions_assigned"]["detail"]

    status, body = get(port, "/livez")
    assert status == 200 and json.loads(body)["live"] is True
    for path in ("/", "/health", "/healthz", "/ready", "/live"):
        assert get(port, path)[0] == 404, path
    status, metrics = get(port, "/metrics")
    assert status == 200
    assert "ticketflow_ready 1.0" in metrics
    assert 'ticketflow_readiness_check{check="tables_recovered"} 1.0' in metrics
    assert "# TYPE ticketflow_inbound_records_total counter" in metrics

    # the ready line is logged by the evaluation thread within a couple of seconds
    def said_ready() -> bool:
        return any(line["message"].startswith(READY_LINE) for line in json_lines(worker))

    wait_until(said_ready, 30, "the worker's ready line",
               lambda: fail_if_exited(worker, worker.wait(0.5)))
    assert worker.stop() == 0
    lines = json_lines(worker)
    ready_lines = [line for line in lines if line["message"].startswith(READY_LINE)]
    assert len(ready_lines) == 1, ready_lines
    [line] = ready_lines
    assert line["level"] == "INFO" and line["logger"] == "streams.health"
    assert f"metrics http://127.0.0.1:{port}/metrics" in line["message"]
    for entry in lines:
        assert {"time", "level", "logger", "message"} <= set(entry), entry
    messages = [entry["message"] for entry in lines]
    assert any(m.startswith("routing ruleset demo-shop version") for m in messages)
    assert any(m.startswith("partitions assigned: ") for m in messages)
    # normal events are INFO, not WARNING
    normal = [e for e in lines if e["message"].startswith(("routing ruleset", "partitions",
                                                           "SLA index rebuilt"))]
    assert normal and {e["level"] for e in normal} == {"INFO"}
