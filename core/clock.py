"""The clock is injected everywhere time matters, so tests control it instead of sleeping."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


def time_zone(name: str) -> ZoneInfo:
    """The IANA zone ``name`` (e.g. Europe/Paris), or a ValueError a config validator reports
    as is (OSError: ZoneInfo opens a file by that name: too long a name, or a directory)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise ValueError(f"unknown timezone {name!r} (e.g. Europe/Paris)") from exc
