"""Contact-form submissions from the shop's website → one ticket each."""

from __future__ import annotations

from channels.base import NormalizationError, RecordContext, build_ticket, parse_json, validate
from channels.identity import normalize_email, normalize_phone
from schemas import Channel, Customer, ErrorCode, Ticket
from schemas.inbound.webform import WebformSubmission

PROVIDER = "webform"


def region_from_locale(locale: str | None) -> str | None:
    """``'fr-FR'`` / ``'fr_FR'`` / ``'zh-Hant-TW'`` → the region code; ``'fr'`` → None."""
    if not locale:
        return None
    parts = locale.replace("_", "-").split("-")
    region = parts[-1] if len(parts) > 1 else ""
    return region.upper() if len(region) == 2 and region.isalpha() else None


def normalize(raw: bytes, ctx: RecordContext) -> list[Ticket]:
    form = validate(WebformSubmission, parse_json(raw), "webform submission")
    email = normalize_email(form.email)
    if email is None:
        raise NormalizationError(
            ErrorCode.SCHEMA_VALIDATION,
            f"Webform submission {form.submission_id} has email {form.email!r}, which is not an "
            "email address; the form must validate the address before submitting.",
            (f"email: not an email address: {form.email!r}",),
        )
    if not form.message.strip():
        raise NormalizationError(
            ErrorCode.EMPTY_BODY,
            f"Webform submission {form.submission_id} has an empty message; the form must "
            "require one before submitting.",
        )
    return [
        build_ticket(
            channel=Channel.WEBFORM,
            provider=PROVIDER,
            provider_message_id=form.submission_id,
            received_at=form.submitted_at,
            customer=Customer(
                email=email,
                phone=normalize_phone(form.phone, region_from_locale(form.locale)),
                display_name=(form.name or "").strip() or None,
            ),
            subject=form.topic,
            body=form.message,
            body_original=form.message,
            ctx=ctx,
            extra_order_numbers=[form.order_number] if form.order_number else [],
            channel_details={
                "form_id": form.form_id,
                "topic": form.topic,
                "page_url": form.page_url,
                "locale": form.locale,
            },
        )
    ]
