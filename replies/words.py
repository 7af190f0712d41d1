"""Times and dates in the customer's language, for the templates: weekday and month names, the
local time format, durations ('15 Minuten'). Babel holds CLDR's data for every locale, so a
template writes "by {{ promise.weekday }}" and gets 'Monday', 'lundi', 'Montag' or 'lunes'.

The templates get words and flags, never datetimes: the wording ("today", "tomorrow", "on
Monday") stays in the template files the shop owns.

Every ticket asks for the same few days, times and durations, and Babel parses its locale and
pattern on each call (about half of a suggestion's cost, measured): the formatted strings are
cached per (value, locale).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_skeleton, format_time
from babel.units import format_unit

from schemas.replies import Promise

THIS_WEEK_DAYS = 6
"""A deadline at most this many local days ahead is named by its weekday alone."""


def _clean(text: str) -> str:
    # CLDR puts narrow no-break spaces in some formats ('9:30\u202fAM'): not in the SMS
    # alphabet, and they would turn an SMS into UCS-2 for nothing
    return text.replace("\u202f", " ").replace("\u00a0", " ")


@lru_cache(maxsize=64)
def _locale(name: str) -> Locale:
    return Locale.parse(name)


@lru_cache(maxsize=4096)
def _day(when: date, locale: str) -> str:
    return _clean(format_skeleton("MMMMd", when, locale=_locale(locale)))


@lru_cache(maxsize=4096)
def _weekday(when: date, locale: str) -> str:
    return _clean(format_date(when, "EEEE", locale=_locale(locale)))


@lru_cache(maxsize=4096)
def _time(when: time, locale: str) -> str:
    return _clean(format_time(when, "short", locale=_locale(locale)))


def day(when: datetime | None, locale: str, tz: ZoneInfo) -> str | None:
    """'24 November', '24 novembre', '24. November', '24 de noviembre' (the local date)."""
    if when is None:
        return None
    return _day(when.astimezone(tz).date(), locale)


@lru_cache(maxsize=1024)
def duration(length: timedelta, locale: str) -> str:
    """'90 minutes', '1 Stunde', '20 segundos': in the largest unit that divides it, so a
    promise is never rounded (Babel's format_timedelta would make 90 minutes '2 hours')."""
    seconds = round(length.total_seconds())
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds % size == 0:
            return _clean(format_unit(seconds // size, f"duration-{unit}", length="long",
                                      locale=_locale(locale)))
    return _clean(format_unit(seconds, "duration-second", length="long",
                              locale=_locale(locale)))


def promise_view(p: Promise, started: datetime, locale: str,
                 shop_tz: ZoneInfo) -> dict[str, object]:
    """The template variable ``promise``: see ``replies.templates.VARIABLES``."""
    if p.reply_by is None:
        return {"known": False, "business_hours": False, "open_now": p.open_now,
                "capped": p.capped, "today": False, "tomorrow": False, "this_week": False,
                "weekday": None, "date": None, "time": None, "within": None}
    # a business-hours promise is told in the calendar's time zone (the team's clock); a
    # plain duration in the shop's
    tz = ZoneInfo(p.timezone) if p.timezone else shop_tz
    local, begin = p.reply_by.astimezone(tz), started.astimezone(tz)
    days_ahead = (local.date() - begin.date()).days
    within = timedelta(seconds=p.within_s or 0)
    return {
        "known": True,
        "business_hours": p.timezone is not None,
        "open_now": p.open_now,
        "capped": p.capped,
        "today": days_ahead == 0,
        "tomorrow": days_ahead == 1,
        "this_week": days_ahead <= THIS_WEEK_DAYS,
        "weekday": _weekday(local.date(), locale),
        "date": _day(local.date(), locale),
        "time": _time(local.time(), locale),
        "within": duration(within, locale) if within > timedelta(0) else None,
    }
