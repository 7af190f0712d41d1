"""Shared fixtures: a fixed clock and the repository root."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXED_NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


@pytest.fixture
def fixed_clock():
    return lambda: FIXED_NOW
