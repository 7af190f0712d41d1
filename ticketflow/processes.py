"""Running the worker as a child process (demo, tests): started, waited on, stopped cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from ticketflow.broker import die_with_parent


class WorkerProcess:
    """``python -m ticketflow worker --bootstrap …`` in a child that dies with its parent."""

    def __init__(self, bootstrap: str, log_path: Path, env: dict[str, str] | None = None) -> None:
        self.bootstrap = bootstrap
        self.log_path = log_path
        self.env = env
        self._proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "ticketflow", "worker", "--bootstrap", self.bootstrap],
                stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                env={**os.environ, **(self.env or {})},
                preexec_fn=die_with_parent,
            )

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc else None

    def poll(self) -> int | None:
        return self._proc.poll() if self._proc else None

    def wait(self, timeout_s: float) -> int | None:
        """The exit status once the process has exited, or None if it still runs after
        ``timeout_s`` (a watcher's pause that ends early when the worker dies)."""
        if self._proc is None:
            return None
        try:
            return self._proc.wait(timeout_s)
        except subprocess.TimeoutExpired:
            return None

    def kill(self) -> None:
        """SIGKILL: for tests that prove nothing is lost when a worker dies mid-batch."""
        if self._proc and self._proc.poll() is None:
            self._proc.send_signal(signal.SIGKILL)
            self._proc.wait()

    def stop(self, timeout_s: float = 20.0) -> int | None:
        proc, self._proc = self._proc, None
        if proc is None:
            return None
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout_s)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        return proc.returncode
