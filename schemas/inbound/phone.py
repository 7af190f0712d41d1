"""Call record from the telephony system (call or voicemail, with its transcript)."""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, Field

from schemas.inbound.base import Payload


class CallRecord(Payload):
    call_id: str = Field(min_length=1)
    kind: Literal["call", "voicemail"]
    direction: Literal["inbound", "outbound"] = "inbound"
    from_number: str = Field(alias="from", min_length=1)
    to_number: str = Field(alias="to")
    caller_name: str | None = None
    started_at: AwareDatetime
    duration_seconds: int = Field(ge=0)
    ivr_selection: str | None = None
    transcript: str | None = None
    recording_url: str | None = None
