"""Social direct messages: Meta Messenger / Instagram messaging webhooks and X DM events.

Meta: https://developers.facebook.com/docs/messenger-platform/webhooks (``object`` is ``page``
or ``instagram``; ``entry[].messaging[]``). X: Account Activity API ``direct_message_events``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from schemas.inbound.base import Payload


class MetaUser(Payload):
    id: str


class MetaAttachmentPayload(Payload):
    url: str | None = None


class MetaAttachment(Payload):
    type: str
    payload: MetaAttachmentPayload | None = None


class MetaMessage(Payload):
    mid: str = Field(min_length=1)
    text: str | None = None
    attachments: list[MetaAttachment] = []
    is_echo: bool = False
    is_deleted: bool = False  # Instagram: the customer unsent the message
    # ``{"mid": ...}`` for a reply to a message; Instagram story replies nest an object:
    # ``{"story": {"id": ..., "url": ...}}``.
    reply_to: dict[str, object] | None = None


class MetaMessaging(Payload):
    sender: MetaUser
    recipient: MetaUser
    timestamp: int = Field(description="Milliseconds since the epoch.")
    message: MetaMessage | None = None


class MetaEntry(Payload):
    id: str
    time: int
    messaging: list[MetaMessaging] = []


class MetaWebhook(Payload):
    object: Literal["page", "instagram"]
    entry: list[MetaEntry]


class XMessageData(Payload):
    text: str = ""
    attachment: dict[str, object] | None = None


class XTarget(Payload):
    recipient_id: str


class XMessageCreate(Payload):
    target: XTarget
    sender_id: str
    message_data: XMessageData


class XDirectMessageEvent(Payload):
    type: str
    id: str = Field(min_length=1)
    created_timestamp: str = Field(description="Milliseconds since the epoch, as a string.")
    message_create: XMessageCreate | None = None


class XUser(Payload):
    id: str
    name: str | None = None
    screen_name: str | None = None


class XDirectMessageWebhook(Payload):
    for_user_id: str
    direct_message_events: list[XDirectMessageEvent]
    users: dict[str, XUser] = {}
