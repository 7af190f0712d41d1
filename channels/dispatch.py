"""The one entry point: route a raw record to its channel's normalizer and turn every failure
into a dead letter. Nothing raised here reaches the stream: bad input is data."""

from __future__ import annotations

import base64
import hashlib
import logging
from collections.abc import Callable, Sequence
from datetime import datetime

from channels import chat, email, phone, sms, social, webform, whatsapp
from channels.base import DeferredLanguages, NormalizationError, RawRecord, RecordContext
from channels.orders import DEMO_SHOP, OrderNumberFormat
from core.logs import source_context
from schemas import Channel, DeadLetter, ErrorCode, Ticket

log = logging.getLogger(__name__)

Normalizer = Callable[[bytes, RecordContext], Sequence[Ticket]]
NormalizeResult = tuple[Ticket, ...] | DeadLetter

NORMALIZERS: dict[Channel, Normalizer] = {
    Channel.EMAIL: email.normalize,
    Channel.CHAT: chat.normalize,
    Channel.PHONE: phone.normalize,
    Channel.SOCIAL: social.normalize,
    Channel.WHATSAPP: whatsapp.normalize,
    Channel.SMS: sms.normalize,
    Channel.WEBFORM: webform.normalize,
}

DEFAULT_MAX_PAYLOAD_BYTES = 1_000_000


def deadletter_id_for(record: RawRecord) -> str:
    """Deterministic per delivery position, so a redelivered record yields the same id."""
    src = record.source
    digest = hashlib.sha256(f"{src.topic}\x1f{src.partition}\x1f{src.offset}".encode()).hexdigest()
    return f"dl_{digest[:24]}"


def dead_letter(
    record: RawRecord,
    code: ErrorCode,
    reason: str,
    failed_at: datetime,
    details: Sequence[str] = (),
) -> DeadLetter:
    return DeadLetter(
        deadletter_id=deadletter_id_for(record),
        error_code=code,
        reason=reason,
        details=tuple(details),
        channel=record.channel,
        source=record.source,
        payload_base64=base64.b64encode(record.value).decode("ascii"),
        payload_size=len(record.value),
        failed_at=failed_at,
    )


def normalize(
    record: RawRecord,
    failed_at: datetime,
    max_payload_bytes: int = DEFAULT_MAX_PAYLOAD_BYTES,
    order_formats: tuple[OrderNumberFormat, ...] = DEMO_SHOP,
    languages: DeferredLanguages | None = None,
) -> NormalizeResult:
    """Tickets for a raw record (usually one; a webhook may carry several), or one dead letter.
    With ``languages`` (a batch's), their languages are left for ``languages.settle``.

    Never raises: a normalizer bug becomes an ``internal_error`` dead letter with the original
    bytes, so the message can be replayed once the bug is fixed.
    """
    try:
        channel = Channel(record.channel)
    except ValueError:
        known = ", ".join(c.value for c in Channel)
        return dead_letter(
            record, ErrorCode.UNKNOWN_CHANNEL,
            f"No normalizer for channel {record.channel!r} (topic {record.source.topic}); "
            f"known channels: {known}.",
            failed_at,
        )
    if len(record.value) > max_payload_bytes:
        return dead_letter(
            record, ErrorCode.PAYLOAD_TOO_LARGE,
            f"The payload is {len(record.value):,} bytes, over the {max_payload_bytes:,}-byte "
            "limit (TICKETFLOW_MAX_PAYLOAD_BYTES); strip attachments before publishing.",
            failed_at,
        )
    ctx = RecordContext(source=record.source, timestamp=record.timestamp,
                        order_formats=order_formats, languages=languages)
    try:
        tickets = tuple(NORMALIZERS[channel](record.value, ctx))
    except NormalizationError as exc:
        return dead_letter(record, exc.code, exc.reason, failed_at, exc.details)
    except Exception as exc:  # a bug of ours must not stop the stream or lose the message
        log.exception("normalizer for %s failed on %s", channel, record.source,
                      extra=source_context(record.source))
        return dead_letter(
            record, ErrorCode.INTERNAL_ERROR,
            f"The {channel} normalizer failed ({type(exc).__name__}: {exc}); this is a "
            "ticketflow bug: report it with this dead letter and replay after the fix.",
            failed_at,
        )
    if not tickets:
        return dead_letter(
            record, ErrorCode.NO_MESSAGES,
            "The payload carried no customer message (e.g. only delivery receipts); "
            "nothing to ticket.",
            failed_at,
        )
    return tickets
