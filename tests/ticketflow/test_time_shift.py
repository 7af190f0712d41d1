"""Recorded traffic moved into the present: every time a payload carries moves by the same
amount, so the spacing between messages survives and the newest lands at now."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

import corpus
from ticketflow.time_shift import delta_to_now, received_at, shift_payload

NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
DELTA = timedelta(days=4, hours=3, seconds=7)
FILES = [f for f in corpus.load_manifest() if not f.expected_error]


@pytest.mark.parametrize("channel", ["email", "chat", "phone", "social", "whatsapp", "webform"])
def test_every_corpus_message_moves_by_exactly_the_delta(channel: str) -> None:
    files = [f for f in FILES if f.channel == channel]
    assert files
    for f in files:
        raw = f.path.read_bytes()
        before = received_at(channel, raw)
        assert before is not None, f.path
        assert received_at(channel, shift_payload(channel, raw, DELTA)) == before + DELTA, f.path


def test_the_newest_message_lands_at_now() -> None:
    items = [(f.channel, f.path.read_bytes()) for f in FILES]
    delta = delta_to_now(items, NOW)
    newest = max(t for c, raw in items if (t := received_at(c, raw)) is not None)
    assert newest + delta <= NOW < newest + delta + timedelta(seconds=1)  # whole seconds
    assert delta_to_now(items, newest - timedelta(days=1)) == timedelta(0)  # never backwards
    sms = [(f.channel, f.path.read_bytes()) for f in FILES if f.channel == "sms"]
    assert delta_to_now(sms, NOW) == timedelta(0)  # Twilio bodies carry no time


def test_email_date_and_received_hops_move_and_the_body_does_not() -> None:
    raw = (b"Received: from mx.example.com by mx.shop.example;\r\n"
           b"\tMon, 16 Nov 2026 09:59:58 +0100\r\n"
           b"Date: Mon, 16 Nov 2026 09:59:00 +0100\r\nSubject: hi\r\n\r\n"
           b"Date: Mon, 16 Nov 2026 09:59:00 +0100 stays in the body\r\n")
    out = shift_payload("email", raw, timedelta(days=1))
    assert b"Date: Tue, 17 Nov 2026 09:59:00 +0100\r\n" in out
    assert b"Tue, 17 Nov 2026 09:59:58 +0100" in out
    assert out.endswith(b"Date: Mon, 16 Nov 2026 09:59:00 +0100 stays in the body\r\n")


def test_json_times_by_key_epochs_in_seconds_and_milliseconds() -> None:
    data = {"submitted_at": "2026-11-16T09:00:00Z", "timestamp": "1763283600",
            "entry": [{"time": 1763283600000, "messaging": [{"timestamp": 1763283600.5}]}],
            "order_number": "104512", "timezone": "Europe/Paris", "date": "2026-11-16 10:00:00",
            "count": 3, "ok_at": True}
    out = json.loads(shift_payload("webform", json.dumps(data).encode(), timedelta(hours=1)))
    assert out["submitted_at"] == "2026-11-16T10:00:00Z"
    assert out["timestamp"] == "1763287200"
    assert out["entry"][0]["time"] == 1763287200000
    assert out["entry"][0]["messaging"][0]["timestamp"] == 1763287200.5
    assert out["date"] == "2026-11-16T11:00:00"
    assert (out["order_number"], out["timezone"], out["count"], out["ok_at"]) == (
        "104512", "Europe/Paris", 3, True)


def test_unreadable_payloads_and_a_zero_shift_are_left_alone() -> None:
    assert shift_payload("chat", b"{not json", DELTA) == b"{not json"
    assert shift_payload("sms", b"Body=hi&From=%2B1", DELTA) == b"Body=hi&From=%2B1"
    raw = FILES[0].path.read_bytes()
    assert shift_payload(FILES[0].channel, raw, timedelta(0)) is raw
