"""Raw input that could not become a ticket (topic ``tickets.deadletter``)."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import AwareDatetime, Field

from schemas.common import Record, Source

DEADLETTER_SCHEMA_VERSION = 1


class ErrorCode(StrEnum):
    """Why a raw message was dead-lettered. Stable: dashboards and alerts key on these."""

    PAYLOAD_TOO_LARGE = "payload_too_large"
    INVALID_UTF8 = "invalid_utf8"
    INVALID_JSON = "invalid_json"
    INVALID_FORM = "invalid_form"
    SCHEMA_VALIDATION = "schema_validation"
    MISSING_FIELD = "missing_field"
    EMPTY_BODY = "empty_body"
    UNKNOWN_CHANNEL = "unknown_channel"
    MIME_PARSE_ERROR = "mime_parse_error"
    NO_TEXT_PART = "no_text_part"
    NO_MESSAGES = "no_messages"
    INTERNAL_ERROR = "internal_error"


class DeadLetter(Record):
    """The original bytes plus what went wrong, in a sentence a person can act on."""

    schema_version: Literal[1] = 1
    deadletter_id: str = Field(pattern=r"^dl_[0-9a-f]{24}$")
    error_code: ErrorCode
    reason: str = Field(min_length=1)
    details: tuple[str, ...] = ()
    channel: str | None = None
    source: Source
    payload_base64: str
    payload_size: int = Field(ge=0)
    failed_at: AwareDatetime
