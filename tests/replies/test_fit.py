"""SMS segments counted as carriers count them (GSM-7: 160 / 153 per part, extension
characters take two; UCS-2: 70 / 67), and texts cut at a word boundary when over the limit."""

from __future__ import annotations

import pytest

from replies.config import ChannelLimit
from replies.fit import encoding, fit, sms_segments

SMS = ChannelLimit(sms_segments=2)
CHAT = ChannelLimit(characters=320)


@pytest.mark.parametrize(("text", "expected"), [
    ("Votre commande a été expédiée. Réponse d'ici 15 minutes.", "gsm7"),
    ("Grüße aus München, Ñandu! ¿Qué tal? €5 [ok] {x} ~ ^ | \\", "gsm7"),
    ("Nous avons bien reçu votre message.", "ucs2"),       # ç
    ("Te responderemos el sábado.", "ucs2"),                # á
    ("It’s here", "ucs2"),                                  # a curly apostrophe
    ("ok …", "ucs2"),                                       # the ellipsis character
])
def test_encoding(text: str, expected: str) -> None:
    assert encoding(text) == expected


@pytest.mark.parametrize(("text", "segments"), [
    ("a" * 160, 1), ("a" * 161, 2), ("a" * 306, 2), ("a" * 307, 3),
    ("€" * 80, 1), ("€" * 81, 2),                 # two septets each
    ("ç" * 70, 1), ("ç" * 71, 2), ("ç" * 134, 2), ("ç" * 135, 3),
    ("😀" * 35, 1), ("😀" * 36, 2),               # a surrogate pair: two UTF-16 units
])
def test_segments_at_the_boundaries(text: str, segments: int) -> None:
    assert sms_segments(text) == segments


def test_an_escaped_character_is_not_split_across_segments() -> None:
    # 152 septets then '€' (2): it does not fit the first part's last septet, so the parts
    # hold 152 + 153, and 306 septets in all take three parts, not two
    text = "a" * 152 + "€" + "a" * 152
    assert sum(2 if c == "€" else 1 for c in text) == 306
    assert sms_segments(text) == 3
    assert sms_segments("a" * 151 + "€" + "a" * 153) == 2


def test_within_the_limit_nothing_changes() -> None:
    text = "Demo Shop: thanks, we've received your message. We'll reply within 15 minutes."
    out = fit(text, "sms", SMS)
    assert (out.text, out.trimmed, out.sms_segments) == (text, False, 1)
    assert fit(text, "email", ChannelLimit()).sms_segments is None


def test_a_gsm_text_is_cut_at_a_word_with_three_dots() -> None:
    text = " ".join(["parcel"] * 60)  # 419 characters
    out = fit(text, "sms", SMS)
    assert out.trimmed and out.sms_segments == 2
    assert out.text.endswith("parcel...") and encoding(out.text) == "gsm7"
    assert len(out.text) <= 306 and len(out.text) > 306 - len(" parcel...")


def test_a_ucs2_text_is_cut_with_an_ellipsis_within_two_of_its_segments() -> None:
    text = " ".join(["reçu"] * 60)
    out = fit(text, "sms", SMS)
    assert out.trimmed and out.sms_segments == 2
    assert out.text.endswith("reçu…") and len(out.text) <= 134


def test_chat_is_cut_to_its_characters() -> None:
    text = "Your order is on its way. " * 20
    out = fit(text, "chat", CHAT)
    assert out.trimmed and out.sms_segments is None
    kept = out.text.removesuffix("…")
    assert out.text.endswith("…") and len(out.text) <= 320
    assert text.startswith(kept) and text[len(kept)] == " "  # cut before a space
    assert len(kept) > 320 - len(" order…")  # and not a word earlier than needed


def test_one_word_longer_than_the_limit_is_cut_inside() -> None:
    out = fit("x" * 400, "chat", ChannelLimit(characters=50))
    assert out.text == "x" * 49 + "…"


def test_a_channel_without_a_limit_is_never_cut() -> None:
    text = "word " * 2000
    assert fit(text, "email", ChannelLimit()).text == text
