from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from routing_rules.model import Calendar
from sla.policies import PolicySet, load_policies

PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")
SPLIT = ("09:00-12:30", "13:30-18:00")

SUPPORT = Calendar(
    timezone="Europe/Paris",
    weekly={"mon": SPLIT, "tue": SPLIT, "wed": SPLIT, "thu": SPLIT, "fri": SPLIT,
            "sat": ("10:00-14:00",)},
    holidays=(date(2026, 11, 11), date(2026, 12, 25)),
)
NY_OFFICE = Calendar(
    timezone="America/New_York",
    weekly={d: ("09:00-17:00",) for d in ("mon", "tue", "wed", "thu", "fri")},
)
# Open through the night of the DST changes (02:00-03:00 local is the gap / the repeated hour).
PARIS_NIGHTS = Calendar(
    timezone="Europe/Paris",
    weekly={"sat": ("22:00-24:00",), "sun": ("00:00-24:00",), "mon": ("01:00-04:00",)},
)


def paris(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


def ny(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=NEW_YORK)


@pytest.fixture(scope="session")
def policies() -> PolicySet:
    return load_policies()
