"""What every channel normalizer shares: the raw record, its error, and the ticket builder."""

from __future__ import annotations

import hashlib
import json
import logging
import sys
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ValidationError

from channels.orders import DEMO_SHOP, OrderNumberFormat, extract_order_numbers
from classifiers.language import UNDETERMINED, detect_language, detect_languages
from schemas import Attachment, Channel, Customer, ErrorCode, Source, Thread, Ticket
from schemas.common import in_time_range
from schemas.ticket import Scalar

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One raw message as consumed from ``inbound.<channel>``."""

    channel: str
    value: bytes
    source: Source
    timestamp: datetime  # the broker record's timestamp: fallback when the payload has none


@dataclass(frozen=True, slots=True)
class RecordContext:
    """What a channel normalizer knows besides the payload bytes."""

    source: Source
    timestamp: datetime
    order_formats: tuple[OrderNumberFormat, ...] = DEMO_SHOP
    """The shop's order-number formats (``TICKETFLOW_SHOP_FILE``)."""
    languages: DeferredLanguages | None = None
    """Set by a batch: tickets are built with their language left for :meth:`settle`."""


class DeferredLanguages:
    """The language texts of a batch's tickets, detected together once the whole batch is
    normalized (:func:`~classifiers.language.detect_languages` is ≈ 3× cheaper per ticket for a
    batch than one text at a time). Until :meth:`settle`, such a ticket says ``und``."""

    def __init__(self) -> None:
        # by ticket id: one provider message id, one message, one text (a redelivery within
        # the batch has the same)
        self._texts: dict[str, str] = {}

    def defer(self, ticket_id: str, text: str) -> None:
        self._texts[ticket_id] = text

    def settle(self, tickets: Sequence[Ticket]) -> list[Ticket]:
        """``tickets`` with the languages of their texts (a ticket not deferred is kept)."""
        ids = list(self._texts)
        texts = [self._texts[i] for i in ids]
        self._texts.clear()
        try:
            found = dict(zip(ids, detect_languages(texts), strict=True))
        except Exception:  # a bug of ours must not cost the batch: one text at a time
            log.exception("batched language detection failed on %d texts; detecting them one "
                          "by one", len(texts))
            found = dict(zip(ids, map(_detect_one, texts), strict=True))
        settled = []
        for ticket in tickets:
            language = found.get(ticket.ticket_id)
            settled.append(ticket if language is None else ticket.model_copy(
                update={"language": language[0], "language_confidence": language[1]}))
        return settled


def _detect_one(text: str) -> tuple[str, float]:
    try:
        return detect_language(text)
    except Exception:  # the ticket is routed all the same, its language unknown
        log.exception("language detection failed on a text of %d characters", len(text))
        return UNDETERMINED, 0.0


class NormalizationError(Exception):
    """Raised by a normalizer for input it cannot turn into a ticket.

    ``reason`` is a sentence a person can act on; it ends up in the dead letter.
    """

    def __init__(self, code: ErrorCode, reason: str, details: Iterable[str] = ()) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason
        self.details = tuple(details)


def ticket_id_for(channel: Channel | str, provider_message_id: str) -> str:
    """Deterministic ticket id: the same provider message always maps to the same ticket."""
    digest = hashlib.sha256(f"{channel}\x1f{provider_message_id}".encode()).hexdigest()
    return f"tk_{digest[:24]}"


def parse_json(raw: bytes) -> Any:
    """Decode UTF-8 JSON or raise a NormalizationError that says what is wrong and where."""
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise NormalizationError(
            ErrorCode.INVALID_UTF8,
            f"The payload is not valid UTF-8 (bad byte at position {exc.start}); "
            "the sender must encode JSON as UTF-8.",
        ) from exc
    except json.JSONDecodeError as exc:
        raise NormalizationError(
            ErrorCode.INVALID_JSON,
            f"The payload is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}.",
        ) from exc
    except RecursionError as exc:  # json's decoder recurses once per '[' or '{'
        raise NormalizationError(
            ErrorCode.INVALID_JSON,
            "The payload's JSON is nested too deeply to parse (arrays or objects inside each "
            "other hundreds of levels deep); no provider payload nests like that: the sender "
            "must send the provider's webhook body unchanged.",
        ) from exc
    except ValueError as exc:  # int() refusing a huge literal (JSONDecodeError is caught above)
        raise NormalizationError(
            ErrorCode.INVALID_JSON,
            f"The payload has an integer of more than {sys.get_int_max_str_digits():,} digits, "
            "which no provider field holds; the sender must send numbers of ordinary size.",
        ) from exc


def validate(model: type[M], data: Any, what: str) -> M:
    """Validate provider data against its model, translating pydantic's error into ours."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        details = tuple(
            f"{'.'.join(str(p) for p in err['loc']) or '(root)'}: {err['msg']}" for err in errors
        )
        missing = [d for d, err in zip(details, errors, strict=True) if err["type"] == "missing"]
        if missing and len(missing) == len(errors):
            fields = ", ".join(d.split(":")[0] for d in missing)
            raise NormalizationError(
                ErrorCode.MISSING_FIELD,
                f"The {what} lacks required field(s) {fields}; the sender must include them.",
                details,
            ) from exc
        raise NormalizationError(
            ErrorCode.SCHEMA_VALIDATION,
            f"The {what} does not match its schema ({len(errors)} problem(s), first: "
            f"{details[0]}).",
            details,
        ) from exc


def datetime_from_epoch(value: int | float | str, unit: Literal["s", "ms"], what: str) -> datetime:
    """A provider's epoch timestamp (seconds or milliseconds, number or digit string) in UTC.

    ``what`` names the field for the error, e.g. ``"WhatsApp message timestamp"``.
    """
    try:
        number = float(value) if isinstance(value, str) else value
        seconds = number / 1000 if unit == "ms" else number
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (ValueError, OverflowError, OSError) as exc:
        raise NormalizationError(
            ErrorCode.SCHEMA_VALIDATION,
            f"The {what} {value!r} is not a Unix timestamp in "
            f"{'milliseconds' if unit == 'ms' else 'seconds'}.",
        ) from exc


def attachment_kind(content_type: str) -> str:
    """``'image/jpeg'`` → ``'image'``; anything not image, video or audio → ``'file'``."""
    major = content_type.split("/", 1)[0].strip().lower()
    return major if major in ("image", "video", "audio") else "file"


def describe_attachments(attachments: Iterable[Attachment]) -> str:
    """A body for a message that carried attachments but no text, so an agent sees what came.

    ``(sent 1 image attachment without text)``, ``(sent 3 attachments without text: 2 image,
    1 video)``. Empty when there are none, so ``build_ticket`` reports an empty body.
    """
    kinds = Counter(attachment_kind(a.content_type) for a in attachments)
    if not kinds:
        return ""
    total = sum(kinds.values())
    if len(kinds) == 1:
        ((kind, count),) = kinds.items()
        return f"(sent {count} {kind} attachment{'s' if count > 1 else ''} without text)"
    listed = ", ".join(f"{count} {kind}" for kind, count in kinds.items())
    return f"(sent {total} attachments without text: {listed})"


def build_ticket(
    *,
    channel: Channel,
    provider: str,
    provider_message_id: str,
    received_at: datetime,
    customer: Customer,
    body: str,
    body_original: str,
    ctx: RecordContext,
    subject: str | None = None,
    attachments: Iterable[Attachment] = (),
    thread: Thread | None = None,
    channel_details: Mapping[str, Scalar] | None = None,
    extra_order_numbers: Iterable[str] = (),
    language_text: str | None = None,
) -> Ticket:
    """Assemble a Ticket, deriving id, language and order numbers the same way for every channel.

    ``language_text`` is what the language is detected from, subject and body by default; pass
    ``""`` when the body is our own placeholder (``(sent an image without caption)``) so the
    ticket says ``und`` rather than English.
    With ``ctx.languages`` (a batch's) the ticket says ``und`` until the batch settles it
    (:class:`DeferredLanguages`).

    Raises NormalizationError(EMPTY_BODY) when there is no text left to act on, and
    NormalizationError(SCHEMA_VALIDATION) when ``received_at`` is not between 1970 and 2200.
    """
    if not in_time_range(received_at):
        raise NormalizationError(
            ErrorCode.SCHEMA_VALIDATION,
            f"The message time {received_at.isoformat()} is not between 1970 and 2200; the "
            "sender's date field or clock is wrong.",
            (f"received_at: {received_at.isoformat()} is outside [1970, 2200)",),
        )
    clean = body.strip()
    if not clean:
        raise NormalizationError(
            ErrorCode.EMPTY_BODY,
            "The message has no text a person could answer (empty body after cleaning).",
        )
    if language_text is None:
        language_text = f"{subject or ''}\n{clean}"
    ticket_id = ticket_id_for(channel, provider_message_id)
    if ctx.languages is not None:
        ctx.languages.defer(ticket_id, language_text)
        language, confidence = UNDETERMINED, 0.0  # until the batch settles it
    else:
        language, confidence = detect_language(language_text)
    orders = extract_order_numbers(
        [*extra_order_numbers], f"{subject or ''}\n{clean}", ctx.order_formats
    )
    return Ticket(
        ticket_id=ticket_id,
        channel=channel,
        provider=provider,
        provider_message_id=provider_message_id,
        received_at=received_at,
        customer=customer,
        subject=subject,
        body=clean,
        body_original=body_original,
        language=language,
        language_confidence=confidence,
        order_numbers=orders,
        attachments=tuple(attachments),
        thread=thread or Thread(),
        channel_details=dict(channel_details or {}),
        source=ctx.source,
    )
