"""Shared fixtures: a fixed clock and the repository root."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXED_NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)

# the real-broker fixtures, for tests/integration and tests/faults (lazy: nothing starts unless
# a test asks for them)
pytest_plugins = ["tests.live"]


@pytest.fixture
def fixed_clock():
    return lambda: FIXED_NOW


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled intent model, trained once per test session (about 10 s on 2 cores)."""
    from classifiers.artifact import bundled_model_dir, ensure_model

    models = tmp_path_factory.mktemp("models")
    ensure_model(models)
    return bundled_model_dir(models)


@pytest.fixture(scope="session")
def intent_model(model_dir: Path):
    from classifiers.artifact import load

    return load(model_dir)


class ManualClock:
    """An injected clock the test moves by hand (``clock.now = …``)."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now
