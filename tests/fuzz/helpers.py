"""What the fuzz tests share: building raw records, the seed payloads they mutate, and the one
property every input must satisfy (tickets, or a dead letter with a specific code)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from functools import cache
from typing import Any

from channels.base import RawRecord
from channels.dispatch import DEFAULT_MAX_PAYLOAD_BYTES, NormalizeResult, normalize
from corpus import INBOUND_DIR
from routing_rules import CompiledRuleset, load_compiled
from schemas import DeadLetter, ErrorCode, Source

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
JSON_CHANNELS = ("chat", "phone", "social", "webform", "whatsapp")
CHANNELS = (*JSON_CHANNELS, "email", "sms")
_SEED_FILES = {
    "chat": "chat/transcript-001.json",
    "phone": "phone/call-001.json",
    "social": "social/instagram-001.json",
    "webform": "webform/submission-001.json",
    "whatsapp": "whatsapp/webhook-001.json",
    "email": "email/msg-001.eml",
    "sms": "sms/mms-001.txt",
}


def record(channel: str, value: bytes) -> RawRecord:
    return RawRecord(channel=channel, value=value,
                     source=Source(topic=f"inbound.{channel}", partition=0, offset=0),
                     timestamp=NOW)


def run(channel: str, value: bytes,
        max_payload_bytes: int = DEFAULT_MAX_PAYLOAD_BYTES) -> NormalizeResult:
    return normalize(record(channel, value), NOW, max_payload_bytes)


def handled(result: NormalizeResult) -> NormalizeResult:
    """The property: a ticket tuple, or a dead letter whose code says what is wrong with the
    input. ``internal_error`` means a normalizer crashed: never right for hostile input."""
    if isinstance(result, DeadLetter):
        assert result.error_code != ErrorCode.INTERNAL_ERROR, result.reason
        assert result.reason.strip()
    else:
        assert result, "an empty ticket tuple must be a no_messages dead letter"
        rules = _rules()
        for ticket in result:  # what the next stage does with it must not fail either
            rules.route(ticket)
    return result


@cache
def _rules() -> CompiledRuleset:
    return load_compiled()


def code(result: NormalizeResult) -> ErrorCode | None:
    """The dead letter's code, None for tickets."""
    return result.error_code if isinstance(result, DeadLetter) else None


@cache
def seed_bytes(channel: str) -> bytes:
    """A clean corpus payload of ``channel`` (it normalizes to tickets)."""
    return (INBOUND_DIR / _SEED_FILES[channel]).read_bytes()


def seed(channel: str) -> Any:
    """The JSON seed of a JSON channel, freshly parsed (callers mutate it)."""
    return json.loads(seed_bytes(channel))


def dumps(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode("utf-8")
