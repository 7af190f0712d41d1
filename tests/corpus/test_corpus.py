"""The sample inbound corpus: complete, valid against the provider schemas, consistent with its
manifest and customer roster, and reproducible by its generator."""

from __future__ import annotations

import email
import json
import re
from collections import Counter
from email import policy
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
from pydantic import BaseModel, ValidationError

from corpus import CORPUS_DIR, INBOUND_DIR, CorpusFile, iter_files, load_customers, load_manifest
from corpus.generate import generate
from schemas.deadletter import ErrorCode
from schemas.inbound.chat import ChatTranscript
from schemas.inbound.phone import CallRecord
from schemas.inbound.sms import TwilioSms
from schemas.inbound.social import MetaWebhook, XDirectMessageWebhook
from schemas.inbound.webform import WebformSubmission
from schemas.inbound.whatsapp import WhatsAppWebhook

CHANNELS = ("email", "chat", "phone", "social", "whatsapp", "sms", "webform")
INTENTS = (
    "order_status", "delivery_info", "shipping_address", "order_change", "order_cancel",
    "return_exchange", "refund", "damaged_or_wrong_item", "payment_billing", "invoice",
    "product_question", "account", "complaint", "feedback", "human_agent", "other",
)
ORDER_NUMBER = re.compile(r"(?<![\w/])1\d{5}(?![\w/])")

MANIFEST = load_manifest()
CLEAN = [f for f in MANIFEST if not f.broken]
BROKEN = [f for f in MANIFEST if f.broken]
ROSTER = {c["customer_id"]: c for c in load_customers()}


def _id(item: CorpusFile) -> str:
    return item.relative_path


# ----------------------------------------------------------------------------- parsing helpers


def parse_email(raw: bytes) -> EmailMessage:
    message = email.message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def parse_sms(raw: bytes) -> dict[str, str]:
    fields = parse_qs(raw.decode("ascii"), keep_blank_values=True, strict_parsing=True)
    return {key: values[-1] for key, values in fields.items()}


def model_for(item: CorpusFile, data: Any) -> type[BaseModel]:
    models: dict[str, type[BaseModel]] = {
        "chat": ChatTranscript, "phone": CallRecord, "whatsapp": WhatsAppWebhook,
        "webform": WebformSubmission, "sms": TwilioSms,
        "social": XDirectMessageWebhook if "for_user_id" in data else MetaWebhook,
    }
    return models[item.channel]


def load_payload(item: CorpusFile) -> Any:
    raw = item.read_bytes()
    if item.channel == "sms":
        return parse_sms(raw)
    return json.loads(raw.decode("utf-8"))


def customer_messages(item: CorpusFile) -> list[tuple[str, str]]:
    """(provider message id, text) for each customer message a clean file carries."""
    raw = item.read_bytes()
    if item.channel == "email":
        message = parse_email(raw)
        body = message.get_body(preferencelist=("plain", "html"))
        assert body is not None, "no text part"
        return [(str(message["Message-ID"]), body.get_content())]
    data = load_payload(item)
    if item.channel == "chat":
        texts = [m["text"] for m in data["messages"] if m["author"] == "visitor"]
        return [(data["transcript_id"], "\n".join(texts))]
    if item.channel == "phone":
        return [(data["call_id"], data["transcript"] or "")]
    if item.channel == "sms":
        return [(data["MessageSid"], data.get("Body", ""))]
    if item.channel == "webform":
        return [(data["submission_id"], data["message"])]
    if item.channel == "whatsapp":
        return [
            (m["id"], (m.get("text") or {}).get("body") or (m.get("image") or {}).get("caption")
             or "")
            for entry in data["entry"] for change in entry["changes"]
            for m in change["value"].get("messages", [])
        ]
    if "for_user_id" in data:
        return [(e["id"], e["message_create"]["message_data"]["text"])
                for e in data["direct_message_events"]
                if e.get("message_create", {}).get("sender_id") != data["for_user_id"]]
    return [(m["message"]["mid"], m["message"].get("text") or "")
            for entry in data["entry"] for m in entry.get("messaging", [])
            if "message" in m and not m["message"].get("is_echo")]


def sender_identities(item: CorpusFile) -> list[tuple[str, str]]:
    """(roster field, value) for whoever sent the customer messages of a clean file."""
    raw = item.read_bytes()
    if item.channel == "email":
        return [("email", parseaddr(str(parse_email(raw)["From"]))[1].lower())]
    data = load_payload(item)
    if item.channel == "chat":
        found = [("chat_visitor_id", data["visitor"]["id"])]
        if data["visitor"].get("email"):
            found.append(("email", data["visitor"]["email"].strip().lower()))
        return found
    if item.channel == "phone":
        return [("phone", data["from"])]
    if item.channel == "sms":
        return [("phone", data["From"])]
    if item.channel == "webform":
        return [("email", data["email"].strip().lower())]
    if item.channel == "whatsapp":
        return [("whatsapp_id", m["from"]) for entry in data["entry"]
                for change in entry["changes"] for m in change["value"].get("messages", [])]
    if "for_user_id" in data:
        return [("x_user_id", e["message_create"]["sender_id"])
                for e in data["direct_message_events"]
                if e["message_create"]["sender_id"] != data["for_user_id"]]
    field = "instagram_id" if data["object"] == "instagram" else "messenger_psid"
    return [(field, m["sender"]["id"]) for entry in data["entry"]
            for m in entry.get("messaging", [])
            if "message" in m and not m["message"].get("is_echo")]


def normalized(field: str, value: str | None) -> str | None:
    return value.strip().lower() if field == "email" and value else value


# ------------------------------------------------------------------------------- the manifest


def test_manifest_lists_exactly_the_files_on_disk() -> None:
    on_disk = sorted(p.relative_to(INBOUND_DIR).as_posix()
                     for p in INBOUND_DIR.rglob("*") if p.is_file())
    listed = [f.relative_path for f in MANIFEST]
    assert len(listed) == len(set(listed)), "duplicate manifest entries"
    assert sorted(listed) == on_disk


def test_manifest_entries_are_consistent() -> None:
    for item in MANIFEST:
        assert item.channel in CHANNELS
        assert item.relative_path.startswith(f"{item.channel}/")
        assert item.customer_id is None or item.customer_id in ROSTER, item.relative_path
        if item.broken:
            assert item.intent is None and item.expected_tickets == 0
        else:
            assert item.intent in INTENTS and item.language in ("en", "fr", "de", "es")
            assert item.expected_tickets >= 1
    assert list(iter_files("sms")) == [f for f in MANIFEST if f.channel == "sms"]


def test_counts_per_channel_language_and_intent() -> None:
    assert len(CLEAN) >= 300
    channels = Counter(f.channel for f in CLEAN)
    assert set(channels) == set(CHANNELS), channels
    languages = Counter(f.language for f in CLEAN)
    for language in ("fr", "de", "es"):
        assert languages[language] >= 25, languages
    assert languages["en"] > len(CLEAN) / 2, languages
    intents = Counter(f.intent for f in CLEAN)
    for intent in INTENTS:
        assert intents[intent] >= 5, (intent, intents)


def test_every_channel_has_broken_payloads_with_known_codes() -> None:
    codes = {code.value for code in ErrorCode}
    per_channel = Counter(f.channel for f in BROKEN)
    for channel in CHANNELS:
        assert per_channel[channel] >= 2, per_channel
    for item in BROKEN:
        assert item.path.parent.name == "broken"
        code = item.path.name.split("--", 1)[0]
        assert code == item.expected_error and code in codes, item.relative_path


# ------------------------------------------------------------------------------ clean payloads


@pytest.mark.parametrize("item", [f for f in CLEAN if f.channel != "email"], ids=_id)
def test_clean_payload_validates_against_its_schema(item: CorpusFile) -> None:
    data = load_payload(item)
    model_for(item, data).model_validate(data)


@pytest.mark.parametrize("item", [f for f in CLEAN if f.channel == "email"], ids=_id)
def test_clean_email_parses_with_headers_and_text(item: CorpusFile) -> None:
    message = parse_email(item.read_bytes())
    assert not message.defects, message.defects
    for header in ("From", "Date", "Message-ID"):
        assert message[header], header
    assert parseaddr(str(message["From"]))[1]
    assert re.fullmatch(r"<[^<>@\s]+@[^<>@\s]+>", str(message["Message-ID"]))
    assert message["Date"].datetime.year == 2026 and message["Date"].datetime.month == 11
    assert parseaddr(str(message["To"]))[1] == "support@demoshop.example"
    body = message.get_body(preferencelist=("plain", "html"))
    assert body is not None and body.get_content().strip()


def test_each_clean_file_carries_its_expected_customer_messages() -> None:
    for item in CLEAN:
        messages = customer_messages(item)
        assert len(messages) == item.expected_tickets, item.relative_path
        assert all(text.strip() for _, text in messages), item.relative_path


def test_provider_message_ids_are_unique() -> None:
    seen: dict[tuple[str, str], str] = {}
    for item in CLEAN:
        for provider_id, _ in customer_messages(item):
            key = (item.channel, provider_id)
            assert key not in seen, f"{provider_id} in {item.relative_path} and {seen[key]}"
            seen[key] = item.relative_path


def test_senders_are_roster_customers_or_unknown() -> None:
    known_values = {(field, normalized(field, c.get(field)))
                    for c in ROSTER.values()
                    for field in ("email", "phone", "whatsapp_id", "messenger_psid",
                                  "instagram_id", "x_user_id", "chat_visitor_id")}
    unknown = 0
    for item in CLEAN:
        identities = sender_identities(item)
        assert identities, item.relative_path
        if item.customer_id is None:
            unknown += 1
            for field, value in identities:
                assert (field, value) not in known_values, (item.relative_path, field, value)
        else:
            customer = ROSTER[item.customer_id]
            for field, value in identities:
                assert value == normalized(field, customer[field]), (item.relative_path, field)
    assert 0.05 * len(CLEAN) <= unknown <= 0.2 * len(CLEAN), unknown


def test_order_numbers_belong_to_the_sender() -> None:
    for item in CLEAN:
        text = "\n".join(text for _, text in customer_messages(item))
        mentioned = set(ORDER_NUMBER.findall(text))
        if item.customer_id is None:
            assert not mentioned, item.relative_path
        else:
            own = {o["number"] for o in ROSTER[item.customer_id]["orders"]}
            assert mentioned <= own, (item.relative_path, mentioned - own)


def test_customers_write_on_several_channels() -> None:
    channels: dict[str, set[str]] = {}
    for item in CLEAN:
        if item.customer_id:
            channels.setdefault(item.customer_id, set()).add(item.channel)
    assert sum(1 for found in channels.values() if len(found) >= 2) >= 30


def test_edge_cases_the_normalizers_rely_on_are_present() -> None:
    """The corpus README promises these; a generator change must not drop them silently."""
    found: Counter[str] = Counter()
    for item in CLEAN:
        raw = item.read_bytes()
        if item.channel == "email":
            message = parse_email(raw)
            found["email_attachment"] += any(True for _ in message.iter_attachments())
            found["email_reply"] += bool(message["In-Reply-To"])
            found["email_forward"] += str(message["Subject"] or "").startswith(
                ("FW:", "TR :", "WG:", "RV:"))
            found["email_no_subject"] += message["Subject"] is None
            found["email_crlf"] += b"\r\n" in raw
            found["email_html_only"] += message.get_content_type() == "text/html"
            found["email_legacy_charset"] += any(
                part.get_content_charset() in ("iso-8859-1", "iso-8859-15", "windows-1252")
                for part in message.walk())
            found["email_quoted_name"] += b'From: "' in raw
            found["email_mixed_case"] += parseaddr(str(message["From"]))[1] != parseaddr(
                str(message["From"]))[1].lower()
        elif item.channel == "social":
            data = load_payload(item)
            text = raw.decode()
            found["social_attachment"] += '"attachment' in text
            found["social_echo_or_read"] += '"is_echo"' in text or '"read"' in text
            found["x_shop_dm"] += "for_user_id" in data and any(
                e["message_create"]["sender_id"] == data["for_user_id"]
                for e in data["direct_message_events"])
        elif item.channel == "whatsapp":
            text = raw.decode()
            found["whatsapp_image"] += '"type": "image"' in text
            found["whatsapp_context"] += '"context"' in text
            found["whatsapp_two_messages"] += item.expected_tickets == 2
        elif item.channel == "sms":
            found["mms"] += parse_sms(raw)["NumMedia"] != "0"
        elif item.channel == "phone":
            data = load_payload(item)
            found["voicemail"] += data["kind"] == "voicemail"
    minimum = {
        "email_attachment": 3, "email_reply": 8, "email_forward": 3, "email_no_subject": 1,
        "email_crlf": 1, "email_html_only": 3, "email_legacy_charset": 3,
        "email_quoted_name": 1, "email_mixed_case": 3, "social_attachment": 3,
        "social_echo_or_read": 2, "x_shop_dm": 1, "whatsapp_image": 3, "whatsapp_context": 1,
        "whatsapp_two_messages": 3, "mms": 2, "voicemail": 5,
    }
    for feature, count in minimum.items():
        assert found[feature] >= count, (feature, found[feature])


def test_roster_is_consistent() -> None:
    numbers = [o["number"] for c in ROSTER.values() for o in c["orders"]]
    assert len(numbers) == len(set(numbers))
    assert all(re.fullmatch(r"1\d{5}", n) for n in numbers)
    statuses = {"placed", "paid", "shipped", "delivered", "cancelled", "returned"}
    for customer in ROSTER.values():
        assert 1 <= len(customer["orders"]) <= 6
        assert all(o["status"] in statuses for o in customer["orders"])
        assert re.fullmatch(r"\+[1-9]\d{6,14}", customer["phone"])
        assert customer["email"] == customer["email"].lower()
        if customer["whatsapp_id"]:
            assert customer["whatsapp_id"] == customer["phone"].lstrip("+")
    for field in ("email", "phone", "messenger_psid", "instagram_id", "x_user_id"):
        values = [c[field] for c in ROSTER.values() if c[field]]
        assert len(values) == len(set(values)), field


# ----------------------------------------------------------------------------- broken payloads


def _all_missing(exc: ValidationError) -> bool:
    return all(err["type"] == "missing" for err in exc.errors())


@pytest.mark.parametrize("item", [f for f in BROKEN if f.channel != "email"], ids=_id)
def test_broken_payload_fails_as_declared(item: CorpusFile) -> None:
    raw = item.read_bytes()
    code = item.expected_error
    if code == "invalid_utf8":
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")
        return
    if code == "invalid_form":
        with pytest.raises(ValueError, match="bad query field"):
            parse_qs(raw.decode("utf-8"), strict_parsing=True)
        return
    if code == "invalid_json":
        with pytest.raises(json.JSONDecodeError):
            json.loads(raw.decode("utf-8"))
        return
    data = load_payload(item)
    model = model_for(item, data)
    if code in ("schema_validation", "missing_field"):
        with pytest.raises(ValidationError) as info:
            model.model_validate(data)
        assert _all_missing(info.value) == (code == "missing_field"), info.value.errors()
        return
    model.model_validate(data)
    messages = customer_messages(item)
    if code == "no_messages":
        assert messages == []
    else:
        assert code == "empty_body"
        assert messages and all(not text.strip() for _, text in messages)
        if item.channel == "sms":
            assert data["NumMedia"] == "0"


@pytest.mark.parametrize("item", [f for f in BROKEN if f.channel == "email"], ids=_id)
def test_broken_email_fails_as_declared(item: CorpusFile) -> None:
    message = parse_email(item.read_bytes())
    if item.expected_error == "no_text_part":
        assert message["From"] and message["Message-ID"]
        assert message.get_body(preferencelist=("plain", "html")) is None
        assert all(part.get_content_maintype() != "text" for part in message.walk()
                   if not part.is_multipart())
    elif item.expected_error == "missing_field":
        assert message["From"] is None and message["Message-ID"]
    else:
        assert item.expected_error == "mime_parse_error"
        assert not message.keys() and message.defects


# ------------------------------------------------------------------------------ reproducibility


def test_generator_reproduces_the_committed_corpus(tmp_path: Path) -> None:
    generate(tmp_path)
    for name in ("customers.json", "manifest.json"):
        assert (tmp_path / name).read_bytes() == (CORPUS_DIR / name).read_bytes(), name
    produced = sorted(p.relative_to(tmp_path / "inbound").as_posix()
                      for p in (tmp_path / "inbound").rglob("*") if p.is_file())
    assert produced == sorted(f.relative_path for f in MANIFEST)
    for rel in produced:
        assert (tmp_path / "inbound" / rel).read_bytes() == (INBOUND_DIR / rel).read_bytes(), rel


def test_the_burst_is_one_intent_on_several_channels_within_one_hour_about_late_parcels(
    intent_model: Any,
) -> None:
    """The deliberate volume spike (corpus.generate.BURST_*): at least 20 order_status messages
    received within one hour, on at least five channels, from different customers, each about
    a shipped (so, by the demo's day, late) order of one carrier; the model reads them as
    order_status, so the KPI stage sees the spike."""
    from datetime import UTC, datetime, timedelta

    from channels import RawRecord, normalize
    from classifiers.classify import classify_tickets
    from corpus.generate import BURST_CARRIER, BURST_HOUR
    from schemas import Source

    carried = {o["number"]: (c["customer_id"], o) for c in ROSTER.values()
               for o in c["orders"] if "carrier" in o}
    assert len(carried) >= 20
    assert {o["carrier"] for _, o in carried.values()} == {BURST_CARRIER}
    assert {o["status"] for _, o in carried.values()} == {"shipped"}
    now = datetime(2026, 12, 1, tzinfo=UTC)
    burst: list[tuple[CorpusFile, Any]] = []
    for offset, item in enumerate(CLEAN):
        result = normalize(RawRecord(item.channel, item.read_bytes(), Source(
            topic=f"inbound.{item.channel}", partition=0, offset=offset), now), now)
        assert isinstance(result, tuple)
        mentioned = {n for t in result for n in ORDER_NUMBER.findall(t.body or "")}
        if mentioned & set(carried):
            assert item.intent == "order_status", item.relative_path
            assert {carried[n][0] for n in mentioned & set(carried)} == {item.customer_id}
            burst.append((item, result[0]))
    times = [t.received_at for _, t in burst]
    assert len(burst) >= 20
    assert min(times) >= BURST_HOUR and max(times) < BURST_HOUR + timedelta(hours=1)
    assert len({item.channel for item, _ in burst}) >= 5
    assert len({item.customer_id for item, _ in burst}) == len(burst)
    # the rest of the corpus has no such hour (SMS left out: Twilio sends no time, the worker
    # stamps it when it reads it)
    hours: Counter[datetime] = Counter()
    for offset, item in enumerate(CLEAN):
        if item.intent != "order_status" or item.channel == "sms" or item in dict(burst):
            continue
        result = normalize(RawRecord(item.channel, item.read_bytes(), Source(
            topic=f"inbound.{item.channel}", partition=0, offset=offset), now), now)
        assert isinstance(result, tuple)
        hours.update(t.received_at.replace(minute=0, second=0) for t in result)
    assert max(hours.values()) <= 3, hours.most_common(3)
    classified = classify_tickets([t for _, t in burst], intent_model)
    agree = sum(t.classification is not None and t.classification.intent == "order_status"
                for t in classified)
    assert agree >= 18, f"{agree}/{len(burst)}"
