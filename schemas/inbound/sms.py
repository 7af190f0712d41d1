"""Twilio inbound-SMS webhook, form-encoded (``application/x-www-form-urlencoded``).

https://www.twilio.com/docs/messaging/guides/webhook-request — MMS media come as
``NumMedia`` plus ``MediaUrlN`` / ``MediaContentTypeN``.
"""

from __future__ import annotations

from pydantic import Field

from schemas.inbound.base import Payload


class TwilioSms(Payload):
    message_sid: str = Field(alias="MessageSid", min_length=1)
    account_sid: str | None = Field(default=None, alias="AccountSid")
    from_number: str = Field(alias="From", min_length=1)
    to_number: str = Field(alias="To")
    body: str = Field(alias="Body", default="")
    num_media: int = Field(alias="NumMedia", default=0, ge=0)
    num_segments: int | None = Field(alias="NumSegments", default=None)
    from_country: str | None = Field(alias="FromCountry", default=None)
