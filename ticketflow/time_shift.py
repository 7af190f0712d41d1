"""Moving recorded traffic into the present (``ticketflow ingest --shift-to-now``).

A recorded corpus (ours is dated November 2026) replayed as it is starts every SLA clock weeks
late: every first response breaches at once. Shifting every timestamp a payload carries by the
same amount keeps the messages' spacing — the e-mail two hours after the chat is still two hours
after it — and puts the newest message at "now".

Per channel, the fields shifted are the ones its normalizer reads a time from, and the other
times beside them so a payload stays consistent: e-mail ``Date`` and ``Received`` hop dates;
in JSON payloads (chat, phone, social, WhatsApp, web form) every ISO 8601 text or epoch number
under a key that names a time (``*_at``, ``time``, ``timestamp``, ``*_timestamp``, ``date``).
SMS (Twilio) bodies carry no time: the broker's timestamp is the message's time already.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any

from channels import RawRecord, normalize
from channels.orders import DEMO_SHOP, OrderNumberFormat
from schemas import DeadLetter, Source

_TIME_KEY = re.compile(r"(?:^|_)(?:at|time|timestamp|date)$|^(?:time|timestamp|date)",
                       re.IGNORECASE)
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_EPOCH_MS = 100_000_000_000  # above: milliseconds (year 5138 in seconds)
# "Date: …" and "Received: …; <date>" in the header block, folded lines included
_FOLDED = rb"(?:[^\r\n]|\r?\n[ \t])"  # a header's text, folded lines included
_DATE_HEADER = re.compile(rb"^(Date:[ \t]*)(" + _FOLDED + rb"+)", re.MULTILINE | re.IGNORECASE)
# the date after a Received header's last ";"
_RECEIVED_DATE = re.compile(
    rb"^(Received:" + _FOLDED + rb"*;(?:[ \t]|\r?\n[ \t])*)((?:[^\r\n;]|\r?\n[ \t])+)",
    re.MULTILINE | re.IGNORECASE)


# the broker time a probe normalization gets: a payload whose time comes out as this has none
_NO_TIME = datetime(1971, 1, 1, tzinfo=UTC)


def received_at(channel: str, raw: bytes,
                formats: tuple[OrderNumberFormat, ...] = DEMO_SHOP) -> datetime | None:
    """The payload's own time as the worker will read it; None when it has none (SMS, an
    e-mail without Date or Received) or the worker would refuse it."""
    record = RawRecord(channel=channel, value=raw, timestamp=_NO_TIME,
                       source=Source(topic=f"inbound.{channel}", partition=0, offset=0))
    result = normalize(record, _NO_TIME, order_formats=formats)
    if isinstance(result, DeadLetter) or not result:
        return None
    newest = max(ticket.received_at for ticket in result)
    return None if newest == _NO_TIME else newest


def delta_to_now(items: Iterable[tuple[str, bytes]], now: datetime) -> timedelta:
    """How far to move these payloads so the newest message is at ``now`` (zero when none
    has a time of its own, or when the newest is already in the future), in whole seconds: the
    amount ``--shift-by`` repeats for other channels, and what epoch-second payloads can
    carry, so every channel moves by exactly the same."""
    times = [t for channel, raw in items if (t := received_at(channel, raw)) is not None]
    if not times:
        return timedelta(0)
    return timedelta(seconds=max(int((now - max(times)).total_seconds()), 0))


def shift_payload(channel: str, raw: bytes, delta: timedelta) -> bytes:
    """The payload with its times moved by ``delta``; unchanged when there is nothing to move
    or it cannot be read (the worker will dead-letter it as it would have anyway)."""
    if not delta:
        return raw
    if channel == "email":
        return _shift_email(raw, delta)
    if channel == "sms":
        return raw
    try:
        data = json.loads(raw)
    except ValueError:
        return raw
    return json.dumps(_shift_json(data, delta), ensure_ascii=False).encode()


def _shift_email(raw: bytes, delta: timedelta) -> bytes:
    end = re.search(rb"\r?\n\r?\n", raw)
    head, body = (raw[:end.start()], raw[end.start():]) if end else (raw, b"")

    def moved(match: re.Match[bytes]) -> bytes:
        text = match.group(2).decode("latin-1")
        try:
            when = parsedate_to_datetime(" ".join(text.split()))
        except (TypeError, ValueError, IndexError):
            return match.group(0)
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return match.group(1) + format_datetime(when + delta).encode("latin-1")

    head = _DATE_HEADER.sub(moved, head)
    head = _RECEIVED_DATE.sub(moved, head)
    return head + body


def _shift_json(value: Any, delta: timedelta, key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _shift_json(v, delta, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_shift_json(v, delta, key) for v in value]
    if not key or not _TIME_KEY.search(key):
        return value
    if isinstance(value, str) and _ISO.match(value):
        try:
            when = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
        shifted = (when + delta).isoformat()
        return shifted.replace("+00:00", "Z") if value.endswith("Z") else shifted
    number: float | None = None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        number = value
    elif isinstance(value, str) and value.isdigit():
        number = int(value)
    if number is None or number <= 0:
        return value
    seconds = delta.total_seconds() * (1000 if number >= _EPOCH_MS else 1)
    result = type(number)(number + seconds) if isinstance(number, float) else \
        int(number + round(seconds))
    return str(result) if isinstance(value, str) else result
