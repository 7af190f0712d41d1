"""Live-chat transcripts (exported by the chat widget when a chat ends) → one ticket per chat."""

from __future__ import annotations

from channels.base import NormalizationError, RecordContext, build_ticket, parse_json, validate
from channels.identity import normalize_email
from schemas import Channel, Customer, ErrorCode, Thread, Ticket
from schemas.inbound.chat import ChatTranscript

PROVIDER = "livechat"


def normalize(raw: bytes, ctx: RecordContext) -> list[Ticket]:
    chat = validate(ChatTranscript, parse_json(raw), "chat transcript")
    messages = sorted(chat.messages, key=lambda m: m.sent_at)  # stable: ties keep their order
    visitor_lines = [m for m in messages if m.author == "visitor" and m.text.strip()]
    if not visitor_lines:
        raise NormalizationError(
            ErrorCode.EMPTY_BODY,
            f"Chat transcript {chat.transcript_id} has no visitor message with text "
            "(only agent, bot or system lines); there is nothing from the customer to answer.",
        )
    return [
        build_ticket(
            channel=Channel.CHAT,
            provider=PROVIDER,
            provider_message_id=chat.transcript_id,
            received_at=visitor_lines[0].sent_at,
            customer=Customer(
                email=normalize_email(chat.visitor.email),
                chat_visitor_id=chat.visitor.id,
                display_name=chat.visitor.name,
            ),
            body="\n".join(m.text.strip() for m in visitor_lines),
            body_original="\n".join(f"{m.author}: {m.text}" for m in messages),
            ctx=ctx,
            thread=Thread(conversation_id=f"chat:{chat.transcript_id}"),
            channel_details={
                "page_url": chat.page_url,
                "message_count": len(chat.messages),
                "agent_replied": any(m.author == "agent" for m in messages),
            },
        )
    ]
