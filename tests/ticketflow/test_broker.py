from __future__ import annotations

import socket
from pathlib import Path

import pytest

from core.errors import BrokerError, BrokerNotFound
from ticketflow.broker import EmbeddedBroker, find_tansu


def test_bundled_tansu_is_found_and_executable() -> None:
    path = find_tansu()
    assert path.name == "tansu" and path.is_file()


def test_override_that_is_not_executable_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "tansu"
    fake.write_text("not a binary")
    with pytest.raises(BrokerNotFound, match="TICKETFLOW_TANSU_BIN"):
        find_tansu(fake)


def test_broker_starts_listens_and_stops() -> None:
    broker = EmbeddedBroker(find_tansu())
    host, port = broker.start().split(":")
    assert broker.running
    with socket.create_connection((host, int(port)), timeout=2):
        pass
    broker.stop()
    assert not broker.running
    with pytest.raises(OSError), socket.create_connection((host, int(port)), timeout=1):
        pass


def test_bootstrap_before_start_is_an_error() -> None:
    with pytest.raises(BrokerError, match="not been started"):
        _ = EmbeddedBroker(find_tansu()).bootstrap


def test_binary_that_exits_at_once_is_reported(tmp_path: Path) -> None:
    fake = tmp_path / "tansu"
    fake.write_text("#!/bin/sh\nexit 3\n")
    fake.chmod(0o755)
    with pytest.raises(BrokerError, match="exited with status 3"):
        EmbeddedBroker(fake).start(timeout_s=5)
