"""Social direct messages → one ticket per customer message.

Two webhook formats arrive on ``inbound.social``: Meta's (Messenger when ``object`` is ``page``,
Instagram when it is ``instagram``) and X's Account Activity ``direct_message_events``. The shop's
own messages (Meta echoes, X DMs sent by the shop account) and events without a message
(read/delivery receipts, reactions, postbacks) yield no ticket.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from channels.base import (
    NormalizationError,
    RecordContext,
    build_ticket,
    datetime_from_epoch,
    describe_attachments,
    parse_json,
    validate,
)
from schemas import Attachment, Channel, Customer, ErrorCode, Thread, Ticket
from schemas.inbound.social import (
    MetaAttachment,
    MetaEntry,
    MetaMessage,
    MetaMessaging,
    MetaWebhook,
    XDirectMessageEvent,
    XDirectMessageWebhook,
    XMessageCreate,
    XMessageData,
)

# Meta attachment ``type`` → content type (Meta does not say more; the URL is a signed CDN link).
_META_CONTENT_TYPES = {"image": "image/*", "video": "video/*", "audio": "audio/*"}
# X media ``type`` → content type.
_X_CONTENT_TYPES = {"photo": "image/*", "video": "video/*", "animated_gif": "video/*"}
_GENERIC = "application/octet-stream"


def normalize(raw: bytes, ctx: RecordContext) -> list[Ticket]:
    data = parse_json(raw)
    if isinstance(data, dict) and "object" in data:
        return _meta(validate(MetaWebhook, data, "Meta messaging webhook"), ctx)
    if isinstance(data, dict) and "direct_message_events" in data:
        return _x(validate(XDirectMessageWebhook, data, "X direct-message webhook"), ctx)
    raise NormalizationError(
        ErrorCode.SCHEMA_VALIDATION,
        "The payload is neither a Meta messaging webhook (an object with 'object' and 'entry', "
        "from Messenger or Instagram) nor an X Account Activity webhook (an object with "
        "'direct_message_events'); only those two formats are accepted on inbound.social.",
    )


def _body(text: str, attachments: list[Attachment]) -> str:
    return text if text.strip() else describe_attachments(attachments)


def _empty(provider: str, message_id: str) -> NormalizationError:
    return NormalizationError(
        ErrorCode.EMPTY_BODY,
        f"The {provider} message {message_id} has neither text nor attachments; "
        "there is nothing for an agent to answer.",
    )


# --- Meta: Messenger and Instagram -----------------------------------------------------------


def _meta_attachment(attachment: MetaAttachment) -> Attachment:
    return Attachment(
        content_type=_META_CONTENT_TYPES.get(attachment.type, _GENERIC),
        url=attachment.payload.url if attachment.payload else None,
    )


def _meta(webhook: MetaWebhook, ctx: RecordContext) -> list[Ticket]:
    provider = "messenger" if webhook.object == "page" else "instagram"
    return [
        _meta_ticket(provider, entry, event, message, ctx)
        for entry in webhook.entry
        for event in entry.messaging
        if (message := event.message) is not None
        and not message.is_echo
        and not message.is_deleted
    ]


def _meta_ticket(
    provider: str, entry: MetaEntry, event: MetaMessaging, message: MetaMessage, ctx: RecordContext
) -> Ticket:
    text = message.text or ""
    attachments = [_meta_attachment(a) for a in message.attachments]
    if not text.strip() and not attachments:
        raise _empty(provider.capitalize(), message.mid)
    sender = event.sender.id
    reply_to = (message.reply_to or {}).get("mid")
    return build_ticket(
        channel=Channel.SOCIAL,
        provider=provider,
        provider_message_id=message.mid,
        received_at=datetime_from_epoch(event.timestamp, "ms", f"{provider} message timestamp"),
        customer=Customer(
            messenger_psid=sender if provider == "messenger" else None,
            instagram_id=sender if provider == "instagram" else None,
        ),
        body=_body(text, attachments),
        body_original=text,
        language_text=None if text.strip() else "",  # a placeholder is not their words
        ctx=ctx,
        attachments=attachments,
        thread=Thread(
            message_id=message.mid,
            in_reply_to=reply_to if isinstance(reply_to, str) else None,
        ),
        channel_details={"platform": provider, "page_id": entry.id},
    )


# --- X direct messages -----------------------------------------------------------------------


def _x_media(data: XMessageData) -> tuple[list[Attachment], str | None]:
    """The DM's media as attachments, and the t.co link X appends to the text for it."""
    attachment = data.attachment or {}
    media = attachment.get("media")
    if attachment.get("type") != "media" or not isinstance(media, Mapping):
        return [], None
    item: Mapping[str, Any] = media
    url = item.get("media_url_https") or item.get("media_url")
    media_id = item.get("id_str") or item.get("id")
    link = item.get("url")
    return [
        Attachment(
            content_type=_X_CONTENT_TYPES.get(str(item.get("type")), _GENERIC),
            url=str(url) if url else None,
            provider_id=str(media_id) if media_id is not None else None,
        )
    ], str(link) if link else None


def _x(webhook: XDirectMessageWebhook, ctx: RecordContext) -> list[Ticket]:
    return [
        _x_ticket(webhook, event, create, ctx)
        for event in webhook.direct_message_events
        if event.type == "message_create"
        and (create := event.message_create) is not None
        and create.sender_id != webhook.for_user_id
    ]


def _x_ticket(
    webhook: XDirectMessageWebhook,
    event: XDirectMessageEvent,
    create: XMessageCreate,
    ctx: RecordContext,
) -> Ticket:
    attachments, media_link = _x_media(create.message_data)
    original = create.message_data.text
    text = original.replace(media_link, "").strip() if media_link else original
    if not text.strip() and not attachments:
        raise _empty("X", event.id)
    user = webhook.users.get(create.sender_id)
    handle = user.screen_name.lstrip("@").lower() if user and user.screen_name else None
    return build_ticket(
        channel=Channel.SOCIAL,
        provider="x",
        provider_message_id=event.id,
        received_at=datetime_from_epoch(event.created_timestamp, "ms", "X created_timestamp"),
        customer=Customer(
            x_user_id=create.sender_id,
            x_handle=handle,
            display_name=user.name if user else None,
        ),
        body=_body(text, attachments),
        body_original=original,
        language_text=None if text.strip() else "",
        ctx=ctx,
        attachments=attachments,
        thread=Thread(message_id=event.id),
        channel_details={"platform": "x", "recipient_id": create.target.recipient_id},
    )
