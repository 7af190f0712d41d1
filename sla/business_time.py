"""Business time: adding and measuring time that only runs while a calendar is open.

Pure functions over a :class:`routing_rules.model.Calendar` (the ``calendars:`` shape of the
routing rules: ``timezone`` / ``weekly`` mon..sun → ``["HH:MM-HH:MM", ...]`` / ``holidays``).

Semantics:

* Opening intervals are wall-clock times in the calendar's time zone; a holiday closes the whole
  local date. Overlapping intervals of one day are merged.
* Business time is *elapsed* time while open: an interval ``00:00-24:00`` lasts 23 h on the
  spring-forward day and 25 h on the fall-back day. A local time inside a DST gap opens/closes at
  the first valid local time after the gap; an ambiguous local time (fall back) is its first
  occurrence.
* All datetimes must be timezone-aware; results are in UTC. Arithmetic is done in UTC (adding a
  ``timedelta`` to a zoneinfo datetime would be wall-clock arithmetic).
* ``calendar=None`` means "always open": business time is plain elapsed time.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from routing_rules.model import WEEKDAYS, Calendar, parse_interval

ZERO = timedelta(0)
_SEARCH_LIMIT_DAYS = 3 * 366  # no calendar keeps a ticket waiting longer than this
_MINUTE = timedelta(minutes=1)


@dataclass(frozen=True)
class _Compiled:
    tz: ZoneInfo
    days: tuple[tuple[tuple[int, int], ...], ...]  # weekday 0..6 → merged (start, end) minutes
    holidays: frozenset[date]


def _merge(intervals: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged)


_COMPILED: dict[int, tuple[Calendar, _Compiled]] = {}
_COMPILED_MAX = 256


def _compile(calendar: Calendar) -> _Compiled:
    """The calendar's opening hours in minutes, parsed once per calendar object: every clock of
    every ticket asks, and parsing "HH:MM-HH:MM" strings each time was half of the SLA stage's
    CPU. Keyed by identity (the model holds a dict, so it is not hashable); the entry keeps the
    calendar alive, so its id is not reused while cached."""
    hit = _COMPILED.get(id(calendar))
    if hit is not None and hit[0] is calendar:
        return hit[1]
    compiled = _compile_now(calendar)
    if len(_COMPILED) >= _COMPILED_MAX:
        _COMPILED.clear()
    _COMPILED[id(calendar)] = (calendar, compiled)
    return compiled


def _compile_now(calendar: Calendar) -> _Compiled:
    days: list[list[tuple[int, int]]] = [[] for _ in range(7)]
    for name, intervals in calendar.weekly.items():
        days[WEEKDAYS.index(name)].extend(parse_interval(i) for i in intervals)
    if not any(days):
        raise ValueError("calendar has no opening hours: business time would never pass")
    return _Compiled(
        tz=ZoneInfo(calendar.timezone),
        days=tuple(_merge(d) for d in days),
        holidays=frozenset(calendar.holidays),
    )


def _utc(when: datetime, name: str) -> datetime:
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {when.isoformat()}")
    return when.astimezone(UTC)


@lru_cache(maxsize=8192)
def _local_to_utc(day: date, minute: int, tz: ZoneInfo) -> datetime:
    """Local wall time ``day`` + ``minute`` → UTC; gaps move forward, ambiguities take fold 0.
    Cached: the same few days' openings are placed for every clock (a pure function of its
    arguments)."""
    local = datetime.combine(day, time()) + timedelta(minutes=minute)
    for _ in range(48 * 60):  # DST gaps are whole minutes and at most a day long
        aware = local.replace(tzinfo=tz)
        utc = aware.astimezone(UTC)
        if utc.astimezone(tz).replace(tzinfo=None) == local:
            return utc
        local += _MINUTE
    raise ValueError(f"cannot place local time {local} in {tz}")  # pragma: no cover


def _open_intervals(
    cal: _Compiled, since: datetime, until: datetime | None = None
) -> Iterator[tuple[datetime, datetime]]:
    """Opening intervals in UTC, in order, ending after ``since`` (and, given ``until``, the
    last one starts at or before it)."""
    day = since.astimezone(cal.tz).date() - timedelta(days=1)
    if until is not None:
        last = until.astimezone(cal.tz).date() + timedelta(days=1)
    else:
        last = day + timedelta(days=_SEARCH_LIMIT_DAYS)
    while day <= last:
        if day not in cal.holidays:
            for start_min, end_min in cal.days[day.weekday()]:
                start = _local_to_utc(day, start_min, cal.tz)
                end = _local_to_utc(day, end_min, cal.tz)
                if end > start and end > since:
                    yield start, end
        day += timedelta(days=1)
    if until is None:
        raise ValueError(f"calendar is closed for more than {_SEARCH_LIMIT_DAYS} days")


def add_business_time(
    start: datetime,
    duration: timedelta,
    calendar: Calendar | None,
    cap: timedelta | None = None,
) -> datetime:
    """The first moment (UTC) at which ``duration`` of business time has passed since ``start``.

    Starting outside opening hours, the clock starts at the next opening. ``cap`` bounds the
    result in calendar time: ``min(business deadline, start + cap)``.
    """
    begin = _utc(start, "start")
    if duration < ZERO:
        raise ValueError(f"duration must not be negative, got {duration}")
    if cap is not None and cap < ZERO:
        raise ValueError(f"cap must not be negative, got {cap}")
    if cap is None:
        return add_business_times(begin, [duration], calendar)[0]
    limit = begin + cap
    return min(add_business_times(begin, [duration], calendar, until=limit)[0], limit)


def add_business_times(start: datetime, durations: Sequence[timedelta],
                       calendar: Calendar | None, until: datetime | None = None
                       ) -> list[datetime]:
    """``add_business_time(start, d, calendar)`` for each ``d``, in one walk over the opening
    intervals: a clock's deadline and its warnings share their start (three or more walks per
    clock were a tenth of the SLA stage's time). Given ``until``, the walk stops at the first
    opening at or after it, and what it has not reached by then is ``until``."""
    begin = _utc(start, "start")
    if any(d < ZERO for d in durations):
        raise ValueError(f"durations must not be negative, got {min(durations)}")
    if calendar is None:
        return [begin + d for d in durations]
    out: list[datetime] = [begin] * len(durations)  # what a zero duration gives
    todo = sorted((i for i, d in enumerate(durations) if d != ZERO), key=durations.__getitem__)
    if not todo:
        return out
    consumed = ZERO  # business time in the intervals before this one
    for open_, close in _open_intervals(_compile(calendar), begin):
        if until is not None and open_ >= until:
            for i in todo:
                out[i] = until
            return out
        from_ = max(open_, begin)
        available = close - from_
        while todo and durations[todo[0]] - consumed <= available:
            i = todo.pop(0)
            out[i] = from_ + (durations[i] - consumed)
        if not todo:
            return out
        consumed += available
    raise AssertionError("unreachable")  # pragma: no cover


def business_time_between(a: datetime, b: datetime, calendar: Calendar | None) -> timedelta:
    """Business time elapsed from ``a`` to ``b`` (zero when ``b <= a``)."""
    start, end = _utc(a, "a"), _utc(b, "b")
    if end <= start:
        return ZERO
    if calendar is None:
        return end - start
    total = ZERO
    for open_, close in _open_intervals(_compile(calendar), start, end):
        if open_ >= end:
            break
        total += min(close, end) - max(open_, start)
    return total


def is_open(when: datetime, calendar: Calendar | None) -> bool:
    """Whether business time is running at ``when``."""
    if calendar is None:
        return True
    moment = _utc(when, "when")
    open_, close = next(_open_intervals(_compile(calendar), moment))
    return open_ <= moment < close
