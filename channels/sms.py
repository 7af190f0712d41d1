"""Twilio inbound SMS/MMS webhooks (form-encoded, as Twilio POSTs them) → one ticket each."""

from __future__ import annotations

from urllib.parse import parse_qs

from channels.base import (
    NormalizationError,
    RecordContext,
    build_ticket,
    describe_attachments,
    validate,
)
from channels.identity import normalize_phone
from schemas import Attachment, Channel, Customer, ErrorCode, Ticket
from schemas.inbound.sms import TwilioSms

PROVIDER = "twilio"
_GENERIC = "application/octet-stream"


def parse_form(raw: bytes) -> dict[str, str]:
    """An ``application/x-www-form-urlencoded`` body as ``{key: first value}``."""
    try:
        text = raw.decode("utf-8")
        fields = parse_qs(text, keep_blank_values=True, strict_parsing=True, errors="strict")
    except UnicodeDecodeError as exc:
        raise NormalizationError(
            ErrorCode.INVALID_UTF8,
            "The SMS webhook body is not valid UTF-8 (raw or percent-encoded bytes at position "
            f"{exc.start}); Twilio form fields must be UTF-8.",
        ) from exc
    except ValueError as exc:
        raise NormalizationError(
            ErrorCode.INVALID_FORM,
            f"The SMS webhook body is not application/x-www-form-urlencoded ({exc}); publish "
            "Twilio's POST body unchanged, e.g. 'MessageSid=SM…&From=%2B1…&Body=…'.",
        ) from exc
    return {key: values[0] for key, values in fields.items()}


def _media(form: dict[str, str], count: int) -> list[Attachment]:
    attachments = []
    for i in range(count):
        url = form.get(f"MediaUrl{i}")
        if not url:
            raise NormalizationError(
                ErrorCode.MISSING_FIELD,
                f"The Twilio SMS webhook says NumMedia={count} but has no MediaUrl{i}; "
                "publish the webhook body unchanged.",
            )
        attachments.append(
            Attachment(content_type=form.get(f"MediaContentType{i}") or _GENERIC, url=url)
        )
    return attachments


def normalize(raw: bytes, ctx: RecordContext) -> list[Ticket]:
    form = parse_form(raw)
    sms = validate(TwilioSms, form, "Twilio SMS webhook")
    attachments = _media(form, sms.num_media)
    if not sms.body.strip() and not attachments:
        raise NormalizationError(
            ErrorCode.EMPTY_BODY,
            f"SMS {sms.message_sid} has an empty Body and no media; there is nothing to answer.",
        )
    return [
        build_ticket(
            channel=Channel.SMS,
            provider=PROVIDER,
            provider_message_id=sms.message_sid,
            received_at=ctx.timestamp,  # Twilio's webhook carries no timestamp
            customer=Customer(
                # E.164 as Twilio sends it; the sender's country helps with anything else.
                phone=normalize_phone(sms.from_number)
                or normalize_phone(sms.from_number, sms.from_country),
            ),
            body=sms.body if sms.body.strip() else describe_attachments(attachments),
            body_original=sms.body,
            language_text=None if sms.body.strip() else "",  # a placeholder is not their words
            ctx=ctx,
            attachments=attachments,
            channel_details={
                "to": sms.to_number,
                "num_segments": sms.num_segments,
                "from_country": sms.from_country,
            },
        )
    ]
