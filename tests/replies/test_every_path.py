"""Every answer template in every language, every order status and channel shape: it renders,
names the order, leaves no 'None' or template syntax behind, and fits its channel without
being cut (a cut SMS loses its link)."""

from __future__ import annotations

import itertools

import pytest

from replies import Replies
from tests.replies.conftest import order, routed
from tests.sla.conftest import paris

INTENTS = {"order_status": "order_status", "return": "return_exchange",
           "address_change": "shipping_address", "invoice": "invoice"}
STATUSES = {
    "placed": {}, "paid": {},
    "shipped": {"carrier": "Mondial Relay", "tracking_number": "24681357902468"},
    "late": {"carrier": "Chronopost", "tracking_number": "XY123456789FR", "late": True,
             "promised_delivery_at": "2026-11-14T12:00:00+00:00"},
    "delivered": {"carrier": "SEUR", "delivered_at": "2026-11-10T12:00:00+00:00",
                  "days_since_delivery": 8, "in_return_window": True},
    "delivered_long_ago": {"delivered_at": "2026-09-10T12:00:00+00:00",
                           "days_since_delivery": 69, "in_return_window": False},
    "cancelled": {}, "returned": {"delivered_at": "2026-11-01T12:00:00+00:00",
                                  "days_since_delivery": 17, "in_return_window": True},
}
CHANNELS = {"email": {}, "sms": {"customer__phone": "+33612345678"}, "chat": {},
            "whatsapp": {"customer__whatsapp_id": "33612345678"}}


@pytest.mark.parametrize(("kind", "language", "channel"),
                         list(itertools.product(INTENTS, ("en", "fr", "de", "es"), CHANNELS)))
def test_every_answer_path(demo: Replies, kind: str, language: str, channel: str) -> None:
    for status, fields in STATUSES.items():
        real = {"late": "shipped", "delivered_long_ago": "delivered"}.get(status, status)
        s = demo.suggest(routed(
            paris(2026, 11, 20, 20), channel=channel, language=language,
            classification__intent=INTENTS[kind], classification__confidence=0.95,
            order_numbers=["104512"], **CHANNELS[channel],
            **order(**{"number": "104512", "status": real,
                       "promised_delivery_at": "2026-11-24T12:00:00+00:00", **fields})))
        where = f"{kind}.{language}.j2 for {channel}, {status}"
        assert s.suppressed == () and s.answer is not None, where
        text = s.answer.text
        assert s.answer.language == language and s.answer.template == f"{kind}.{language}.j2"
        assert "104512" in text or kind == "invoice", where
        assert "None" not in text and "{{" not in text and "{%" not in text, where
        assert not s.answer.trimmed, f"{where}: cut to {text!r}"
        if channel == "sms":
            assert s.answer.sms_segments is not None and s.answer.sms_segments <= 2, where
        if channel in ("sms", "chat", "whatsapp"):
            assert "\n" not in text, where
        else:
            assert text.endswith(demo.config.sign_off[language]), where


@pytest.mark.parametrize(("language", "channel"),
                         list(itertools.product(("en", "fr", "de", "es"), CHANNELS)))
def test_every_acknowledgement_path(demo: Replies, uncapped, language: str,
                                    channel: str) -> None:
    engines = (demo, Replies(demo.config, demo.templates, uncapped))
    moments = (paris(2026, 11, 18, 11), paris(2026, 11, 18, 7), paris(2026, 11, 20, 20),
               paris(2026, 11, 21, 16), paris(2026, 11, 11, 10), paris(2026, 12, 23, 19))
    for engine, at in itertools.product(engines, moments):
        s = engine.suggest(routed(at, channel=channel, language=language, **CHANNELS[channel]))
        text = s.acknowledgement.text
        assert "None" not in text and not s.acknowledgement.trimmed, (at, text)
        if channel == "sms":
            # the shop's name, the thanks and the promise in one GSM-7 segment
            assert s.acknowledgement.sms_segments == 1, text
