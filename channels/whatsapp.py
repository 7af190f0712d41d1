"""WhatsApp Cloud API webhooks → one ticket per customer message.

A webhook may batch several messages (and several entries); one carrying only ``statuses``
(sent/delivered/read receipts for the shop's own messages) yields no ticket.
"""

from __future__ import annotations

from channels.base import (
    NormalizationError,
    RecordContext,
    build_ticket,
    datetime_from_epoch,
    parse_json,
    validate,
)
from channels.identity import normalize_phone
from schemas import Attachment, Channel, Customer, ErrorCode, Thread, Ticket
from schemas.inbound.whatsapp import WaMedia, WaMessage, WaValue, WhatsAppWebhook

PROVIDER = "whatsapp_cloud"
# Media message types: the body when they come without a caption ({name} is the document's
# quoted filename, if any), and the content type to assume when the webhook gives no mime_type.
_MEDIA: dict[str, tuple[str, str]] = {
    "image": ("(sent an image without caption)", "image/*"),
    "video": ("(sent a video without caption)", "video/*"),
    "audio": ("(sent an audio message)", "audio/*"),  # voice notes; audio has no caption
    "document": ("(sent a document{name} without caption)", "application/octet-stream"),
    "sticker": ("(sent a sticker)", "image/webp"),
}
# Not customer requests: a reaction is an emoji on an earlier message.
_SKIPPED_TYPES = frozenset({"reaction"})


def _article(word: str) -> str:
    return f"an {word}" if word[:1].lower() in "aeiou" else f"a {word}"


def _content(message: WaMessage) -> tuple[str, str, list[Attachment]]:
    """``(body, body_original, attachments)`` for one message."""
    if message.type == "text":
        if message.text is None:
            raise NormalizationError(
                ErrorCode.SCHEMA_VALIDATION,
                f"WhatsApp message {message.id} has type 'text' but no 'text' object.",
            )
        return message.text.body, message.text.body, []
    if message.type in _MEDIA:
        media: WaMedia | None = getattr(message, message.type)
        if media is None:
            raise NormalizationError(
                ErrorCode.SCHEMA_VALIDATION,
                f"WhatsApp message {message.id} has type {message.type!r} but no "
                f"{message.type!r} object describing the media.",
            )
        placeholder, default_type = _MEDIA[message.type]
        attachment = Attachment(
            filename=media.filename,
            content_type=media.mime_type or default_type,
            provider_id=media.id,
        )
        caption = (media.caption or "").strip()
        if caption:
            return caption, media.caption or "", [attachment]
        name = f' "{media.filename}"' if media.filename else ""
        return placeholder.format(name=name), "", [attachment]
    # location, contacts, interactive, button, unsupported…: say what came so an agent can look.
    return f"(sent {_article(message.type)} message)", "", []


def _ticket(message: WaMessage, value: WaValue, ctx: RecordContext) -> Ticket:
    names = {c.wa_id: c.profile.name for c in value.contacts if c.profile}
    body, body_original, attachments = _content(message)
    metadata = value.metadata
    return build_ticket(
        channel=Channel.WHATSAPP,
        provider=PROVIDER,
        provider_message_id=message.id,
        received_at=datetime_from_epoch(message.timestamp, "s", "WhatsApp message timestamp"),
        customer=Customer(
            whatsapp_id=message.from_,
            phone=normalize_phone(message.from_),
            display_name=names.get(message.from_),
        ),
        body=body,
        body_original=body_original,
        language_text=None if body_original.strip() else "",  # a placeholder is not their words
        ctx=ctx,
        attachments=attachments,
        thread=Thread(
            message_id=message.id,
            in_reply_to=message.context.id if message.context else None,
        ),
        channel_details={
            "message_type": message.type,
            "business_phone_number_id": metadata.phone_number_id if metadata else None,
        },
    )


def normalize(raw: bytes, ctx: RecordContext) -> list[Ticket]:
    webhook = validate(WhatsAppWebhook, parse_json(raw), "WhatsApp webhook")
    return [
        _ticket(message, change.value, ctx)
        for entry in webhook.entry
        for change in entry.changes
        for message in change.value.messages
        if message.type not in _SKIPPED_TYPES
    ]
