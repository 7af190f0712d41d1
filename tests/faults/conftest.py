"""Fault tests: workers, broker and database failing under traffic, every input counted by
distinct id. They start real processes on the embedded broker, so they are also marked
``integration`` (``make integration`` runs them; ``make unit`` does not). Fixtures:
``tests/live.py``."""

from __future__ import annotations

from pathlib import Path

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.integration)
            item.add_marker(pytest.mark.faults)
