"""WhatsApp Cloud API webhook (``entry[].changes[].value.messages[]``)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from schemas.inbound.base import Payload


class WaProfile(Payload):
    name: str | None = None


class WaContact(Payload):
    wa_id: str
    profile: WaProfile | None = None


class WaText(Payload):
    body: str


class WaMedia(Payload):
    id: str
    mime_type: str | None = None
    sha256: str | None = None
    caption: str | None = None
    filename: str | None = None


class WaContext(Payload):
    id: str | None = None
    from_: str | None = Field(default=None, alias="from")


class WaMessage(Payload):
    from_: str = Field(alias="from", min_length=1)
    id: str = Field(min_length=1)
    timestamp: str = Field(description="Seconds since the epoch, as a string.")
    type: str
    text: WaText | None = None
    image: WaMedia | None = None
    document: WaMedia | None = None
    audio: WaMedia | None = None
    video: WaMedia | None = None
    sticker: WaMedia | None = None
    context: WaContext | None = None


class WaMetadata(Payload):
    display_phone_number: str | None = None
    phone_number_id: str | None = None


class WaValue(Payload):
    messaging_product: Literal["whatsapp"] = "whatsapp"
    metadata: WaMetadata | None = None
    contacts: list[WaContact] = []
    messages: list[WaMessage] = []
    statuses: list[dict[str, object]] = []


class WaChange(Payload):
    field: str
    value: WaValue


class WaEntry(Payload):
    id: str
    changes: list[WaChange]


class WhatsAppWebhook(Payload):
    object: Literal["whatsapp_business_account"]
    entry: list[WaEntry]
