from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from routing_rules.model import Calendar
from sla.business_time import (
    add_business_time,
    add_business_times,
    business_time_between,
    is_open,
)
from tests.sla.conftest import NEW_YORK, NY_OFFICE, PARIS, PARIS_NIGHTS, SUPPORT, ny, paris

H = timedelta(hours=1)


def test_within_one_shift() -> None:
    assert add_business_time(paris(2026, 11, 16, 9, 0), 2 * H, SUPPORT) == paris(2026, 11, 16, 11)


def test_split_shift_skips_lunch() -> None:
    assert add_business_time(paris(2026, 11, 16, 12), H, SUPPORT) == paris(2026, 11, 16, 14)
    assert business_time_between(paris(2026, 11, 16, 12), paris(2026, 11, 16, 14), SUPPORT) == H


def test_start_outside_hours_waits_for_opening() -> None:
    # Monday 07:00 → clock starts at 09:00
    assert add_business_time(paris(2026, 11, 16, 7), timedelta(minutes=30), SUPPORT) \
        == paris(2026, 11, 16, 9, 30)
    # lunch break
    assert add_business_time(paris(2026, 11, 16, 12, 45), timedelta(minutes=30), SUPPORT) \
        == paris(2026, 11, 16, 14)
    # Sunday evening → Monday
    assert add_business_time(paris(2026, 11, 15, 20), H, SUPPORT) == paris(2026, 11, 16, 10)


def test_weekend() -> None:
    # Friday 17:00: 1 h on Friday, 3 h on Saturday (10:00-14:00 only), Sunday closed
    assert add_business_time(paris(2026, 11, 13, 17), 4 * H, SUPPORT) == paris(2026, 11, 14, 13)
    # Saturday 13:00 + 4 h: 1 h Saturday, 3 h Monday morning
    assert add_business_time(paris(2026, 11, 14, 13), 4 * H, SUPPORT) == paris(2026, 11, 16, 12)
    assert business_time_between(paris(2026, 11, 13, 0), paris(2026, 11, 16, 0), SUPPORT) \
        == 8 * H + 4 * H


def test_holiday() -> None:
    # Wednesday 11 Nov 2026 is a holiday: Tuesday 17:00 + 2 h → Thursday 10:00
    assert add_business_time(paris(2026, 11, 10, 17), 2 * H, SUPPORT) == paris(2026, 11, 12, 10)
    # Thursday 24 Dec 17:00 + 2 h: Friday 25 Dec is closed → Saturday 11:00
    assert add_business_time(paris(2026, 12, 24, 17), 2 * H, SUPPORT) == paris(2026, 12, 26, 11)
    assert business_time_between(paris(2026, 11, 11, 0), paris(2026, 11, 12, 0), SUPPORT) \
        == timedelta(0)


def test_dst_autumn_paris_business_hours_keep_local_times() -> None:
    # 2026-10-25: Paris goes from UTC+2 to UTC+1 during the closed Sunday
    start = paris(2026, 10, 24, 12)  # Saturday
    end = add_business_time(start, 6 * H, SUPPORT)
    assert end == paris(2026, 10, 26, 14)
    assert end == datetime(2026, 10, 26, 13, tzinfo=UTC)
    assert end - start.astimezone(UTC) == timedelta(hours=51)  # 50 h + repeated hour
    assert business_time_between(start, end, SUPPORT) == 6 * H


def test_dst_spring_paris_business_hours_keep_local_times() -> None:
    # 2027-03-28: Paris goes from UTC+1 to UTC+2
    start = paris(2027, 3, 27, 12)
    end = add_business_time(start, 6 * H, SUPPORT)
    assert end == paris(2027, 3, 29, 14)
    assert end == datetime(2027, 3, 29, 12, tzinfo=UTC)
    assert business_time_between(start, end, SUPPORT) == 6 * H


def test_dst_days_last_25_and_23_hours() -> None:
    assert business_time_between(
        paris(2026, 10, 25, 0), paris(2026, 10, 26, 0), PARIS_NIGHTS) == 25 * H
    assert business_time_between(
        paris(2027, 3, 28, 0), paris(2027, 3, 29, 0), PARIS_NIGHTS) == 23 * H
    # Saturday 23:00 + 4 h of business time is the *second* 02:00 (CET) on the autumn night…
    assert add_business_time(paris(2026, 10, 24, 23), 4 * H, PARIS_NIGHTS) \
        == datetime(2026, 10, 25, 1, tzinfo=UTC)
    # …and 04:00 CEST on the spring night (no 02:00 at all)
    assert add_business_time(paris(2027, 3, 27, 23), 4 * H, PARIS_NIGHTS) \
        == datetime(2027, 3, 28, 2, tzinfo=UTC)


def test_opening_inside_dst_gap_opens_after_the_gap() -> None:
    gap = Calendar(timezone="Europe/Paris", weekly={"sun": ("02:30-04:00",)})
    # 2027-03-28: 02:30 does not exist; open from 03:00 CEST (01:00 UTC) to 04:00 CEST
    assert business_time_between(paris(2027, 3, 28, 0), paris(2027, 3, 28, 12), gap) == H
    assert add_business_time(paris(2027, 3, 28, 0), timedelta(minutes=1), gap) \
        == datetime(2027, 3, 28, 1, 1, tzinfo=UTC)
    # 2026-10-25: 02:30 is the first (CEST) one, so open 02:30 CEST to 04:00 CET = 2 h 30
    assert business_time_between(paris(2026, 10, 25, 0), paris(2026, 10, 25, 12), gap) \
        == timedelta(hours=2, minutes=30)


def test_dst_new_york_both_directions() -> None:
    # 2026-11-01: New York goes from UTC-4 to UTC-5
    end = add_business_time(ny(2026, 10, 30, 16), 2 * H, NY_OFFICE)
    assert end == ny(2026, 11, 2, 10) == datetime(2026, 11, 2, 15, tzinfo=UTC)
    # 2027-03-14: UTC-5 to UTC-4
    end = add_business_time(ny(2027, 3, 12, 16), 2 * H, NY_OFFICE)
    assert end == ny(2027, 3, 15, 10) == datetime(2027, 3, 15, 14, tzinfo=UTC)
    assert business_time_between(ny(2027, 3, 12, 16), end, NY_OFFICE) == 2 * H


def test_cap_bounds_the_deadline_in_calendar_time() -> None:
    start = paris(2026, 11, 14, 13)  # Saturday: 4 business hours end Monday 12:00
    assert add_business_time(start, 4 * H, SUPPORT, cap=24 * H) == paris(2026, 11, 15, 13)
    # a cap that does not bind changes nothing
    weekday = paris(2026, 11, 16, 10)
    assert add_business_time(weekday, 4 * H, SUPPORT, cap=24 * H) \
        == add_business_time(weekday, 4 * H, SUPPORT) == paris(2026, 11, 16, 15)


def test_wall_clock_when_no_calendar_and_utc_results() -> None:
    start = paris(2026, 10, 24, 23)
    end = add_business_time(start, 4 * H, None)
    assert end.tzinfo is UTC
    assert end == start.astimezone(UTC) + 4 * H
    assert end != start + 4 * H  # zoneinfo arithmetic is wall-clock: 3 h apart that night
    assert business_time_between(start, end, None) == 4 * H
    assert business_time_between(end, start, SUPPORT) == timedelta(0)


def test_zero_duration_and_errors() -> None:
    start = paris(2026, 11, 15, 20)
    assert add_business_time(start, timedelta(0), SUPPORT) == start
    with pytest.raises(ValueError, match="timezone-aware"):
        add_business_time(datetime(2026, 11, 16, 9), H, SUPPORT)
    with pytest.raises(ValueError, match="negative"):
        add_business_time(start, -H, SUPPORT)
    with pytest.raises(ValueError, match="no opening hours"):
        add_business_time(start, H, Calendar(timezone="UTC", weekly={}))


def test_is_open() -> None:
    assert is_open(paris(2026, 11, 16, 9), SUPPORT)
    assert not is_open(paris(2026, 11, 16, 12, 30), SUPPORT)
    assert not is_open(paris(2026, 11, 11, 10), SUPPORT)
    assert is_open(paris(2026, 11, 11, 10), None)


@settings(max_examples=300, deadline=None)
@given(
    a=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2028, 12, 31),
                   timezones=st.sampled_from([UTC, PARIS, NEW_YORK])),
    d=st.timedeltas(min_value=timedelta(0), max_value=timedelta(weeks=3)),
    calendar=st.sampled_from([SUPPORT, NY_OFFICE, PARIS_NIGHTS, None]),
)
def test_between_inverts_add(a: datetime, d: timedelta, calendar: Calendar | None) -> None:
    end = add_business_time(a, d, calendar)
    assert end >= a
    assert business_time_between(a, end, calendar) == d


@settings(max_examples=300, deadline=None)
@given(
    a=st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2028, 12, 31),
                   timezones=st.sampled_from([UTC, PARIS, NEW_YORK])),
    ds=st.lists(st.timedeltas(min_value=timedelta(0), max_value=timedelta(weeks=3)),
                max_size=5),
    calendar=st.sampled_from([SUPPORT, NY_OFFICE, PARIS_NIGHTS, None]),
)
def test_many_durations_in_one_walk_as_one_at_a_time(a: datetime, ds: list[timedelta],
                                                     calendar: Calendar | None) -> None:
    assert add_business_times(a, ds, calendar) == [add_business_time(a, d, calendar)
                                                   for d in ds]


def test_many_durations_refuse_a_negative_one() -> None:
    with pytest.raises(ValueError, match="negative"):
        add_business_times(paris(2026, 11, 10, 9), [H, -H], SUPPORT)
