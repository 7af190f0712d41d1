"""Fitting a reply to its channel: SMS segments (GSM-7 or UCS-2) and short-message lengths.

An SMS is sent in GSM-7 when every character is in the GSM 03.38 alphabet (160 septets in one
segment, 153 per segment when concatenated; the extension characters €[]{}^~|\\ take two), else
in UCS-2 (70 UTF-16 units, 67 per segment). One 'ç' or 'á' turns a whole message into UCS-2 and
halves what fits, so the count is exact rather than ``len(text) / 160``: carriers bill per
segment, and the shop's limit (two segments by default) is in segments.

Over the limit, the text is cut at a word boundary and ends with an ellipsis: '...' in GSM-7,
because '…' is not in the GSM alphabet and would switch the message to UCS-2.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from replies.config import ChannelLimit

Encoding = Literal["gsm7", "ucs2"]

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")
_SINGLE = {"gsm7": 160, "ucs2": 70}
_CONCATENATED = {"gsm7": 153, "ucs2": 67}


@dataclass(frozen=True)
class Fitted:
    text: str
    trimmed: bool
    sms_segments: int | None


def encoding(text: str) -> Encoding:
    return "gsm7" if all(c in GSM7_BASIC or c in GSM7_EXTENSION for c in text) else "ucs2"


def _units(text: str, enc: Encoding) -> list[int]:
    """What each character costs: septets in GSM-7, UTF-16 code units in UCS-2."""
    if enc == "gsm7":
        return [2 if c in GSM7_EXTENSION else 1 for c in text]
    return [2 if ord(c) > 0xFFFF else 1 for c in text]


def sms_segments(text: str) -> int:
    """How many SMS segments ``text`` takes (at least 1). Concatenated segments never split
    an escaped GSM-7 character or a UTF-16 surrogate pair, so a segment may hold one unit
    less than 153 / 67: packed character by character, as phones and gateways do."""
    enc = encoding(text)
    units = _units(text, enc)
    if sum(units) <= _SINGLE[enc]:
        return 1
    size, segments, used = _CONCATENATED[enc], 1, 0
    for cost in units:
        if used + cost > size:
            segments, used = segments + 1, 0
        used += cost
    return segments


def _cut(text: str, fits: Callable[[str], bool], ellipsis: str) -> str:
    """The longest prefix of ``text`` ending at a word boundary, plus ``ellipsis``, for which
    ``fits(candidate)`` holds. A single word too long for the limit is cut inside."""
    words_end = [i for i in range(1, len(text)) if text[i].isspace() and not text[i - 1].isspace()]
    lo, hi, best = 0, len(words_end) - 1, None
    # binary search over word boundaries: length is monotone in the prefix
    while lo <= hi:
        mid = (lo + hi) // 2
        candidate = text[: words_end[mid]].rstrip(" ,;:-—") + ellipsis
        if fits(candidate):
            best, lo = candidate, mid + 1
        else:
            hi = mid - 1
    if best is not None:
        return best
    for end in range(len(text), 0, -1):
        candidate = text[:end] + ellipsis
        if fits(candidate):
            return candidate
    return ellipsis


def fit(text: str, channel: str, limit: ChannelLimit) -> Fitted:
    """``text`` within the channel's limit; ``sms_segments`` is set for SMS only."""
    if channel == "sms":
        if limit.sms_segments is not None and sms_segments(text) > limit.sms_segments:
            ellipsis = "..." if encoding(text) == "gsm7" else "…"
            most = limit.sms_segments
            cut = _cut(text, lambda t: sms_segments(t) <= most, ellipsis)
            return Fitted(cut, True, sms_segments(cut))
        return Fitted(text, False, sms_segments(text))
    if limit.characters is not None and len(text) > limit.characters:
        chars = limit.characters
        return Fitted(_cut(text, lambda t: len(t) <= chars, "…"), True, None)
    return Fitted(text, False, None)
