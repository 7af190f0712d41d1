"""`ticketflow demo` as `make demo` runs it (its own embedded broker, its own worker): it prints
the worker's metrics URL while it runs, that URL serves the metrics and turns ready, and the
final JSON line carries it as "metrics_url", and its "kpi" block: first response and
resolution of the tickets the pretend help desk solved, FCR decided within the demo, CSAT, the
volume by intent and the corpus burst reported as a spike."""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from ticketflow.broker import die_with_parent

from ..live import wait_until

URL = re.compile(r"worker metrics: (http://127\.0\.0\.1:\d+/metrics)")


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return int(r.status)
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return 0


@pytest.mark.integration
@pytest.mark.timeout(400)
def test_the_demo_prints_its_metrics_url_and_ends_with_it(tmp_path: Path,
                                                          model_dir: Path) -> None:
    env = {**os.environ, "TICKETFLOW_DATA_DIR": str(tmp_path / "data"),
           "TICKETFLOW_MODEL_DIR": str(model_dir)}
    for name in ("TICKETFLOW_KAFKA_BOOTSTRAP", "TICKETFLOW_METRICS_PORT",
                 "TICKETFLOW_DATABASE_URL"):
        env.pop(name, None)
    out, err = tmp_path / "demo.out", tmp_path / "demo.err"
    with open(out, "wb") as stdout, open(err, "wb") as stderr:
        demo = subprocess.Popen([sys.executable, "-m", "ticketflow", "demo", "--for", "45"],
                                stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr,
                                env=env, preexec_fn=die_with_parent)
    try:
        found: list[str] = []

        def printed() -> bool:
            found[:] = URL.findall(err.read_text(errors="replace"))
            return bool(found)

        def running() -> None:
            assert demo.poll() is None, err.read_text(errors="replace")[-3000:]
            with contextlib.suppress(subprocess.TimeoutExpired):  # a pause between looks
                demo.wait(0.5)

        wait_until(printed, 240, "the demo to print the worker's metrics URL", running)
        url = found[0]
        readyz = url.removesuffix("/metrics") + "/readyz"
        wait_until(lambda: status_of(readyz) == 200, 180, f"{readyz} to answer 200", running)
        with urllib.request.urlopen(url, timeout=10) as r:
            assert "ticketflow_ready 1.0" in r.read().decode()
        assert demo.wait(300) == 0, err.read_text(errors="replace")[-3000:]
    finally:
        if demo.poll() is None:
            demo.terminate()
            demo.wait(60)
    final = json.loads(out.read_text().strip().splitlines()[-1])
    assert final["metrics_url"] == url
    assert final["published"] > 0 and final["tickets"] > 0
    kpi = final["kpi"]
    assert kpi["spikes"] >= 1, kpi  # the corpus burst (corpus/README.md)
    assert kpi["first_response_s"]["p50"] is not None, kpi
    assert kpi["resolution_s"]["p90"] >= kpi["resolution_s"]["p50"] > 0, kpi
    assert kpi["fcr_rate"] is not None and 1 <= kpi["csat_avg"] <= 5, kpi
    assert kpi["volume_by_intent"].get("order_status", 0) >= 20, kpi
