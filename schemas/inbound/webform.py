"""Contact-form submission from the shop's website."""

from __future__ import annotations

from pydantic import AwareDatetime, Field

from schemas.inbound.base import Payload


class WebformSubmission(Payload):
    submission_id: str = Field(min_length=1)
    form_id: str | None = None
    submitted_at: AwareDatetime
    name: str | None = None
    email: str = Field(min_length=3)
    phone: str | None = None
    order_number: str | None = None
    topic: str | None = None
    message: str
    page_url: str | None = None
    locale: str | None = None
