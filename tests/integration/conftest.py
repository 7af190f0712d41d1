"""The broker-backed tests: marked ``integration`` (``make integration``). Their fixtures
(the embedded broker, topics, store, workers) are in ``tests/live.py``."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.live import PARTITIONS, wait_until

__all__ = ["PARTITIONS", "wait_until"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.integration)


