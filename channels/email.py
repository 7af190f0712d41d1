"""Email channel: one raw RFC 5322/MIME message, exactly as the mail server received it.

The body a person answers is the latest reply: quoted history, attribution lines ("On … wrote:",
"Le … a écrit :", Outlook header blocks) and signatures are stripped with mail-parser-reply, while
``body_original`` keeps the whole text part. Attachments are reported as metadata only.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.errors import HeaderParseError
from email.header import decode_header
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from typing import Any, cast

import mailparser_reply
from inscriptis import get_text

from channels.base import NormalizationError, RecordContext, build_ticket
from channels.identity import normalize_email
from schemas import Attachment, Channel, Customer, ErrorCode, Thread, Ticket
from schemas.common import in_time_range

PROVIDER = "smtp"



class _Policy(policy.EmailPolicy):
    """policy.default, except that every header comes back as plain unfolded text instead of a
    header-registry object. Building those objects (a ContentTypeHeader on each of the ≈30
    Content-Type lookups the feed parser and our walk make; an AddressHeader for From and To)
    was most of the time an email took to normalize. The stdlib's own Content-Type accessors
    (get_content_type, get_param, get_filename, get_content_charset) parse plain text, and the
    few headers we read are decoded here (RFC 2047 words: ``_decoded``; address lists:
    ``getaddresses``)."""

    def header_fetch_parse(self, name: str, value: str) -> Any:
        if hasattr(value, "name"):  # already a header object (set by code, not parsed)
            return value
        return "".join(value.splitlines())


_PARSER = BytesParser(_class=EmailMessage, policy=_Policy())
_BODY_TYPES = ("text/plain", "text/html")
# Parts nested deeper than this are ignored: no mail client nests this far, a crafted message may.
_MAX_DEPTH = 40

_REPLY_LANGUAGES = ("en", "fr", "de", "es", "it", "nl")
# mail-parser-reply's header regexes are quadratic in the length of a line and of a whitespace
# run: long lines are hidden behind placeholders, blank runs collapsed and the text capped.
_MAX_LINE = 300
_MAX_REPLY_SCAN = 64_000
_PLACEHOLDER = re.compile("\ue000(\\d+)\ue001")
_BLANK_RUN = re.compile(r"\n{3,}")
# Attribution lines mail-parser-reply 1.36 misses: its Spanish pattern wants two spaces before
# "escribió", its Dutch one wants "schreef:" at the end of the line. A date is required.
_MISSED_ATTRIBUTION = re.compile(
    r"^(?:El\s(?=[^\n]*\d)[^\n]*(?:\n[^\n]+)?\sescribi[oó]\s?:"
    r"|Op\s(?=[^\n]*\d)[^\n]*(?:\n[^\n]+)?\s(?:schreef\s[^\n]+|het volgende geschreven)\s?:)$",
    re.MULTILINE,
)
# A sign-off ("Thanks, Jane", "Viele Grüße") is short; "Thanks, but my order never came." is not.
_MAX_SIGN_OFF_WORDS = 6
# Each try scans to the end of the text: a text with hundreds of "Thanks, …" lines is no letter.
_MAX_SIGNATURE_TRIES = 20

_MAX_DECODED = 8_000  # characters of a header that RFC 2047 decoding looks at
_MSG_ID = re.compile(r"<([^<>]*)>")
# A match starts only where a token starts (the look-behind): without it a 100 kB From header
# with no address was scanned again from every position, quadratic (25 s).
_ADDRESS = re.compile(
    r"(?<![^\s<>\"'@,;:()])[^\s<>\"'@,;:()]+@[^\s<>\"'@,;:()]+\.[^\s<>\"'@,;:()]+")


@dataclass(frozen=True, slots=True)
class _Sender:
    email: str
    display_name: str | None


@dataclass(frozen=True, slots=True)
class _BodyText:
    part: EmailMessage
    text: str
    charset: str
    has_html: bool


def normalize(raw: bytes, ctx: RecordContext) -> list[Ticket]:
    """One ticket for one raw email; NormalizationError for anything that cannot be one."""
    msg = _parse(raw)
    sender = _sender(msg)
    body = _body(msg)
    message_id = _first_id(_raw_header(msg, "Message-ID"))
    ticket = build_ticket(
        channel=Channel.EMAIL,
        provider=PROVIDER,
        provider_message_id=message_id or f"sha256:{hashlib.sha256(raw).hexdigest()}",
        received_at=_received_at(msg, ctx.timestamp),
        customer=Customer(email=sender.email, display_name=sender.display_name),
        subject=_subject(msg),
        body=_latest_reply(body.text),
        body_original=body.text,
        ctx=ctx,
        attachments=_attachments(msg, body.part),
        thread=_thread(msg, message_id),
        channel_details={
            "to": _first_to(msg),
            "has_html": body.has_html,
            "charset": body.charset,
        },
    )
    return [ticket]


# --- parsing and headers -------------------------------------------------------------------------


def _parse(raw: bytes) -> EmailMessage:
    try:
        msg = cast(EmailMessage, _PARSER.parsebytes(raw))  # _class=EmailMessage
    except RecursionError as exc:
        raise NormalizationError(
            ErrorCode.MIME_PARSE_ERROR,
            "The email's MIME parts are nested too deeply to parse; the message is malformed "
            "or hostile and must be inspected by hand.",
        ) from exc
    names = {name.lower() for name, _ in msg.raw_items()}
    if not names & {"from", "date", "subject"}:
        raise NormalizationError(
            ErrorCode.MIME_PARSE_ERROR,
            "The payload is not an email message: it has no From, Date or Subject header. "
            "Publish the raw RFC 5322 message to inbound.email.",
        )
    return msg


def _scrub(value: str) -> str:
    """Text safe to serialize: bytes the parser smuggled in as surrogates become real characters
    (raw UTF-8 in a header) or U+FFFD."""
    try:
        return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:
        return value.encode("utf-8", "replace").decode("utf-8")


def _raw_header(msg: EmailMessage, name: str) -> str | None:
    """The first header ``name`` as sent (unfolded, not decoded); never raises."""
    values = _raw_headers(msg, name)
    return values[0] if values else None


def _raw_headers(msg: EmailMessage, name: str) -> list[str]:
    wanted = name.lower()
    return [
        " ".join(_scrub(value).split()) for key, value in msg.raw_items() if key.lower() == wanted
    ]


def _decoded(value: str) -> str:
    """RFC 2047 encoded words (``=?utf-8?q?J=C3=BCrgen?=``) decoded, each with its charset and
    the same fallbacks as a body (an unknown label still gives text); the text as sent where
    the words are malformed."""
    if "=?" not in value:
        return value
    # decode_header is quadratic in unterminated words ("=?utf-8?q?a" × 36,000 took 76 s):
    # only the head is decoded, the rest (no subject or name is that long) kept as sent
    value, rest = value[:_MAX_DECODED], value[_MAX_DECODED:]
    try:
        parts = decode_header(value)
    except HeaderParseError:
        return value + rest
    return _scrub("".join(
        chunk if isinstance(chunk, str)
        else chunk.decode("raw-unicode-escape") if charset is None  # how decode_header keeps it
        else _decode_bytes(chunk, charset)[0]
        for chunk, charset in parts
    )) + rest


def _addresses(msg: EmailMessage, name: str) -> list[_Sender]:
    """Every address of the ``name`` headers, in order, with its decoded display name; an
    unparseable entry is skipped (``getaddresses`` gives it an empty address)."""
    found = []
    try:
        pairs = getaddresses(_raw_headers(msg, name))
    except RecursionError:  # it recurses once per nested '(' comment: a hostile header
        return []
    for display_name, addr_spec in pairs:
        email = normalize_email(addr_spec)
        if email:
            found.append(_Sender(email, _decoded(display_name).strip() or None))
    return found


def _subject(msg: EmailMessage) -> str | None:
    raw = _raw_header(msg, "Subject")
    text = _decoded(raw).strip() if raw else None
    return text or None


def _sender(msg: EmailMessage) -> _Sender:
    senders = _addresses(msg, "From")
    if senders:
        return senders[0]
    raw = _raw_header(msg, "From")
    match = _ADDRESS.search(raw or "")
    email = normalize_email(match.group()) if match else None
    if email is None:
        what = f"an unparseable From header ({raw!r})" if raw else "no From header"
        raise NormalizationError(
            ErrorCode.MISSING_FIELD,
            f"The email has {what}, so there is no customer address to answer; "
            "check the sending system or mail gateway.",
        )
    return _Sender(email, None)


def _first_to(msg: EmailMessage) -> str | None:
    recipients = _addresses(msg, "To")
    return recipients[0].email if recipients else None


def _ids(value: str | None) -> list[str]:
    """Message ids without angle brackets, in order: ``<a@x> <b@y>`` → ``['a@x', 'b@y']``."""
    if not value:
        return []
    if "<" not in value:
        return value.split()
    found = ("".join(token.split()) for token in _MSG_ID.findall(value))
    return list(dict.fromkeys(token for token in found if token))


def _first_id(value: str | None) -> str | None:
    ids = _ids(value)
    return ids[0] if ids else None


def _thread(msg: EmailMessage, message_id: str | None) -> Thread:
    return Thread(
        message_id=message_id,
        in_reply_to=_first_id(_raw_header(msg, "In-Reply-To")),
        references=tuple(_ids(" ".join(_raw_headers(msg, "References")))),
    )


def _parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value.strip())
        if parsed.tzinfo is None:  # "-0000": the sender did not know its zone; RFC 5322 says UTC
            parsed = parsed.replace(tzinfo=UTC)
        parsed = parsed.astimezone(UTC)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    # an absurd Date (year 9999) is as good as none: the next hop or the broker time serves
    return parsed if in_time_range(parsed) else None


def _received_at(msg: EmailMessage, fallback: datetime) -> datetime:
    """Date header, else the latest Received hop, else the broker timestamp; always UTC."""
    date = _parse_date(_raw_header(msg, "Date"))
    if date is not None:
        return date
    hops = [_parse_date(value.rpartition(";")[2]) for value in _raw_headers(msg, "Received")]
    dated = [hop for hop in hops if hop is not None]
    if dated:
        return max(dated)
    return fallback if fallback.tzinfo is not None else fallback.replace(tzinfo=UTC)


# --- MIME structure ------------------------------------------------------------------------------


def _is_attached(part: EmailMessage) -> bool:
    """An attachment by disposition, or any part that carries a file name."""
    return part.get_content_disposition() == "attachment" or part.get_filename() is not None


def _leaves(part: EmailMessage, depth: int = 0) -> Iterator[EmailMessage]:
    """Non-multipart parts in document order; a forwarded message/rfc822 counts as one leaf."""
    if depth > _MAX_DEPTH:
        return
    if part.get_content_maintype() != "multipart":
        yield part
        return
    for child in part.iter_parts():
        yield from _leaves(child, depth + 1)  # type: ignore[arg-type]


def _text_parts(part: EmailMessage, depth: int = 0) -> Iterator[EmailMessage]:
    """Body candidates in document order; within multipart/alternative, text/plain first."""
    if depth > _MAX_DEPTH or _is_attached(part):
        return
    if part.get_content_type() in _BODY_TYPES:
        yield part
        return
    if part.get_content_maintype() != "multipart":
        return
    children: list[EmailMessage] = list(part.iter_parts())  # type: ignore[arg-type]
    if part.get_content_subtype() == "alternative":
        children.sort(key=lambda child: child.get_content_type() != "text/plain")
    for child in children:
        yield from _text_parts(child, depth + 1)


def _body(msg: EmailMessage) -> _BodyText:
    """The first text part with any text in it, HTML converted to text."""
    candidates = list(_text_parts(msg))
    if not candidates:
        raise NormalizationError(
            ErrorCode.NO_TEXT_PART,
            "The email has no text/plain or text/html part (only attachments or other "
            "content types); there is no text for an agent to read.",
        )
    has_html = any(part.get_content_type() == "text/html" for part in candidates)
    bodies = (_BodyText(part, *_decode(part), has_html) for part in candidates)
    first = next(bodies)
    if first.text.strip():
        return first
    return next((body for body in bodies if body.text.strip()), first)


def _decode(part: EmailMessage) -> tuple[str, str]:
    """(text, charset used) for a text part; HTML comes back as plain text."""
    payload = part.get_payload(decode=True)
    data = payload if isinstance(payload, bytes) else b""
    text, charset = _decode_bytes(data, part.get_content_charset())
    text = _scrub(text).replace("\r\n", "\n").replace("\r", "\n")
    if part.get_content_type() == "text/html":
        text = get_text(text)
    return text, charset


def _decode_bytes(data: bytes, label: str | None) -> tuple[str, str]:
    """Decode with the declared charset, else UTF-8, else the label (or UTF-8) with
    replacement characters: a wrong or unknown label must never lose the message."""
    tries = [label, "utf-8"] if label else ["utf-8", "windows-1252"]
    for charset in tries:
        if charset is None:
            continue
        try:
            return data.decode(charset), charset
        except (LookupError, UnicodeError, ValueError):
            continue
    if label:
        try:
            return data.decode(label, errors="replace"), label
        except (LookupError, UnicodeError, ValueError):
            pass
    return data.decode("utf-8", errors="replace"), "utf-8"


def _attachments(msg: EmailMessage, body_part: EmailMessage) -> list[Attachment]:
    """Metadata of every leaf that is not the body or one of its alternatives."""
    found = []
    for part in _leaves(msg):
        if part is body_part:
            continue
        if part.get_content_type() in _BODY_TYPES and not _is_attached(part):
            continue
        filename = part.get_filename()
        found.append(
            Attachment(
                filename=_scrub(filename) if filename else None,
                content_type=part.get_content_type(),
                size_bytes=_size(part),
            )
        )
    return found


def _size(part: EmailMessage) -> int | None:
    payload = part.get_payload(decode=True)
    if isinstance(payload, bytes):
        return len(payload)
    try:  # message/rfc822: the payload is the forwarded message itself
        return len(part.get_payload(0).as_bytes())  # type: ignore[union-attr]
    except Exception:  # an unsizeable part still gets reported, just without a size
        return None


# --- reply extraction ----------------------------------------------------------------------------


def _latest_reply(text: str) -> str:
    """The customer's newest words: no quoted history, attribution line or signature.

    When stripping leaves nothing (e.g. only "Sent from my iPhone" above the quote), the text
    above the quote is kept: an empty body would dead-letter a message the customer did send.
    """
    prepared, long_lines = _shield_long_lines(_prepare(text))
    if len(prepared) > _MAX_REPLY_SCAN:  # the newest reply is on top; the rest is history
        prepared = prepared[: prepared.rfind("\n", 0, _MAX_REPLY_SCAN) + 1 or _MAX_REPLY_SCAN]
    message = mailparser_reply.EmailMessage(
        text=prepared, languages=list(_REPLY_LANGUAGES), keep_hyphen_lists=True
    ).read()
    latest = message.replies[0]
    above_quote = latest.full_body
    for disclaimer in latest.disclaimers:
        above_quote = above_quote.replace(disclaimer, "")
    body = _cut_missed_attribution(_cut_signature(above_quote, message.SIGNATURE_REGEX))
    if not body.strip():
        body = _MISSED_ATTRIBUTION.sub("", latest.full_body)
    return _PLACEHOLDER.sub(lambda m: long_lines[int(m.group(1))], body).strip()


def _prepare(text: str) -> str:
    """Lines trimmed, '>'-quoted lines dropped, blank runs collapsed, no-break spaces plain
    (French Outlook writes "De\u00a0:", which the library only knows as "De :")."""
    text = text.replace("\ue000", "").replace("\ue001", "").replace("\xa0", " ")
    lines = (line.strip() for line in text.split("\n"))
    text = _BLANK_RUN.sub("\n\n", "\n".join(line for line in lines if not line.startswith(">")))
    return text.strip()


def _shield_long_lines(text: str) -> tuple[str, list[str]]:
    """Swap lines longer than _MAX_LINE for short placeholders (no quote header is that long)."""
    long_lines: list[str] = []
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if len(line) > _MAX_LINE:
            lines[index] = f"\ue000{len(long_lines)}\ue001"
            long_lines.append(line)
    return "\n".join(lines), long_lines


def _cut_signature(text: str, signature: re.Pattern[str]) -> str:
    """Cut at the first signature mail-parser-reply finds whose first line is a sign-off.

    The library cuts at any line starting with "Thanks," or "Best," and would drop
    "Thanks, but my order never arrived." and everything after it.
    """
    position = 0
    for _ in range(_MAX_SIGNATURE_TRIES):
        match = signature.search(text, position)
        if match is None:
            break
        block = match.group()
        first_line = block.strip().split("\n", 1)[0]
        if _is_sign_off(first_line):
            return text[: match.start()]
        line_start = match.start() + len(block) - len(block.lstrip())
        next_line = text.find("\n", line_start)
        if next_line < 0:
            break
        position = next_line + 1
    return text


def _is_sign_off(line: str) -> bool:
    words = line.split()
    if len(words) > _MAX_SIGN_OFF_WORDS or line.endswith(("?", "!")):
        return False
    return not (line.endswith(".") and len(words) > 3)


def _cut_missed_attribution(text: str) -> str:
    match = _MISSED_ATTRIBUTION.search(text)
    return text[: match.start()] if match else text
