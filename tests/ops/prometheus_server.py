"""A real Prometheus server for a test: started on a free loopback port with a config and rule
file written into its own directory, asked through its HTTP API, and stopped with its data
directory removed."""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import yaml

from ticketflow.broker import die_with_parent, free_port


class PrometheusServer:
    def __init__(self, binary: str, directory: Path, config: dict[str, Any],
                 rules: dict[str, Any]) -> None:
        self.binary = binary
        self.directory = directory
        self.port = free_port()
        self.log_path = directory / "prometheus.log"
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "alerts.yml").write_text(yaml.safe_dump(rules, sort_keys=False))
        (directory / "prometheus.yml").write_text(
            yaml.safe_dump({**config, "rule_files": ["alerts.yml"]}, sort_keys=False))
        self._proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        with open(self.log_path, "ab") as log:
            self._proc = subprocess.Popen(
                [self.binary, f"--config.file={self.directory / 'prometheus.yml'}",
                 f"--storage.tsdb.path={self.directory / 'data'}",
                 f"--web.listen-address=127.0.0.1:{self.port}"],
                stdin=subprocess.DEVNULL, stdout=log, stderr=log, preexec_fn=die_with_parent)

    def poll(self) -> int | None:
        return self._proc.poll() if self._proc else None

    def log_tail(self) -> str:
        return self.log_path.read_text(errors="replace")[-3000:] if self.log_path.exists() else ""

    def ready(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/-/ready", timeout=2) as r:
                return bool(r.status == 200)
        except OSError:
            return False

    def api(self, path: str, **params: str) -> Any:
        """``data`` of a /api/v1 answer (fails on an error answer)."""
        query = f"?{urllib.parse.urlencode(params)}" if params else ""
        with urllib.request.urlopen(f"{self.url}/api/v1/{path}{query}", timeout=10) as r:
            answer = json.load(r)
        if answer.get("status") != "success":
            raise AssertionError(f"/api/v1/{path}: {answer}")
        return answer["data"]

    def query(self, expr: str) -> list[dict[str, Any]]:
        """An instant query's vector."""
        data = self.api("query", query=expr)
        assert data["resultType"] == "vector", data
        result: list[dict[str, Any]] = data["result"]
        return result

    def value(self, expr: str) -> float | None:
        """The single value of ``expr`` (None: no result)."""
        result = self.query(expr)
        return float(result[0]["value"][1]) if result else None

    def alerts(self, name: str, state: str | None = None) -> list[dict[str, Any]]:
        """Active alerts named ``name`` (pending or firing; only ``state`` if given)."""
        found: list[dict[str, Any]] = [
            a for a in self.api("alerts")["alerts"]
            if a["labels"].get("alertname") == name and state in (None, a["state"])]
        return found

    def stop(self) -> None:
        """Stop the server and delete its directory (config, rules, data)."""
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        shutil.rmtree(self.directory, ignore_errors=True)
