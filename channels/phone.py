"""Call records and voicemails from the telephony system → one ticket each, from the transcript."""

from __future__ import annotations

import posixpath
import re
from urllib.parse import urlsplit

from channels.base import NormalizationError, RecordContext, build_ticket, parse_json, validate
from channels.identity import normalize_phone
from schemas import Attachment, Channel, Customer, ErrorCode, Ticket
from schemas.inbound.phone import CallRecord

PROVIDER = "voip"
DEFAULT_RECORDING_TYPE = "audio/mpeg"
# Explicit rather than ``mimetypes``, whose answers depend on the host's mime.types.
_AUDIO_TYPES = {
    ".mp3": "audio/mpeg",
    ".wav": "audio/wav",
    ".ogg": "audio/ogg",
    ".opus": "audio/ogg",
    ".m4a": "audio/mp4",
    ".webm": "audio/webm",
    ".flac": "audio/flac",
}


def recording_attachment(url: str) -> Attachment:
    """The call recording, typed from its file extension (MP3 when the URL does not say)."""
    filename = posixpath.basename(urlsplit(url).path) or None
    extension = posixpath.splitext(filename or "")[1].lower()
    content_type = _AUDIO_TYPES.get(extension, DEFAULT_RECORDING_TYPE)
    return Attachment(filename=filename, content_type=content_type, url=url)


_SPEAKER = re.compile(r"^\s*(?P<who>[^\W\d_][\w .'-]{0,24}?)\s*:\s*(?P<said>.*)$")
_CUSTOMER_LABELS = {"caller", "customer", "client", "kunde", "anrufer", "cliente", "llamante"}


def customer_speech(transcript: str) -> str:
    """What the customer said. Call transcripts label turns ("Agent: …", "Caller: …"); the
    agent's lines would mislead classification (an agent's "I'll refund you" is not a refund
    request). Voicemails and unlabelled transcripts are the customer's throughout."""
    turns = [_SPEAKER.match(line) for line in transcript.splitlines() if line.strip()]
    said = [t.group("said") for t in turns if t and t.group("who").lower() in _CUSTOMER_LABELS]
    if not said or not all(turns):
        return transcript
    return "\n".join(said)


def normalize(raw: bytes, ctx: RecordContext) -> list[Ticket]:
    call = validate(CallRecord, parse_json(raw), "call record")
    transcript = (call.transcript or "").strip()
    if not transcript:
        raise NormalizationError(
            ErrorCode.EMPTY_BODY,
            f"The {call.kind} record {call.call_id} has no transcript; speech-to-text "
            "transcription must run before the record is published to inbound.phone.",
        )
    inbound = call.direction == "inbound"
    # The customer is whoever is not the shop: the caller, or the callee of an outbound call.
    customer_number = call.from_number if inbound else call.to_number
    return [
        build_ticket(
            channel=Channel.PHONE,
            provider=PROVIDER,
            provider_message_id=call.call_id,
            received_at=call.started_at,
            customer=Customer(
                phone=normalize_phone(customer_number),
                display_name=call.caller_name if inbound else None,
            ),
            body=customer_speech(transcript),
            body_original=call.transcript or "",
            ctx=ctx,
            attachments=[recording_attachment(call.recording_url)] if call.recording_url else [],
            channel_details={
                "kind": call.kind,
                "direction": call.direction,
                "duration_seconds": call.duration_seconds,
                "ivr_selection": call.ivr_selection,
                "recording_url": call.recording_url,
            },
        )
    ]
