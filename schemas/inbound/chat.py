"""Live-chat transcript, as a chat widget (LiveChat, Intercom, Tidio…) exports it on chat end."""

from __future__ import annotations

from typing import Literal

from pydantic import AwareDatetime, Field

from schemas.inbound.base import Payload


class ChatVisitor(Payload):
    id: str = Field(min_length=1)
    name: str | None = None
    email: str | None = None


class ChatMessage(Payload):
    id: str | None = None
    author: Literal["visitor", "agent", "bot", "system"]
    author_name: str | None = None
    text: str
    sent_at: AwareDatetime


class ChatTranscript(Payload):
    transcript_id: str = Field(min_length=1)
    visitor: ChatVisitor
    page_url: str | None = None
    started_at: AwareDatetime
    ended_at: AwareDatetime | None = None
    messages: list[ChatMessage]
